#!/usr/bin/env bash
# End-to-end load tests: one server JVM serves the same endpoint twice, on a plain path without
# flagroute and on a flagged path with it, and a load generator in another process loads each path
# over loopback in alternating rounds (ABBA order), so drift and neighbours' noise fall on both
# alike. Prints each round, then two ratios (flagged / plain) of requests/s and of the server's CPU
# time per request (all its threads, user and system, from /proc): that of the paths' medians, and
# the median of the rounds' own ratios, each taken over two adjacent runs.
#
#   run-load.sh servlet   Jetty 12 + FlagRoutingFilter on /flagged/ only (EDGE)          loaded by wrk
#   run-load.sh mvc       Spring Boot MVC (Tomcat) + the starter on /flagged/* (EDGE)     loaded by wrk
#   run-load.sh webflux   Spring Boot WebFlux (Reactor Netty), two applications in one JVM,
#                         the starter on in one, off in the other (EDGE)                  loaded by wrk
#   run-load.sh grpc      grpc-java (Netty) + FlagServerInterceptor on load.Flagged (RELAY),
#                         loaded by GrpcLoadClient, which stamps the flags with FlagClientInterceptor
#                         and sends load.Plain the same ten flag entries by hand (no interceptor)
#
# Every server decides or carries the same ten flags (in-memory provider, 50/50 per user); the EDGE
# ones take the targeting key from x-user-id and the attributes country and plan from x-country and
# x-plan, and cache decisions; the Spring ones keep the Micrometer listener the starter registers.
# The endpoint answers flags=<n>, which is checked (10 flagged, 0 plain) before loading.
#
# Needs: wrk (apt-get install -y wrk; not for grpc) and the modules built from the repository root:
#   ./mvnw -q -B -pl examples/benchmarks,examples/benchmarks/load-mvc,examples/benchmarks/load-webflux -am package -DskipTests
# Settings (environment): DURATION seconds per round (10), ROUNDS measured rounds per path (6, even),
# WARMUP unmeasured rounds per path first (1; 4 for mvc and webflux, whose JIT takes longer to settle),
# CONNECTIONS connections of wrk, calls outstanding for grpc (16), CHANNELS gRPC channels per path
# (1), OUT result file (target/<kind>-load.txt), PIN=1 to run the server on CPU 0 and the load
# generator on CPU 1 (taskset), so that the two do not take turns on the same core: steadier rounds.
set -euo pipefail
cd "$(dirname "$0")"

KIND=${1:-}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-6}
# Spring's applications need several rounds under load before their JIT settles; fewer, and the two
# paths are measured at different stages of compilation, reading high in one run and low in the next
DEFAULT_WARMUP=1
[[ $KIND == mvc || $KIND == webflux ]] && DEFAULT_WARMUP=4
WARMUP=${WARMUP:-$DEFAULT_WARMUP}
CONNECTIONS=${CONNECTIONS:-16}
CHANNELS=${CHANNELS:-1}
OUT=${OUT:-target/$KIND-load.txt}
JAR=target/benchmarks.jar
BUILD="./mvnw -q -B -pl examples/benchmarks,examples/benchmarks/load-mvc,examples/benchmarks/load-webflux -am package -DskipTests"
server_cpu=()
client_cpu=()
if [[ ${PIN:-0} == 1 ]]; then
  command -v taskset > /dev/null || { echo "PIN=1 needs taskset (util-linux)" >&2; exit 2; }
  server_cpu=(taskset -c 0)
  client_cpu=(taskset -c 1)
fi

# a Spring application's class path: its classes and the dependency list Maven wrote when packaging
spring_classpath() {
  local module=$1
  [[ -f $module/target/classpath.txt ]] || { echo "$module not built: run $BUILD" >&2; exit 2; }
  echo "$module/target/classes:$(cat "$module/target/classpath.txt")"
}

# the server stops by itself after the whole run's time and a margin
limit=$(( (ROUNDS + WARMUP) * 2 * (DURATION + 2) + 120 ))
case $KIND in
  servlet) main=dev.flagroute.benchmarks.load.ServletLoadServer; classpath=$JAR ;;
  grpc) main=dev.flagroute.benchmarks.load.GrpcLoadServer; classpath=$JAR ;;
  mvc) main=dev.flagroute.benchmarks.load.mvc.MvcLoadApp; classpath=$(spring_classpath load-mvc) ;;
  webflux) main=dev.flagroute.benchmarks.load.webflux.WebFluxLoadApp; classpath=$(spring_classpath load-webflux) ;;
  *) echo "usage: $0 servlet|mvc|webflux|grpc" >&2; exit 2 ;;
esac
# issue 28's targets: throughput flagged/plain at least, or server CPU per request at most
case $KIND in
  servlet | mvc) target_rate=0.97; target_cpu=1.03 ;;
  *) target_rate=0.95; target_cpu=1.05 ;;
esac
[[ -f $JAR ]] || { echo "$JAR not found: run $BUILD" >&2; exit 2; }
if [[ $KIND != grpc ]]; then
  command -v wrk > /dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 2; }
fi

work=$(mktemp -d)
"${server_cpu[@]}" java -Xms1g -Xmx1g -cp "$classpath" "$main" "$limit" > "$work/server.log" 2>&1 &
server=$!
client=""
cleanup() {
  [[ -n $client ]] && { exec 3>&-; wait "$client" 2> /dev/null || true; }
  kill "$server" 2> /dev/null || true
  wait "$server" 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# the server announces "plain <target>" and "flagged <target>" when both are served
declare -A target
for _ in $(seq 1 240); do
  for path in plain flagged; do
    target[$path]=$(sed -n "s/^$path \([a-z]*:[^ ]*\)$/\1/p" "$work/server.log" | head -1)
  done
  [[ -n ${target[plain]} && -n ${target[flagged]} ]] && break
  kill -0 "$server" 2> /dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.5
done
[[ -n ${target[plain]} && -n ${target[flagged]} ]] || { echo "server did not start" >&2; cat "$work/server.log" >&2; exit 1; }

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

if [[ $KIND == grpc ]]; then
  # one client JVM for the whole run (its JIT warms once), driven a command a line through FIFOs
  mkfifo "$work/in" "$work/out"
  "${client_cpu[@]}" java -Xms256m -Xmx256m -cp "$JAR" dev.flagroute.benchmarks.load.GrpcLoadClient \
    "$CONNECTIONS" "$CHANNELS" < "$work/in" > "$work/out" &
  client=$!
  exec 3> "$work/in" 4< "$work/out"
  ask() { # command -> the client's one-line answer
    local answer
    echo "$*" >&3
    read -r answer <&4 || { echo "gRPC load client died" >&2; exit 1; }
    [[ $answer != error* ]] || { echo "gRPC load client: $answer" >&2; exit 1; }
    echo "$answer"
  }
  check() { ask check "$1" "${target[$1]}"; }
  load() { # path -> "<requests> <requests/s>"
    local n rate failed
    read -r n rate failed < <(ask run "$1" "${target[$1]}" "$DURATION")
    (( failed == 0 )) || { echo "$failed calls failed on $1" >&2; exit 1; }
    echo "$n $rate"
  }
  generator="GrpcLoadClient, $CONNECTIONS calls outstanding over $CHANNELS channel(s) per path, ${DURATION}s"
else
  check() { curl -s "${headers[@]}" "${target[$1]}"; }
  load() { # path -> "<requests> <requests/s>"
    "${client_cpu[@]}" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "${headers[@]}" "${target[$1]}" | awk '
      / requests in / {n = $1} /^Requests\/sec:/ {r = $2} /Non-2xx or 3xx responses/ {bad = $NF}
      END {if (bad) {print "non-2xx responses: " bad > "/dev/stderr"; exit 1} print n, r}'
  }
  generator="wrk -t1 -c$CONNECTIONS -d${DURATION}s"
fi

# flagroute must really be routing on one path and not on the other
[[ $(check flagged) =~ ^flags=10[[:space:]]*$ ]] || { echo "flagged path not routing: $(check flagged)" >&2; exit 1; }
[[ $(check plain) =~ ^flags=0[[:space:]]*$ ]] || { echo "plain path is routed: $(check plain)" >&2; exit 1; }

cpu_ticks() { # user + system CPU time of the server process, all threads, in clock ticks
  awk '{print $14 + $15}' "/proc/$server/stat"
}

hz=$(getconf CLK_TCK)
measure() { # path -> "<requests/s> <server CPU microseconds per request>" of one round
  local before after n rate
  before=$(cpu_ticks)
  read -r n rate < <(load "$1")
  after=$(cpu_ticks)
  [[ -n $n && $n -gt 0 ]] || { echo "no requests completed on $1" >&2; exit 1; }
  awk -v ticks=$((after - before)) -v hz="$hz" -v n="$n" -v r="$rate" 'BEGIN {printf "%s %.2f\n", r, ticks * 1e6 / hz / n}'
}

mkdir -p "$(dirname "$OUT")"
{
  echo "$KIND load: $(date -u +%FT%TZ), $(nproc) cpus, $(java -version 2>&1 | head -1)"
  echo "$generator, $ROUNDS rounds per path after $WARMUP warm-up round(s) each$([[ ${PIN:-0} == 1 ]] && echo ", server on CPU 0, load generator on CPU 1")"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT"

for _ in $(seq 1 "$WARMUP"); do
  measure plain > /dev/null
  measure flagged > /dev/null
done
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
  [[ -n ${p:-} && -n ${f:-} ]] || { echo "round $round failed" >&2; exit 1; }
  plain+=("$p"); flagged+=("$f"); plain_cpu+=("$pc"); flagged_cpu+=("$fc")
  ratios+=("$(awk -v f="$f" -v p="$p" 'BEGIN {print f / p}')")
  cpu_ratios+=("$(awk -v f="$fc" -v p="$pc" 'BEGIN {print f / p}')")
  printf 'round %d: plain %s req/s (%s us CPU/req), flagged %s req/s (%s us CPU/req), ratio %s\n' "$round" \
    "$p" "$pc" "$f" "$fc" "$(awk -v f="$f" -v p="$p" 'BEGIN {printf "%.3f", f / p}')" | tee -a "$OUT"
  p=""; f=""
done

median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }
# issue 28's targets: gRPC within 5% (throughput or server CPU), the HTTP servers within 3%
mp=$(median "${plain[@]}")
mf=$(median "${flagged[@]}")
mpc=$(median "${plain_cpu[@]}")
mfc=$(median "${flagged_cpu[@]}")
{
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "median plain $mp req/s, $mpc us CPU/req; median flagged $mf req/s, $mfc us CPU/req"
  awk -v f="$mf" -v p="$mp" -v r="$(median "${ratios[@]}")" -v t="$target_rate" 'BEGIN {
    printf "throughput ratio flagged/plain: %.3f of the medians, %.3f the median round (target >= %s)\n", f / p, r, t}'
  awk -v f="$mfc" -v p="$mpc" -v r="$(median "${cpu_ratios[@]}")" -v t="$target_cpu" 'BEGIN {
    printf "server CPU per request, flagged/plain: %.3f of the medians, %.3f the median round (target <= %s)\n", f / p, r, t}'
} | tee -a "$OUT"
