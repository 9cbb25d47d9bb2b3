#!/usr/bin/env bash
# Routes file load + router build in a cold JVM: runs ColdStart in RUNS fresh JVMs (20) on the
# ten-flag routes file and prints the median, minimum and maximum of each step in milliseconds
# (load, build, first request) and of load + build, which issue 18 bounds by 50 ms.
#
# Needs target/benchmarks.jar, built from the repository root by
#   ./mvnw -q -B -pl examples/benchmarks -am package -DskipTests
set -euo pipefail
cd "$(dirname "$0")"
RUNS=${RUNS:-20}
JAR=target/benchmarks.jar
[[ -f $JAR ]] || { echo "$JAR not found: run ./mvnw -q -B -pl examples/benchmarks -am package -DskipTests" >&2; exit 2; }

results=$(mktemp)
trap 'rm -f "$results"' EXIT
java -cp "$JAR" dev.flagroute.benchmarks.ColdStart routes-10.yaml > /dev/null # warms the OS file cache
for _ in $(seq 1 "$RUNS"); do
  java -cp "$JAR" dev.flagroute.benchmarks.ColdStart routes-10.yaml | tail -1 >> "$results"
done
echo "cold start: $(date -u +%FT%TZ), $(nproc) cpus, $(java -version 2>&1 | head -1), $RUNS runs (ms)"
for column in 1 2 3 12; do
  case $column in
    1) name="routes file load" ;; 2) name="router build" ;; 3) name="first request" ;; 12) name="load + build" ;;
  esac
  if [[ $column == 12 ]]; then
    awk '{print $1 + $2}' "$results"
  else
    awk -v c="$column" '{print $c}' "$results"
  fi | sort -n | awk -v name="$name" '{v[NR] = $1} END {printf "%-17s median %7.2f  min %7.2f  max %7.2f\n", name, v[int((NR + 1) / 2)], v[1], v[NR]}'
done
