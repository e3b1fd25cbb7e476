#!/usr/bin/env bash
# Serving throughput and latency, side by side on one machine, every HTTP server pinned to core 0 and
# wrk to core 1: (a) a constant Kestrel endpoint (the HTTP floor), (b) a hand-written Kestrel + ONNX
# Runtime endpoint for the same model (bench/Flywheel.Bench.Serving handwritten), (c) Flywheel's
# api/models/{name}/predict and (d) its Open Inference Protocol infer, on the iris random forest
# (ZipMap) and the titanic pipeline (5 inputs, strings), one record per request; then a 10,000-record
# request vs raw Run on the same batch, and the first prediction after registering a 1 MB model.
# Needs: wrk, taskset, python3-onnx (apt install wrk python3-onnx); PROFILE=1 adds a perf summary.
# Usage: bench/serving.sh [signal] [seconds per round, default 10] [rounds, default 3] [connections, default 32]
# "signal" instead measures what the per-version serving signal costs: iris single-record req/s on two
# LocalHosts, one with Flywheel:Serving:Signal on (the default) and one with it off, in interleaved rounds.
set -euo pipefail
source "$(dirname "$0")/../scripts/tools.sh"
cd "$repo_root"
mode=all
if [[ ${1:-} == signal ]]; then mode=signal; shift; fi
seconds=${1:-10}
rounds=${2:-3}
connections=${3:-32}
model=$(cd .. && pwd)/shared/testdata/models/01_skl2onnx_rf_iris_zipmap/model.onnx
titanic=$(cd .. && pwd)/shared/testdata/models/03_skl2onnx_titanic_pipeline_nozipmap/model.onnx
work=$(mktemp -d -t flywheel-bench-XXXXXX)
pids=()
cleanup() { for pid in "${pids[@]}"; do stop_process "$pid"; done; rm -rf "$work"; }
trap cleanup EXIT
command -v wrk >/dev/null || { echo "wrk is needed: apt install wrk" >&2; exit 1; }

install_node_tools
dotnet build src/Flywheel.LocalHost -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet build bench/Flywheel.Bench.Serving -c Release --nologo -v quiet -clp:ErrorsOnly
bench_dll=artifacts/bin/Flywheel.Bench.Serving/release/Flywheel.Bench.Serving.dll

blob=$(free_port) queue=$(free_port) table=$(free_port) api=$(free_port) floor=$(free_port) hand_iris=$(free_port) hand_titanic=$(free_port)
start_azurite "$work/azurite" "$blob" "$queue" "$table" "$work/azurite.log"
pids+=("$AZURITE_PID")
wait_for_port "$blob" 30 && wait_for_port "$table" 30
# PROFILE=1: JIT-compiled code named for perf (a perf map, and no double-mapped code pages).
[[ ${PROFILE:-0} == 1 ]] && export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
AzureWebJobsStorage=$(azurite_connection_string "$blob" "$queue" "$table") Logging__LogLevel__Default=Warning \
  dotnet artifacts/bin/Flywheel.LocalHost/release/Flywheel.LocalHost.dll --urls "http://127.0.0.1:$api" > "$work/localhost.log" 2>&1 &
pids+=("$!"); flywheel_pid=$!
wait_for_port "$api" 60
base="http://127.0.0.1:$api"

# First prediction after registering a 1 MB model: register, then time the first predict (session load + warm-up + run).
/usr/bin/python3 bench/make_1mb_model.py "$work/dense.onnx"
curl -sf -o /dev/null --data-binary @"$work/dense.onnx" "$base/api/models/dense/versions"
python3 -c 'import json; print(json.dumps({"instances": [[0.5] * 512]}))' > "$work/dense.json"
first=$(curl -sf -o /dev/null -w '%{time_total}' -X POST -H 'Content-Type: application/json' --data-binary @"$work/dense.json" "$base/api/models/dense/predict")

curl -sf -o /dev/null --data-binary @"$model" "$base/api/models/iris/versions"
curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -d '{"records":[{"float_input":[5.1,3.5,1.4,0.2]}]}' "$base/api/models/iris/predict"

# Single-record requests, pinned so the ratio measures the server, not the load generator: every
# HTTP server on core 0, wrk (1 thread, $connections connections) and Azurite on core 1; per
# contestant a warm-up, then $rounds timed runs; the median run by req/s is reported with its
# p50/p99 and the server's CPU time per request (utime + stime of its process over the run).
taskset -a -p -c 1 "$AZURITE_PID" > /dev/null
taskset -a -p -c 0 "$flywheel_pid" > /dev/null
iris_records='{"records":[{"float_input":[5.1,3.5,1.4,0.2]}]}'
iris_oip='{"inputs":[{"name":"float_input","shape":[1,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2]}]}'
titanic_records='{"records":[{"pclass":1,"sex":"female","age":29,"fare":211.3,"embarked":"S"}]}'
titanic_oip='{"inputs":[{"name":"pclass","shape":[1,1],"datatype":"INT64","data":[1]},{"name":"sex","shape":[1,1],"datatype":"BYTES","data":["female"]},{"name":"age","shape":[1,1],"datatype":"FP32","data":[29]},{"name":"fare","shape":[1,1],"datatype":"FP32","data":[211.3]},{"name":"embarked","shape":[1,1],"datatype":"BYTES","data":["S"]}]}'
curl -sf -o /dev/null --data-binary @"$titanic" "$base/api/models/titanic/versions"
curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -d "$titanic_records" "$base/api/models/titanic/predict"

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# run_once NAME PID URL BODY ROUND: one timed wrk run, appended to $work/rounds.txt as
# "round name req/s p50 p99 cpu-us/request errors".
run_once() {
  local name=$1 pid=$2 url=$3 body=$4 round=$5 before after
  before=$(ticks "$pid")
  WRK_BODY=$body taskset -c 1 wrk -t1 -c"$connections" -d"${seconds}s" --latency -s bench/post.lua "$url" > "$work/wrk.txt"
  after=$(ticks "$pid")
  awk -v round="$round" -v name="$name" -v cpu=$((after - before)) -v hz="$(getconf CLK_TCK)" '
    /Requests\/sec/ { rps = $2 } / requests in / { n = $1 } $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
    /Non-2xx|Socket errors/ { errors = errors $0 " " }
    END { printf "%s %s %.0f %s %s %.1f %s\n", round, name, rps, p50, p99, cpu / hz * 1e6 / n, (errors == "" ? "0" : errors) }' "$work/wrk.txt" >> "$work/rounds.txt"
}

# allocations NAME PID URL BODY: bytes the server allocates per request over a 5 s run (dotnet-counters'
# dotnet.gc.heap.total_allocated), when dotnet-counters is installed (dotnet tool install -g dotnet-counters).
counters=$(command -v dotnet-counters || echo "$HOME/.dotnet/tools/dotnet-counters")
allocations() {
  local name=$1 pid=$2 url=$3 body=$4 collector
  [[ -x "$counters" ]] || return 0
  "$counters" collect -p "$pid" --counters System.Runtime --format csv -o "$work/counters.csv" --refresh-interval 1 --duration 00:00:00:08 > /dev/null 2>&1 &
  collector=$!
  sleep 1
  WRK_BODY=$body taskset -c 1 wrk -t1 -c"$connections" -d5s -s bench/post.lua "$url" > "$work/wrk-alloc.txt"
  wait "$collector" || true
  awk -F, -v name="$name" 'FNR == NR { if ($0 ~ / requests in /) { split($0, w, " "); n = w[1] } next }
    $3 ~ /total_allocated/ { bytes += $5 } END { if (n > 0) printf "%s allocates %.0f bytes/request\n", name, bytes / n }' \
    "$work/wrk-alloc.txt" "$work/counters.csv"
}

# run_rounds: a warm-up per contestant ("name pid url body" in $contestants), then $rounds rounds in which
# they take turns (run_once), so a slow spell of this shared machine falls on neighbours alike.
run_rounds() {
  local contestant name pid url body round
  for contestant in "${contestants[@]}"; do
    read -r name pid url body <<<"$contestant"
    WRK_BODY=$body taskset -c 1 wrk -t1 -c"$connections" -d5s -s bench/post.lua "$url" > /dev/null
  done
  for round in $(seq 1 "$rounds"); do
    for contestant in "${contestants[@]}"; do
      read -r name pid url body <<<"$contestant"
      run_once "$name" "$pid" "$url" "$body" "$round"
    done
  done
}

# median_rounds NAME...: each contestant's median round by req/s, as "name req/s p50 p99 cpu-us/request errors".
median_rounds() {
  for name in "$@"; do
    awk -v name="$name" '$2 == name' "$work/rounds.txt" | sort -k3 -n | sed -n "$(( (rounds + 1) / 2 ))p" | cut -d' ' -f2-
  done
}

if [[ $mode == signal ]]; then
  # A second LocalHost with the signal off, on its own storage names (NamePrefix: the same model registers as its version 1), pinned like the first.
  off=$(free_port)
  AzureWebJobsStorage=$(azurite_connection_string "$blob" "$queue" "$table") Logging__LogLevel__Default=Warning \
    Flywheel__Serving__Signal=false Flywheel__Storage__NamePrefix=signaloff \
    dotnet artifacts/bin/Flywheel.LocalHost/release/Flywheel.LocalHost.dll --urls "http://127.0.0.1:$off" > "$work/localhost-off.log" 2>&1 &
  pids+=("$!"); off_pid=$!
  wait_for_port "$off" 60
  taskset -a -p -c 0 "$off_pid" > /dev/null
  curl -sf -o /dev/null --data-binary @"$model" "http://127.0.0.1:$off/api/models/iris/versions"
  contestants=(
    "signal-on $flywheel_pid $base/api/models/iris/predict $iris_records"
    "signal-off $off_pid http://127.0.0.1:$off/api/models/iris/predict $iris_records"
  )
  run_rounds
  echo "== iris single-record records, signal on vs off, $rounds interleaved rounds x ${seconds}s: round contestant req/s p50 p99 cpu-us/request errors"
  cat "$work/rounds.txt"
  echo "== median per contestant: contestant req/s p50 p99 cpu-us/request errors"
  median_rounds signal-on signal-off
  awk '{ rps[$1, $2] = $3; if ($1 > rounds) rounds = $1 }
    END { for (r = 1; r <= rounds; r++) v[r] = rps[r, "signal-on"] / rps[r, "signal-off"]
      for (i = 1; i <= rounds; i++) for (j = i + 1; j <= rounds; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      printf "signal on: %.1f%% of the req/s with it off (median of the rounds'"'"' ratios)\n", 100 * v[int((rounds + 1) / 2)] }' "$work/rounds.txt"
  exit 0
fi

dotnet "$bench_dll" constant "$floor" > /dev/null 2>&1 &
pids+=("$!"); floor_pid=$!
wait_for_port "$floor" 30; taskset -a -p -c 0 "$floor_pid" > /dev/null
dotnet "$bench_dll" handwritten iris "$model" "$hand_iris" > /dev/null 2>&1 &
pids+=("$!"); hand_iris_pid=$!
dotnet "$bench_dll" handwritten titanic "$titanic" "$hand_titanic" > /dev/null 2>&1 &
pids+=("$!"); hand_titanic_pid=$!
wait_for_port "$hand_iris" 30 && wait_for_port "$hand_titanic" 30
taskset -a -p -c 0 "$hand_iris_pid" > /dev/null; taskset -a -p -c 0 "$hand_titanic_pid" > /dev/null
curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -d "$iris_records" "http://127.0.0.1:$hand_iris/predict"
curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -d "$titanic_records" "http://127.0.0.1:$hand_titanic/predict"

# Contestants take turns within each round (floor, hand-written, records, OIP, per model), so a
# slow spell of this shared machine falls on neighbours alike; ratios are taken within a round and
# the median round's ratio is reported.
contestants=(
  "floor $floor_pid http://127.0.0.1:$floor/predict $iris_records"
  "iris-handwritten $hand_iris_pid http://127.0.0.1:$hand_iris/predict $iris_records"
  "iris-records $flywheel_pid $base/api/models/iris/predict $iris_records"
  "iris-oip $flywheel_pid $base/v2/models/iris/infer $iris_oip"
  "titanic-handwritten $hand_titanic_pid http://127.0.0.1:$hand_titanic/predict $titanic_records"
  "titanic-records $flywheel_pid $base/api/models/titanic/predict $titanic_records"
  "titanic-oip $flywheel_pid $base/v2/models/titanic/infer $titanic_oip"
)
run_rounds
echo "== pinned single-record runs, $rounds interleaved rounds x ${seconds}s: round contestant req/s p50 p99 cpu-us/request errors"
cat "$work/rounds.txt"
echo "== median per contestant: contestant req/s p50 p99 cpu-us/request errors"
for contestant in "${contestants[@]}"; do
  read -r name _ <<<"$contestant"
  median_rounds "$name" | tee -a "$work/pinned.txt"
done
# p99 at half the maximum rate: each connection paced so a contestant gets about half of its median
# req/s above (pauses are whole milliseconds, so the rate reached is printed); the hand-written
# endpoint at its own half rate shows how much of the tail is this machine's rather than Flywheel's.
half_rate() {
  local name=$1 url=$2 body=$3 max pause
  max=$(awk -v name="$name" '$1 == name { print $2 }' "$work/pinned.txt")
  pause=$(awk -v c="$connections" -v max="$max" 'BEGIN { p = c * 1000 / (max / 2); printf "%d", (p < 1 ? 1 : p + 0.5) }')
  WRK_DELAY_MS=$pause WRK_BODY=$body taskset -c 1 wrk -t1 -c"$connections" -d"${seconds}s" --latency -s bench/post.lua "$url" > "$work/wrk-half.txt"
  awk -v name="$name" -v max="$max" -v pause="$pause" '/Requests\/sec/ { rps = $2 } $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 } /Non-2xx|Socket errors/ { errors = errors $0 " " }
    END { printf "%s at half rate (mean pause %d ms per connection): %.0f req/s (max %.0f), p50 %s, p99 %s, errors %s\n", name, pause, rps, max, p50, p99, (errors == "" ? "0" : errors) }' "$work/wrk-half.txt"
}
echo "== latency at half the maximum rate"
half_rate iris-handwritten "http://127.0.0.1:$hand_iris/predict" "$iris_records"
half_rate iris-records "$base/api/models/iris/predict" "$iris_records"
half_rate titanic-records "$base/api/models/titanic/predict" "$titanic_records"
half_rate iris-oip "$base/v2/models/iris/infer" "$iris_oip"
allocations iris-handwritten "$hand_iris_pid" "http://127.0.0.1:$hand_iris/predict" "$iris_records"
allocations iris-records "$flywheel_pid" "$base/api/models/iris/predict" "$iris_records"
allocations iris-oip "$flywheel_pid" "$base/v2/models/iris/infer" "$iris_oip"
allocations titanic-records "$flywheel_pid" "$base/api/models/titanic/predict" "$titanic_records"

if [[ ${PROFILE:-0} == 1 ]] && command -v perf > /dev/null; then
  echo "== where the time goes: perf on LocalHost during iris records (top symbols, self time)"
  perf record -F 999 -g -p "$flywheel_pid" -o "$work/perf.data" -- sleep 8 > /dev/null 2>&1 &
  perf_pid=$!
  WRK_BODY=$iris_records taskset -c 1 wrk -t1 -c"$connections" -d8s -s bench/post.lua "$base/api/models/iris/predict" > /dev/null
  wait "$perf_pid" || true
  echo "-- by library"
  perf report -i "$work/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -10 | cut -c1-120 || true
  echo "-- managed methods (JIT-compiled)"
  perf report -i "$work/perf.data" --no-children --sort symbol --stdio -g none 2>/dev/null | grep -E '^ +[0-9].*\[(Optimized|Tier|Instrumented)' | head -15 | cut -c1-220 || true
fi

echo "== 10,000 records in one request vs raw Run on the same batch"
python3 -c 'import json; print(json.dumps({"records": [{"float_input": [5.1, 3.5, 1.4, 0.2]}] * 10000}))' > "$work/batch.json"
batch_s=$(for i in 1 2 3 4 5; do curl -sf -o /dev/null -w '%{time_total}\n' -X POST -H 'Content-Type: application/json' --data-binary @"$work/batch.json" "$base/api/models/iris/predict"; done | sort -n | sed -n 3p)
raw_batch=$(dotnet "$bench_dll" batch "$model" 10000); echo "$raw_batch"

raw_rows=$(sed -n 's/.*rows\/s=\([0-9]*\).*/\1/p' <<<"$raw_batch")
echo
# Ratios within each round (req/s, and CPU per request against the hand-written endpoint's), median over rounds.
awk '
  { rps[$1, $2] = $3; cpu[$1, $2] = $6; if ($1 > rounds) rounds = $1 }
  function median(values, n,   i, j, t) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (values[j] < values[i]) { t = values[i]; values[i] = values[j]; values[j] = t }
    return values[int((n + 1) / 2)]
  }
  function ratio(a, b,   r, v) { for (r = 1; r <= rounds; r++) v[r] = rps[r, a] / rps[r, b]; return 100 * median(v, rounds) }
  function cost(a, b,   r, v) { for (r = 1; r <= rounds; r++) v[r] = cpu[r, b] / cpu[r, a]; return 100 * median(v, rounds) }
  END {
    for (m = 1; m <= 2; m++) {
      model = m == 1 ? "iris" : "titanic"
      printf "%s records: %.0f%% of the floor, %.0f%% of the hand-written endpoint (by CPU per request: %.0f%%); OIP: %.0f%% of the floor, %.2fx records\n", model,
        ratio(model "-records", "floor"), ratio(model "-records", model "-handwritten"), cost(model "-records", model "-handwritten"), ratio(model "-oip", "floor"), ratio(model "-oip", model "-records") / 100
    }
  }' "$work/rounds.txt"
awk -v bs="$batch_s" -v rr="$raw_rows" -v first="$first" '
  END {
    printf "batch of 10,000: %.0f rows/s = %.0f%% of raw Run %.0f rows/s\n", 10000 / bs, 100 * (10000 / bs) / rr, rr
    printf "first prediction after registering a 1 MB model: %.0f ms\n", first * 1000 }' /dev/null
