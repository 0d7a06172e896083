#!/usr/bin/env bash
# Times a job of URLS generated CSV bodies of BYTES each as whole commands, the way a user runs
# them: `fetchstats fetch` of the URLs (no Kafka) against `fetchstats submit --wait` of the same
# URLs to a `fetchstats run` already up (embedded broker). The two alternate, RUNS times each after
# one warm-up of each; the medians, ranges and their ratio are printed as markdown.
#
#   src/bench/run-vs-fetch.sh [URLS] [BYTES] [RUNS]      (after ./mvnw -B -o package -DskipTests)
set -euo pipefail

urls=${1:-64}
bytes=${2:-3000000}
runs=${3:-5}
jar=${JAR:-target/fetchstats.jar}
work=$(mktemp -d)
samples_port=${SAMPLES_PORT:-18080}
broker_port=${BROKER_PORT:-19092}
http_port=${HTTP_PORT:-18081}
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

java -jar "$jar" samples --port "$samples_port" >"$work/samples.log" 2>&1 &
pids+=($!)
java -jar "$jar" run --data-dir "$work/data" --broker-port "$broker_port" \
  --http-port "$http_port" --allow-private-networks >"$work/run.log" 2>&1 &
pids+=($!)

# The same URLs every time: a job fetches a URL it lists twice once, not jobs among themselves.
list=()
for ((i = 0; i < urls; i++)); do
  list+=("http://127.0.0.1:$samples_port/gen/csv?bytes=$bytes&seed=$i")
done

for ((i = 0; i < 600; i++)); do
  grep -q 'is running' "$work/run.log" 2>/dev/null && break
  sleep 0.5
done

millis() { date +%s%3N; }
time_fetch() {
  local start end
  start=$(millis)
  java -jar "$jar" fetch --allow-private-networks "${list[@]}" >/dev/null
  end=$(millis)
  echo $((end - start))
}
time_submit() {
  local start end args=()
  for url in "${list[@]}"; do args+=(--url "$url"); done
  start=$(millis)
  java -jar "$jar" submit --bootstrap-servers "localhost:$broker_port" --wait "${args[@]}" >/dev/null
  end=$(millis)
  echo $((end - start))
}

time_fetch >/dev/null
time_submit >/dev/null
fetches=()
submits=()
for ((r = 0; r < runs; r++)); do
  fetches+=("$(time_fetch)")
  submits+=("$(time_submit)")
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
range() { printf '%s\n' "$@" | sort -n | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%.2f-%.2f", lo / 1000, hi / 1000}'; }
fm=$(median "${fetches[@]}")
sm=$(median "${submits[@]}")
mb=$(awk -v n="$urls" -v b="$bytes" 'BEGIN {printf "%.0f", n * b / 1e6}')
echo "| command ($urls x $bytes bytes of CSV, $mb MB; $runs runs) | wall s, median (range) |"
echo "| --- | ---: |"
echo "| fetchstats fetch | $(awk -v m="$fm" 'BEGIN {printf "%.2f", m / 1000}') ($(range "${fetches[@]}")) |"
echo "| fetchstats submit --wait (to run) | $(awk -v m="$sm" 'BEGIN {printf "%.2f", m / 1000}') ($(range "${submits[@]}")) |"
echo "| ratio of the medians | $(awk -v s="$sm" -v f="$fm" 'BEGIN {printf "%.2f x", s / f}') |"
