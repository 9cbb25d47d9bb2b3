#!/usr/bin/env bash
# Servlet filter end to end: the same servlet on embedded Jetty with and without FlagRoutingFilter
# (EDGE, ten flags, cache hit), loaded by wrk from another process over loopback. Both paths are
# served by one JVM and measured in alternating rounds (ABBA order), so drift and neighbours' noise
# fall on both alike. Prints each round and the ratio of median requests/s (flagged / plain).
#
# Needs: wrk (apt-get install -y wrk) and target/benchmarks.jar, built from the repository root by
#   ./mvnw -q -B -pl examples/benchmarks -am package -DskipTests
# Settings (environment): DURATION seconds per round (10), ROUNDS measured rounds per path (6, even),
# CONNECTIONS (16), OUT result file (target/servlet-load.txt).
set -euo pipefail
cd "$(dirname "$0")"

DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-6}
CONNECTIONS=${CONNECTIONS:-16}
OUT=${OUT:-target/servlet-load.txt}
JAR=target/benchmarks.jar

command -v wrk > /dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 2; }
[[ -f $JAR ]] || { echo "$JAR not found: run ./mvnw -q -B -pl examples/benchmarks -am package -DskipTests" >&2; exit 2; }

log=$(mktemp)
# the server stops by itself after the whole run's time and a margin
limit=$(( (ROUNDS * 2 + 2) * (DURATION + 2) + 60 ))
java -Xms1g -Xmx1g -cp "$JAR" dev.flagroute.benchmarks.ServletLoadServer 0 "$limit" > "$log" 2>&1 &
server=$!
trap 'kill "$server" 2> /dev/null || true; wait "$server" 2> /dev/null || true; rm -f "$log"' EXIT

base=""
for _ in $(seq 1 60); do
  base=$(sed -n 's/^listening on \(http:[^ ]*\)$/\1/p' "$log")
  [[ -n $base ]] && break
  kill -0 "$server" 2> /dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.5
done
[[ -n $base ]] || { echo "server did not start" >&2; cat "$log" >&2; exit 1; }

headers=(
  -H "user-agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
  -H "accept: application/json, text/plain, */*"
  -H "accept-encoding: gzip, deflate, br"
  -H "accept-language: en-US,en;q=0.5"
  -H "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
  -H "x-request-id: 8c1b8f4e-0e6f-4d7b-9a57-3c6c0f1b2d44"
  -H "x-forwarded-for: 203.0.113.7"
  -H "content-type: application/json"
  -H "x-user-id: user-4711"
  -H "x-country: de"
  -H "x-plan: pro"
)

# the filter must really be routing: the servlet reports the flags it sees
[[ $(curl -s "${headers[@]}" "$base/flagged/") == "flags=10" ]] || { echo "filter not routing" >&2; exit 1; }
[[ $(curl -s "${headers[@]}" "$base/plain/") == "flags=0" ]] || { echo "plain path is filtered" >&2; exit 1; }

rps() { # path -> requests/s of one round
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "${headers[@]}" "$base/$1/" | awk '/^Requests\/sec:/ {print $2}'
}

mkdir -p "$(dirname "$OUT")"
{
  echo "servlet load: $(date -u +%FT%TZ), $(nproc) cpus, $(java -version 2>&1 | head -1)"
  echo "wrk -t1 -c$CONNECTIONS -d${DURATION}s, $ROUNDS rounds per path after one warm-up round each"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT"

rps plain > /dev/null
rps flagged > /dev/null
plain=()
flagged=()
for round in $(seq 1 "$ROUNDS"); do
  if (( round % 2 == 1 )); then
    p=$(rps plain); f=$(rps flagged)
  else
    f=$(rps flagged); p=$(rps plain)
  fi
  plain+=("$p"); flagged+=("$f")
  printf 'round %d: plain %s req/s, flagged %s req/s, ratio %s\n' "$round" "$p" "$f" \
    "$(awk -v f="$f" -v p="$p" 'BEGIN {printf "%.3f", f / p}')" | tee -a "$OUT"
done

median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }
mp=$(median "${plain[@]}")
mf=$(median "${flagged[@]}")
{
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "median plain $mp req/s, median flagged $mf req/s"
  awk -v f="$mf" -v p="$mp" 'BEGIN {printf "throughput ratio flagged/plain: %.3f (target >= 0.97)\n", f / p}'
} | tee -a "$OUT"
