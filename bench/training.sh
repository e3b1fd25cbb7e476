#!/usr/bin/env bash
# Training, side by side on the same rows: a 12-trial Flywheel run (LocalHost on Azurite) on the
# shared Adult (binary, AUC) and bike-hours (regression, RMSE) data, against scikit-learn's
# HistGradientBoosting and xgboost with their defaults, fitted on the run's own train + validation
# frames and scored on its test frame. Also one LightGBM fit (defaults) against one HistGB fit on
# those rows, and the run's wall time against the sum of its trials' fit times.
# Needs Debian's python3-sklearn, -xgboost, -pandas. Usage: bench/training.sh [trials, default 12]
# SPLIT_SALT=text places the rows by another salt: another held-out split of the same data.
set -euo pipefail
trials=${1:-12}
split=${SPLIT_SALT:+, \"split\": {\"salt\": \"$SPLIT_SALT\"\}}
shared=$(cd "$(dirname "$0")/../.." && pwd)/shared/testdata/datasets
source "$(dirname "$0")/flywheel.sh"
dotnet build bench/Flywheel.Bench.Training -c Release --nologo -v quiet -clp:ErrorsOnly
start_flywheel

curl -sf -o /dev/null -X PUT -H 'X-File-Name: adult.csv' --data-binary @"$shared/adult_census_income/AdultCensusIncomeOriginal.csv" "$base/api/datasets/adult"
curl -sf -o /dev/null -X PUT -H 'X-File-Name: hour_train.csv' --data-binary @"$shared/bike_sharing_hourly/hour_train.csv" "$base/api/datasets/bikes"

run() { # name task metric request-json
  local name=$1 task=$2 metric=$3 request=$4 id status
  id=$(curl -sf -X POST -H 'Content-Type: application/json' -d "$request" "$base/api/pipelines/training" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  while status=$(curl -sf "$base/api/pipelines/$id") && python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["runtimeStatus"] in ("Pending","Running") else 1)' <<<"$status"; do sleep 1; done
  echo "$status" > "$work/$name.status.json"
  curl -sf "$base/api/runs?pipeline=$id&pageSize=1000" > "$work/$name.runs.json"
  python3 - "$work/$name.status.json" "$work/$name.plan.json" "$work/$name.frames" <<'PY'
import json, sys
status = json.load(open(sys.argv[1]))
assert status["runtimeStatus"] == "Completed", status
json.dump(status["input"]["plan"], open(sys.argv[2], "w"))
frames = status["output"]["frames"]
open(sys.argv[3], "w").write("\n".join([frames["train"], frames["validation"], frames["test"]]))
PY
  local parts=() part
  for part in train validation test; do
    node bench/fetch_blob.mjs datasets "$(sed -n "$(( ${#parts[@]} + 1 ))p" "$work/$name.frames")" "$work/$name.$part.csv"
    parts+=("$work/$name.$part.csv")
  done
  lightgbm_s=$(dotnet artifacts/bin/Flywheel.Bench.Training/release/Flywheel.Bench.Training.dll "$work/$name.plan.json" 3 "${parts[0]}" "${parts[1]}")
  /usr/bin/python3 bench/training_peers.py "$task" "${parts[@]}" 42 3 > "$work/$name.peers.json"
  python3 - "$name" "$metric" "$lightgbm_s" "$work/$name.status.json" "$work/$name.runs.json" "$work/$name.peers.json" <<'PY'
import json, sys
from datetime import datetime
name, metric, lightgbm_s = sys.argv[1], sys.argv[2], float(sys.argv[3])
status, runs, peers = (json.load(open(p)) for p in sys.argv[4:7])
out = status["output"]
wall = (datetime.fromisoformat(status["lastUpdatedTime"]) - datetime.fromisoformat(status["createdTime"])).total_seconds()
fits = sum(r.get("fitMs", 0) for r in runs["items"]) / 1000
ours = out["testMetrics"][metric]
higher = metric == "auc"
best_peer = max if higher else min
better = best_peer(peers["sklearn-hgb"][metric], peers["xgboost"][metric])
print(f"{name}: rows fit {peers['rows']['fit']}, test {peers['rows']['test']}; winner {out['trainer']} {json.dumps(out['parameters'])}")
print(f"  test {metric}: Flywheel {ours:.4f} | sklearn HGB {peers['sklearn-hgb'][metric]:.4f} | xgboost {peers['xgboost'][metric]:.4f} | "
      + (f"Flywheel - better peer = {ours - better:+.4f} (target >= -0.005)" if higher else f"Flywheel / better peer = {ours / better:.3f}x (target <= 1.02x)"))
print(f"  one fit (defaults, train+validation, median of 3): LightGBM {lightgbm_s:.2f} s | HGB {peers['sklearn-hgb']['fitSeconds']:.2f} s | xgboost {peers['xgboost']['fitSeconds']:.2f} s | LightGBM/HGB {lightgbm_s / peers['sklearn-hgb']['fitSeconds']:.2f}x")
print(f"  pipeline: {out['trialsDone']} trials, wall {wall:.1f} s, sum of trial fits {fits:.1f} s, wall / fits = {wall / fits:.2f} (overhead target <= 1.25)")
PY
}

run adult binary auc "{\"model\": \"income\", \"dataset\": \"adult\", \"label\": \"income\", \"trials\": $trials, \"seed\": 42$split}"
run bikes regression rmse "{\"model\": \"rentals\", \"dataset\": \"bikes\", \"label\": \"cnt\", \"exclude\": [\"instant\", \"dteday\", \"casual\", \"registered\"], \"trials\": $trials, \"seed\": 42$split}"
