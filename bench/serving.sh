#!/usr/bin/env bash
# Serving throughput and latency, side by side on one machine:
#   wrk against LocalHost (iris RandomForest, one record per request) vs
#   (a) raw in-process InferenceSession.Run on the same model and row, and
#   (b) a minimal Kestrel endpoint returning a constant (the HTTP floor) under the same wrk load;
#   a 10,000-record request vs raw Run on the same batch; first prediction after registering a 1 MB model.
# Needs: wrk and python3-onnx (apt install wrk python3-onnx). Usage: bench/serving.sh [seconds, default 30] [connections, default 32]
set -euo pipefail
source "$(dirname "$0")/../scripts/tools.sh"
cd "$repo_root"
seconds=${1:-30}
connections=${2:-32}
model=$(cd .. && pwd)/shared/testdata/models/01_skl2onnx_rf_iris_zipmap/model.onnx
work=$(mktemp -d -t flywheel-bench-XXXXXX)
pids=()
cleanup() { for pid in "${pids[@]}"; do stop_process "$pid"; done; rm -rf "$work"; }
trap cleanup EXIT
command -v wrk >/dev/null || { echo "wrk is needed: apt install wrk" >&2; exit 1; }

install_node_tools
dotnet build src/Flywheel.LocalHost -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet build bench/Flywheel.Bench.Serving -c Release --nologo -v quiet -clp:ErrorsOnly
bench_dll=artifacts/bin/Flywheel.Bench.Serving/release/Flywheel.Bench.Serving.dll

blob=$(free_port) queue=$(free_port) table=$(free_port) api=$(free_port) floor=$(free_port)
start_azurite "$work/azurite" "$blob" "$queue" "$table" "$work/azurite.log"
pids+=("$AZURITE_PID")
wait_for_port "$blob" 30 && wait_for_port "$table" 30
AzureWebJobsStorage=$(azurite_connection_string "$blob" "$queue" "$table") Logging__LogLevel__Default=Warning \
  dotnet artifacts/bin/Flywheel.LocalHost/release/Flywheel.LocalHost.dll --urls "http://127.0.0.1:$api" > "$work/localhost.log" 2>&1 &
pids+=("$!")
wait_for_port "$api" 60
base="http://127.0.0.1:$api"

# First prediction after registering a 1 MB model: register, then time the first predict (session load + warm-up + run).
/usr/bin/python3 bench/make_1mb_model.py "$work/dense.onnx"
curl -sf -o /dev/null --data-binary @"$work/dense.onnx" "$base/api/models/dense/versions"
python3 -c 'import json; print(json.dumps({"instances": [[0.5] * 512]}))' > "$work/dense.json"
first=$(curl -sf -o /dev/null -w '%{time_total}' -X POST -H 'Content-Type: application/json' --data-binary @"$work/dense.json" "$base/api/models/dense/predict")

curl -sf -o /dev/null --data-binary @"$model" "$base/api/models/iris/versions"
curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -d '{"records":[{"float_input":[5.1,3.5,1.4,0.2]}]}' "$base/api/models/iris/predict"

# Warm-up (JIT tiering and PGO settle in the first seconds), then the measured run.
wrk -t2 -c"$connections" -d10s -s bench/predict.lua "$base/api/models/iris/predict" > /dev/null
echo "== wrk: Flywheel LocalHost, POST api/models/iris/predict (one record), $connections connections, ${seconds}s"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/predict.lua "$base/api/models/iris/predict" | tee "$work/flywheel.txt"

dotnet "$bench_dll" constant "$floor" > /dev/null 2>&1 &
pids+=("$!")
wait_for_port "$floor" 30
wrk -t2 -c"$connections" -d10s -s bench/predict.lua "http://127.0.0.1:$floor/predict" > /dev/null
echo "== wrk: constant Kestrel endpoint (HTTP floor), same load"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/predict.lua "http://127.0.0.1:$floor/predict" | tee "$work/floor.txt"
stop_process "${pids[-1]}"

echo "== raw InferenceSession.Run, same model and row, 2 threads"
raw=$(dotnet "$bench_dll" raw "$model" 10 2 | tee /dev/stderr)

echo "== 10,000 records in one request vs raw Run on the same batch"
python3 -c 'import json; print(json.dumps({"records": [{"float_input": [5.1, 3.5, 1.4, 0.2]}] * 10000}))' > "$work/batch.json"
batch_s=$(for i in 1 2 3 4 5; do curl -sf -o /dev/null -w '%{time_total}\n' -X POST -H 'Content-Type: application/json' --data-binary @"$work/batch.json" "$base/api/models/iris/predict"; done | sort -n | sed -n 3p)
raw_batch=$(dotnet "$bench_dll" batch "$model" 10000 | tee /dev/stderr)

rps() { awk '/Requests\/sec/ { print $2 }' "$1"; }
p99() { awk '$1 == "99%" { print $2 }' "$1"; }
errors() { awk '/Non-2xx|Socket errors/ { print }' "$1"; }
fly=$(rps "$work/flywheel.txt"); floor_rps=$(rps "$work/floor.txt")
raw_rps=$(sed -n 's/.*runs\/s=\([0-9]*\).*/\1/p' <<<"$raw")
raw_rows=$(sed -n 's/.*rows\/s=\([0-9]*\).*/\1/p' <<<"$raw_batch")
echo
echo "Flywheel: $fly req/s, p99 $(p99 "$work/flywheel.txt"), errors: $(errors "$work/flywheel.txt" | tr '\n' ' ')"
echo "HTTP floor: $floor_rps req/s, p99 $(p99 "$work/floor.txt")"
awk -v f="$fly" -v fl="$floor_rps" -v r="$raw_rps" -v bs="$batch_s" -v rr="$raw_rows" -v first="$first" 'BEGIN {
  m = (fl < r) ? fl : r
  printf "single record: %.0f req/s = %.0f%% of min(HTTP floor %.0f, raw Run %.0f)\n", f, 100 * f / m, fl, r
  printf "batch of 10,000: %.0f rows/s = %.0f%% of raw Run %.0f rows/s\n", 10000 / bs, 100 * (10000 / bs) / rr, rr
  printf "first prediction after registering a 1 MB model: %.0f ms\n", first * 1000 }'
