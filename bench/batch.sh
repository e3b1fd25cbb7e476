#!/usr/bin/env bash
# Batch scoring, side by side on one machine: a 1,000,000-row iris-shaped CSV (bench/gen_iris.py) scored by
# Flywheel's batch-predictions orchestration on LocalHost (Durable Task Framework engine on Azurite), from the
# POST to the status reading Completed, vs raw in-process InferenceSession.Run over the same rows (tensors built
# before timing; 1 and 2 worker threads). Also: LocalHost start to healthy (engine on), and the local engine's
# overhead per sequential empty activity. Flywheel is timed warm, as the raw peer is (one untimed Run first): the
# first runs after a start are up to 2x slower while .NET tiers up and Azurite's V8 optimizes its request path
# (it converges after ~6 runs), so untimed warm-up runs come first and the first (cold) run is reported apart;
# the median of the timed runs is the figure.
# Usage: bench/batch.sh [rows, default 1000000] [chunkRows, default 50000] [repeats, default 3] [warm-ups, default 6]
set -euo pipefail
source "$(dirname "$0")/../scripts/tools.sh"
cd "$repo_root"
rows=${1:-1000000}
chunk=${2:-50000}
repeats=${3:-3}
warmups=${4:-6}
model=$(cd .. && pwd)/shared/testdata/models/01_skl2onnx_rf_iris_zipmap/model.onnx
work=$(mktemp -d -t flywheel-batch-XXXXXX)
pids=()
cleanup() { for pid in "${pids[@]}"; do stop_process "$pid"; done; rm -rf "$work"; }
trap cleanup EXIT

install_node_tools
dotnet build src/Flywheel.LocalHost -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet build bench/Flywheel.Bench.Serving -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet build bench/Flywheel.Bench.Pipelines -c Release --nologo -v quiet -clp:ErrorsOnly
bench_dll=artifacts/bin/Flywheel.Bench.Serving/release/Flywheel.Bench.Serving.dll
python3 bench/gen_iris.py "$work/iris.csv" "$rows" >/dev/null

blob=$(free_port) queue=$(free_port) table=$(free_port) api=$(free_port)
start_azurite "$work/azurite" "$blob" "$queue" "$table" "$work/azurite.log"
pids+=("$AZURITE_PID")
wait_for_port "$blob" 30 && wait_for_port "$table" 30
storage=$(azurite_connection_string "$blob" "$queue" "$table")
base="http://127.0.0.1:$api"

# LocalHost start to healthy, engine on: process start to the first 200 from api/health, best and worst of 3.
starts=()
for i in 1 2 3; do
  t0=$(date +%s%N)
  AzureWebJobsStorage=$storage Logging__LogLevel__Default=Warning \
    dotnet artifacts/bin/Flywheel.LocalHost/release/Flywheel.LocalHost.dll --urls "$base" > "$work/localhost.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "$base/api/health"; do sleep 0.02; done
  starts+=($(( ($(date +%s%N) - t0) / 1000000 )))
  if (( i < 3 )); then stop_process "$pid"; else pids+=("$pid"); fi
done

curl -sf -o /dev/null -X PUT --data-binary @"$work/iris.csv" "$base/api/datasets/iris"
curl -sf -o /dev/null "$base/api/models/iris/versions" -F "file=@$model" \
  -F 'metadata={"featureNames":["sepal_length","sepal_width","petal_length","petal_width"]};type=application/json'

# Flywheel: POST to Completed, polled every 50 ms; runs up to 0 warm up.
times=()
cold=""
for i in $(seq $((1 - warmups)) "$repeats"); do
  t0=$(date +%s%N)
  id=$(curl -sf -X POST -H 'Content-Type: application/json' -d "{\"dataset\":\"iris\",\"chunkRows\":$chunk}" "$base/api/models/iris/batch-predictions" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  while :; do
    state=$(curl -sf "$base/api/pipelines/$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["runtimeStatus"])')
    [[ $state == Completed ]] && break
    [[ $state == Pending || $state == Running ]] || { echo "run $id ended $state" >&2; curl -s "$base/api/pipelines/$id" >&2; exit 1; }
    sleep 0.05
  done
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  lines=$(curl -sf "$base/api/pipelines/$id/output" | wc -l)
  (( lines == rows + 1 )) || { echo "output has $lines lines, expected $((rows + 1))" >&2; exit 1; }
  [[ -z $cold ]] && cold=$ms
  if (( i < 1 )); then echo "flywheel warm-up run: ${ms} ms"; continue; fi
  echo "flywheel run $i: ${ms} ms, $(( rows * 1000 / ms )) rows/s"
  times+=("$ms")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')

raw1=$(dotnet "$bench_dll" csv "$model" "$work/iris.csv" "$chunk" 1 | sed -n 's/.*rows\/s=\([0-9]*\).*/\1/p')
raw2=$(dotnet "$bench_dll" csv "$model" "$work/iris.csv" "$chunk" 2 | sed -n 's/.*rows\/s=\([0-9]*\).*/\1/p')
empty=$(AzureWebJobsStorage=$storage dotnet artifacts/bin/Flywheel.Bench.Pipelines/release/Flywheel.Bench.Pipelines.dll 50)
flywheel=$(( rows * 1000 / median ))
echo
echo "LocalHost start to healthy (engine on): ${starts[*]} ms"
echo "batch scoring $rows rows, chunks of $chunk: Flywheel median of $repeats warm runs ${median} ms = $flywheel rows/s (runs: ${times[*]} ms)"
echo "first (cold) run after start: ${cold} ms = $(( rows * 1000 / cold )) rows/s"
echo "raw InferenceSession.Run on the same rows: $raw1 rows/s (1 thread), $raw2 rows/s (2 threads)"
python3 -c "print(f'ratio: {$flywheel/$raw1:.0%} of raw 1 thread, {$flywheel/$raw2:.0%} of raw 2 threads')"
echo "$empty"
