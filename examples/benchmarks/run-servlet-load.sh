#!/usr/bin/env bash
# Servlet filter end to end: the same servlet on embedded Jetty with and without FlagRoutingFilter
# (EDGE, ten flags, cache hit), loaded by wrk from another process over loopback. Both paths are
# served by one JVM and measured in alternating rounds (ABBA order), so drift and neighbours' noise
# fall on both alike. Prints each round, then two ratios (flagged / plain) of requests/s and of the
# server's CPU time per request (from /proc): that of the paths' medians, and the median of the
# rounds' own ratios, each taken over two adjacent runs (drift between rounds cancels in it).
#
# Needs: wrk (apt-get install -y wrk) and target/benchmarks.jar, built from the repository root by
#   ./mvnw -q -B -pl examples/benchmarks -am package -DskipTests
# Settings (environment): DURATION seconds per round (10), ROUNDS measured rounds per path (6, even),
# CONNECTIONS (16), OUT result file (target/servlet-load.txt), PIN=1 to run the server on CPU 0 and
# wrk on CPU 1 (taskset), so that the two do not take turns on the same core: steadier rounds.
set -euo pipefail
cd "$(dirname "$0")"

DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-6}
CONNECTIONS=${CONNECTIONS:-16}
OUT=${OUT:-target/servlet-load.txt}
JAR=target/benchmarks.jar
server_cpu=()
client_cpu=()
if [[ ${PIN:-0} == 1 ]]; then
  command -v taskset > /dev/null || { echo "PIN=1 needs taskset (util-linux)" >&2; exit 2; }
  server_cpu=(taskset -c 0)
  client_cpu=(taskset -c 1)
fi

command -v wrk > /dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 2; }
[[ -f $JAR ]] || { echo "$JAR not found: run ./mvnw -q -B -pl examples/benchmarks -am package -DskipTests" >&2; exit 2; }

log=$(mktemp)
# the server stops by itself after the whole run's time and a margin
limit=$(( (ROUNDS * 2 + 2) * (DURATION + 2) + 60 ))
"${server_cpu[@]}" java -Xms1g -Xmx1g -cp "$JAR" dev.flagroute.benchmarks.ServletLoadServer 0 "$limit" > "$log" 2>&1 &
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

cpu_ticks() { # user + system CPU time of the server process, all threads, in clock ticks
  awk '{print $14 + $15}' "/proc/$server/stat"
}

measure() { # path -> "<requests/s> <server CPU microseconds per request>" of one round
  local before after report
  before=$(cpu_ticks)
  report=$("${client_cpu[@]}" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "${headers[@]}" "$base/$1/")
  after=$(cpu_ticks)
  awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
    / requests in / {n = $1} /^Requests\/sec:/ {r = $2}
    END {printf "%s %.2f\n", r, ticks * 1e6 / hz / n}' <<< "$report"
}

mkdir -p "$(dirname "$OUT")"
{
  echo "servlet load: $(date -u +%FT%TZ), $(nproc) cpus, $(java -version 2>&1 | head -1)"
  echo "wrk -t1 -c$CONNECTIONS -d${DURATION}s, $ROUNDS rounds per path after one warm-up round each$([[ ${PIN:-0} == 1 ]] && echo ", server on CPU 0, wrk on CPU 1")"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT"

measure plain > /dev/null
measure flagged > /dev/null
plain=()
flagged=()
plain_cpu=()
flagged_cpu=()
ratios=()
cpu_ratios=()
for round in $(seq 1 "$ROUNDS"); do
  if (( round % 2 == 1 )); then
    read -r p pc < <(measure plain); read -r f fc < <(measure flagged)
  else
    read -r f fc < <(measure flagged); read -r p pc < <(measure plain)
  fi
  plain+=("$p"); flagged+=("$f"); plain_cpu+=("$pc"); flagged_cpu+=("$fc")
  ratios+=("$(awk -v f="$f" -v p="$p" 'BEGIN {print f / p}')")
  cpu_ratios+=("$(awk -v f="$fc" -v p="$pc" 'BEGIN {print f / p}')")
  printf 'round %d: plain %s req/s (%s us CPU/req), flagged %s req/s (%s us CPU/req), ratio %s\n' "$round" \
    "$p" "$pc" "$f" "$fc" "$(awk -v f="$f" -v p="$p" 'BEGIN {printf "%.3f", f / p}')" | tee -a "$OUT"
done

median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }
mp=$(median "${plain[@]}")
mf=$(median "${flagged[@]}")
mpc=$(median "${plain_cpu[@]}")
mfc=$(median "${flagged_cpu[@]}")
{
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "median plain $mp req/s, $mpc us CPU/req; median flagged $mf req/s, $mfc us CPU/req"
  awk -v f="$mf" -v p="$mp" -v r="$(median "${ratios[@]}")" 'BEGIN {
    printf "throughput ratio flagged/plain: %.3f of the medians, %.3f the median round (target >= 0.97)\n", f / p, r}'
  awk -v f="$mfc" -v p="$mpc" -v r="$(median "${cpu_ratios[@]}")" 'BEGIN {
    printf "server CPU per request, flagged/plain: %.3f of the medians, %.3f the median round\n", f / p, r}'
} | tee -a "$OUT"
