#!/usr/bin/env bash
# Cold starts as Flex Consumption pays them after a scale-out: process start to the first prediction answered on a
# model registered before the start, for the app as `dotnet publish` makes it with ReadyToRun (what azd deploys,
# FlywheelReadyToRun on) and without (JIT only), under the Functions host and as LocalHost, starts alternating.
# Also the first batch-scoring run after a start against a warm one is bench/batch.sh's; this is the request path.
# Usage: bench/cold-start.sh [starts per variant, default 5]
set -euo pipefail
source "$(dirname "$0")/../scripts/tools.sh"
cd "$repo_root"
starts=${1:-5}
iris=$(cd .. && pwd)/shared/testdata/models/01_skl2onnx_rf_iris_zipmap/model.onnx
work=$(mktemp -d -t flywheel-cold-XXXXXX)
pids=()
cleanup() { for pid in "${pids[@]}"; do stop_process "$pid"; done; rm -rf "$work"; }
trap cleanup EXIT
key=bench-key
out=artifacts/publish

install_node_tools
log "Publishing with and without ReadyToRun (crossgen takes a few minutes on 2 cores)"
for variant in r2r jit; do
  flag=$([[ $variant == r2r ]] && echo true || echo false)
  dotnet publish src/Flywheel.Functions -c Release --nologo -v quiet -clp:ErrorsOnly -p:FlywheelReadyToRun=$flag -o "$out/functions-$variant" > /dev/null
  extra=(); [[ $variant == r2r ]] && extra=(-r linux-x64 --self-contained false -p:PublishReadyToRun=true)
  dotnet publish src/Flywheel.LocalHost -c Release --nologo -v quiet -clp:ErrorsOnly "${extra[@]}" -o "$out/localhost-$variant" > /dev/null
done
host_dir=$(functions_host_dir)
blob=$(free_port) queue=$(free_port) table=$(free_port) port=$(free_port)
start_azurite "$work/azurite" "$blob" "$queue" "$table" "$work/azurite.log"
pids+=("$AZURITE_PID")
wait_for_port "$blob" 30 && wait_for_port "$table" 30
storage=$(azurite_connection_string "$blob" "$queue" "$table")
ms() { date +%s%3N; }
python3 - "$work/settings.json" <<'PY'
import json, sys
s = json.load(open("local.settings.sample.json"))
s["Values"].update({"Flywheel__Storage__NamePrefix": "cold", "TASKHUB_NAME": "benchcold"})
json.dump(s, open(sys.argv[1], "w"))
PY

start() { # kind variant: starts it in the background on $port, sets $pid
  case $1 in
    localhost) AzureWebJobsStorage=$storage Flywheel__Storage__NamePrefix=cold Flywheel__LocalEngine__TaskHub=benchcoldlocal Logging__LogLevel__Default=Warning \
      dotnet "$out/localhost-$2/Flywheel.LocalHost.dll" --urls "http://127.0.0.1:$port" >> "$work/$1.log" 2>&1 & ;;
    functions) FUNCTIONS_MASTER_KEY=$key FUNCTIONS_SECRETS_PATH="$work/secrets" \
      "$functions_host_tools/run.sh" "$host_dir" "$out/functions-$2" "$port" "$storage" "$work/settings.json" >> "$work/$1.log" 2>&1 & ;;
  esac
  pid=$!
}
first_prediction() { # ms from now until the first iris prediction answers 200
  local started=$1
  until curl -sf -o /dev/null -H "x-functions-key: $key" -X POST -H 'Content-Type: application/json' \
    -d '{"records":[{"float_input":[5.1,3.5,1.4,0.2]}]}' "http://127.0.0.1:$port/api/models/iris/predict"; do sleep 0.02; done
  echo $(( $(ms) - started ))
}

start localhost jit; wait_for_port "$port" 60
curl -sf -o /dev/null --data-binary @"$iris" "http://127.0.0.1:$port/api/models/iris/versions"
stop_process "$pid"

for i in $(seq 1 "$starts"); do
  for kind in localhost functions; do
    for variant in jit r2r; do
      t=$(ms); start "$kind" "$variant"; echo "$kind $variant $(first_prediction "$t")" | tee -a "$work/starts.txt"; stop_process "$pid"
    done
  done
done

echo "== process start to the first prediction, ms (median of $starts; min-max)"
python3 - "$work/starts.txt" <<'PY'
import sys, statistics, collections
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    kind, variant, ms = line.split()
    runs[(kind, variant)].append(int(ms))
med = {k: statistics.median(v) for k, v in runs.items()}
for (kind, variant), values in sorted(runs.items()):
    print(f"{kind:10} {variant:4} median {med[(kind, variant)]:7.0f}  {min(values)}-{max(values)}")
for variant in ("jit", "r2r"):
    print(f"functions/localhost ({variant}): {med[('functions', variant)] / med[('localhost', variant)]:.2f}x")
for kind in ("localhost", "functions"):
    print(f"{kind}: r2r/jit {med[(kind, 'r2r')] / med[(kind, 'jit')]:.2f}x")
PY
