#!/usr/bin/env bash
# The Functions app under the Functions host (what `azd up` deploys) against LocalHost, side by side
# on one machine and one Azurite: start to healthy and the first prediction after a start; single-
# record requests pinned as bench/serving.sh pins them (each host and its worker on core 0, wrk and
# Azurite on core 1; req/s, p50/p99 and CPU per request summed over the host and its worker), records
# and OIP on the iris and titanic models; a 10,000-record request; one training run on each host
# (same request, same seed). Uses `func start` settings: local.settings.sample.json, host.json as shipped;
# HOST_LOG_LEVEL=Warning runs the host with its per-invocation log lines off, to see what they cost.
# Needs: wrk, taskset. Usage: bench/functions-host.sh [seconds per round, default 10] [rounds, default 3] [connections, default 16]
set -euo pipefail
source "$(dirname "$0")/../scripts/tools.sh"
cd "$repo_root"
seconds=${1:-10}
rounds=${2:-3}
connections=${3:-16}
iris=$(cd .. && pwd)/shared/testdata/models/01_skl2onnx_rf_iris_zipmap/model.onnx
titanic=$(cd .. && pwd)/shared/testdata/models/03_skl2onnx_titanic_pipeline_nozipmap/model.onnx
adult=$(cd .. && pwd)/shared/testdata/datasets/adult_census_income/AdultCensusIncomeOriginal.csv
work=$(mktemp -d -t flywheel-fhost-XXXXXX)
pids=()
cleanup() { for pid in "${pids[@]}"; do stop_process "$pid"; done; rm -rf "$work"; }
trap cleanup EXIT
command -v wrk >/dev/null || { echo "wrk is needed: apt install wrk" >&2; exit 1; }
key=bench-key

install_node_tools
dotnet build Flywheel.Local.slnf -c Release --nologo -v quiet -clp:ErrorsOnly > /dev/null
host_dir=$(functions_host_dir)
blob=$(free_port) queue=$(free_port) table=$(free_port) lh_port=$(free_port) fh_port=$(free_port)
start_azurite "$work/azurite" "$blob" "$queue" "$table" "$work/azurite.log"
pids+=("$AZURITE_PID")
wait_for_port "$blob" 30 && wait_for_port "$table" 30
taskset -a -p -c 1 "$AZURITE_PID" > /dev/null
storage=$(azurite_connection_string "$blob" "$queue" "$table")
ms() { date +%s%3N; }

# Each host on its own storage prefix and task hub; both as a developer runs them.
start_localhost() {
  AzureWebJobsStorage=$storage Flywheel__Storage__NamePrefix=lh Flywheel__LocalEngine__TaskHub=benchlocal Logging__LogLevel__Default=Warning \
    dotnet artifacts/bin/Flywheel.LocalHost/release/Flywheel.LocalHost.dll --urls "http://127.0.0.1:$lh_port" >> "$work/localhost.log" 2>&1 &
  lh_pid=$!
}
start_functions() {
  python3 - "$work/settings.json" <<'PY'
import json, sys
s = json.load(open("local.settings.sample.json"))
s["Values"].update({"Flywheel__Storage__NamePrefix": "fh", "TASKHUB_NAME": "benchfunctions"})
json.dump(s, open(sys.argv[1], "w"))
PY
  local logging=()
  [[ -n ${HOST_LOG_LEVEL:-} ]] && logging=(AzureFunctionsJobHost__logging__logLevel__default="$HOST_LOG_LEVEL"
    AzureFunctionsJobHost__logging__logLevel__Function="$HOST_LOG_LEVEL" AzureFunctionsJobHost__logging__logLevel__Host.Results="$HOST_LOG_LEVEL")
  env "${logging[@]}" FUNCTIONS_MASTER_KEY=$key FUNCTIONS_SECRETS_PATH="$work/secrets" \
    "$functions_host_tools/run.sh" "$host_dir" artifacts/bin/Flywheel.Functions/release "$fh_port" "$storage" "$work/settings.json" >> "$work/functions.log" 2>&1 &
  fh_pid=$!
}
# healthy_after PORT: ms until api/health answers 200, then ms until the first iris prediction answers 200.
healthy_after() {
  local started=$1 port=$2 healthy
  until curl -sf -o /dev/null "http://127.0.0.1:$port/api/health"; do sleep 0.05; done
  healthy=$(ms)
  until curl -sf -o /dev/null -H "x-functions-key: $key" -X POST -H 'Content-Type: application/json' \
    -d '{"records":[{"float_input":[5.1,3.5,1.4,0.2]}]}' "http://127.0.0.1:$port/api/models/iris/predict"; do sleep 0.05; done
  echo "$((healthy - started)) $(( $(ms) - started ))"
}
register() { # port
  curl -sf -o /dev/null -H "x-functions-key: $key" --data-binary @"$iris" "http://127.0.0.1:$1/api/models/iris/versions"
  curl -sf -o /dev/null -H "x-functions-key: $key" --data-binary @"$titanic" "http://127.0.0.1:$1/api/models/titanic/versions"
}

echo "== start to healthy, and to the first prediction (models registered before the start), ms; 3 starts each"
start_localhost; wait_for_port "$lh_port" 60; register "$lh_port"; stop_process "$lh_pid"
start_functions; until curl -sf -o /dev/null "http://127.0.0.1:$fh_port/api/health"; do sleep 0.2; done; register "$fh_port"; stop_process "$fh_pid"
for i in 1 2 3; do
  t=$(ms); start_localhost; echo "localhost $(healthy_after "$t" "$lh_port")" | tee -a "$work/starts.txt"; stop_process "$lh_pid"
  t=$(ms); start_functions; echo "functions $(healthy_after "$t" "$fh_port")" | tee -a "$work/starts.txt"; stop_process "$fh_pid"
done

start_localhost; pids+=("$lh_pid")
start_functions; pids+=("$fh_pid")
healthy_after "$(ms)" "$lh_port" > /dev/null; healthy_after "$(ms)" "$fh_port" > /dev/null
fh_worker=$(pgrep -P "$fh_pid" -f Flywheel.Functions.dll | head -1)
taskset -a -p -c 0 "$lh_pid" > /dev/null; taskset -a -p -c 0 "$fh_pid" > /dev/null; taskset -a -p -c 0 "$fh_worker" > /dev/null

ticks() { local t=0 pid; for pid in "$@"; do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$pid/stat"))); done; echo "$t"; }
iris_records='{"records":[{"float_input":[5.1,3.5,1.4,0.2]}]}'
iris_oip='{"inputs":[{"name":"float_input","shape":[1,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2]}]}'
titanic_records='{"records":[{"pclass":1,"sex":"female","age":29,"fare":211.3,"embarked":"S"}]}'
titanic_oip='{"inputs":[{"name":"pclass","shape":[1,1],"datatype":"INT64","data":[1]},{"name":"sex","shape":[1,1],"datatype":"BYTES","data":["female"]},{"name":"age","shape":[1,1],"datatype":"FP32","data":[29]},{"name":"fare","shape":[1,1],"datatype":"FP32","data":[211.3]},{"name":"embarked","shape":[1,1],"datatype":"BYTES","data":["S"]}]}'
contestants=()
for host in localhost functions; do
  if [[ $host == localhost ]]; then base="http://127.0.0.1:$lh_port" procs="$lh_pid"; else base="http://127.0.0.1:$fh_port" procs="$fh_pid,$fh_worker"; fi
  contestants+=("$host-iris-records $procs $base/api/models/iris/predict $iris_records"
                "$host-iris-oip $procs $base/v2/models/iris/infer $iris_oip"
                "$host-titanic-records $procs $base/api/models/titanic/predict $titanic_records"
                "$host-titanic-oip $procs $base/v2/models/titanic/infer $titanic_oip")
done
for contestant in "${contestants[@]}"; do
  read -r name procs url body <<<"$contestant"
  WRK_KEY=$key WRK_BODY=$body taskset -c 1 wrk -t1 -c"$connections" -d3s -s bench/post.lua "$url" > /dev/null
done
for round in $(seq 1 "$rounds"); do
  for contestant in "${contestants[@]}"; do
    read -r name procs url body <<<"$contestant"
    before=$(ticks ${procs//,/ })
    WRK_KEY=$key WRK_BODY=$body taskset -c 1 wrk -t1 -c"$connections" -d"${seconds}s" --latency -s bench/post.lua "$url" > "$work/wrk.txt"
    after=$(ticks ${procs//,/ })
    awk -v round="$round" -v name="$name" -v cpu=$((after - before)) -v hz="$(getconf CLK_TCK)" '
      /Requests\/sec/ { rps = $2 } / requests in / { n = $1 } $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
      /Non-2xx|Socket errors/ { errors = errors $0 " " }
      END { printf "%s %s %.0f %s %s %.1f %s\n", round, name, rps, p50, p99, cpu / hz * 1e6 / n, (errors == "" ? "0" : errors) }' "$work/wrk.txt" >> "$work/rounds.txt"
  done
done
echo "== pinned single-record runs, $rounds interleaved rounds x ${seconds}s, $connections connections: round contestant req/s p50 p99 cpu-us/request errors"
cat "$work/rounds.txt"
echo "== median per contestant, and the Functions host against LocalHost within each round (median ratio)"
awk '
  { rps[$1, $2] = $3; cpu[$1, $2] = $6; line[$1, $2] = $0; if ($1 > rounds) rounds = $1; names[$2] = 1 }
  function median(values, n,   i, j, t) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (values[j] < values[i]) { t = values[i]; values[i] = values[j]; values[j] = t }
    return values[int((n + 1) / 2)]
  }
  END {
    split("iris-records iris-oip titanic-records titanic-oip", kinds, " ")
    for (k = 1; k <= 4; k++) {
      for (r = 1; r <= rounds; r++) { a[r] = rps[r, "localhost-" kinds[k]]; b[r] = rps[r, "functions-" kinds[k]]; x[r] = b[r] / a[r]; c[r] = cpu[r, "functions-" kinds[k]] / cpu[r, "localhost-" kinds[k]]; ca[r] = cpu[r, "localhost-" kinds[k]]; cb[r] = cpu[r, "functions-" kinds[k]] }
      printf "%-16s LocalHost %6.0f req/s %6.1f us CPU | Functions host %6.0f req/s %6.1f us CPU | %.3fx the req/s, %.1fx the CPU per request\n", kinds[k], median(a, rounds), median(ca, rounds), median(b, rounds), median(cb, rounds), median(x, rounds), median(c, rounds)
    }
  }' "$work/rounds.txt"

echo "== 10,000 records in one request (median of 5), s"
python3 -c 'import json; print(json.dumps({"records": [{"float_input": [5.1, 3.5, 1.4, 0.2]}] * 10000}))' > "$work/batch.json"
for host in localhost functions; do
  port=$([[ $host == localhost ]] && echo "$lh_port" || echo "$fh_port")
  s=$(for i in 1 2 3 4 5; do curl -sf -o /dev/null -w '%{time_total}\n' -H "x-functions-key: $key" -X POST -H 'Content-Type: application/json' --data-binary @"$work/batch.json" "http://127.0.0.1:$port/api/models/iris/predict"; done | sort -n | sed -n 3p)
  echo "$host $s s = $(awk -v s="$s" 'BEGIN { printf "%.0f", 10000 / s }') rows/s"
done

echo "== one training run on each host: Adult census (32,561 rows), lightgbm + linear, 4 trials, seed 42"
taskset -a -p -c 0,1 "$lh_pid" > /dev/null; taskset -a -p -c 0,1 "$fh_pid" > /dev/null; taskset -a -p -c 0,1 "$fh_worker" > /dev/null
request='"dataset": "adult", "label": "income", "exclude": ["fnlwgt"], "trainers": ["lightgbm", "linear"], "trials": 4, "seed": 42}'
for host in localhost functions; do
  port=$([[ $host == localhost ]] && echo "$lh_port" || echo "$fh_port")
  base="http://127.0.0.1:$port"
  curl -sf -o /dev/null -H "x-functions-key: $key" -X PUT --data-binary @"$adult" "$base/api/datasets/adult"
  t=$(ms)
  id=$(curl -sf -H "x-functions-key: $key" -X POST -H 'Content-Type: application/json' -d "{\"model\": \"income\", $request" "$base/api/pipelines/training" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  until curl -sf -H "x-functions-key: $key" "$base/api/pipelines/$id" | grep -qE '"runtimeStatus":"(Completed|Failed|Terminated)"'; do sleep 0.2; done
  wall=$(( $(ms) - t ))
  curl -sf -H "x-functions-key: $key" "$base/api/pipelines/$id" | python3 -c '
import json, sys
run = json.load(sys.stdin); out = run.get("output") or {}
winner = out.get("winner") or {}
print(sys.argv[1], "wall", sys.argv[2], "ms;", run["runtimeStatus"], "winner", winner.get("trainer"), "test", json.dumps(out.get("testMetrics") or winner.get("testMetrics") or {}, sort_keys=True)[:200])' "$host" "$wall"
done
