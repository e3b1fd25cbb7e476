#!/usr/bin/env bash
# The web console's first paint, page by page, on a Release LocalHost with seeded data: the iris flowers dataset
# in two versions, a model trained on it (3 trials), 50 predictions and a drift report. Each page is loaded in
# headless Chromium (tests/Flywheel.Tests/Console/browse.mjs, puppeteer-core) after one untimed warm-up pass;
# first paint is the browser's first-contentful-paint, "ready" is navigation to the page's data rendered.
# The budget (300 ms first paint) is reported, not asserted.
# Usage: bench/console.sh [repeats, default 3]
set -euo pipefail
repeats=${1:-3}
source "$(dirname "$0")/flywheel.sh"
start_flywheel

iris=$(cd .. && pwd)/shared/testdata/datasets/sklearn_debian/iris.csv
{ echo sepal_length,sepal_width,petal_length,petal_width,species; tail -n +2 "$iris"; } > "$work/flowers.csv"
{ head -1 "$work/flowers.csv"; tail -n +2 "$work/flowers.csv" | awk -F, 'BEGIN{OFS=","} {$1=$1+0.5; print}'; } > "$work/flowers2.csv"
curl -sf -o /dev/null -X PUT -H 'X-File-Name: flowers.csv' --data-binary @"$work/flowers.csv" "$base/api/datasets/flowers"
curl -sf -o /dev/null -X PUT -H 'X-File-Name: flowers2.csv' --data-binary @"$work/flowers2.csv" "$base/api/datasets/flowers"
curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' \
  -d '{"dataset": "flowers", "label": "species", "trials": 3, "trainers": ["lightgbm"], "seed": 3, "gate": {"minRows": 1}}' "$base/api/models/iris/training"
id=$(curl -sf -X POST -H 'Content-Type: application/json' -d '{}' "$base/api/models/iris/train" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
until curl -sf "$base/api/pipelines/$id" | grep -q '"runtimeStatus":"Completed"'; do sleep 0.5; done
for _ in $(seq 1 50); do
  curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' \
    -d '{"records": [{"sepal_length": 6.1, "sepal_width": 2.8, "petal_length": 4.7, "petal_width": 1.2}]}' "$base/api/models/iris/predict"
done
sleep 2
curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -d '{"minRows": 10}' "$base/api/models/iris/drift/run"

pages=(console console/datasets console/datasets/flowers console/models console/models/iris "console/runs#model=iris" console/pipelines
  console/serving/iris console/monitoring console/monitoring/iris console/retraining/iris)
spec=$(python3 - "$base" "$repeats" "${pages[@]}" <<'PY'
import json, sys
base, repeats, pages = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
print(json.dumps({"steps": [{"url": f"{base}/{p}"} for _ in range(repeats + 1) for p in pages]}))
PY
)
node tests/Flywheel.Tests/Console/browse.mjs "$spec" > "$work/results.json"
python3 - "$work/results.json" "${#pages[@]}" <<'PY'
import json, statistics, sys
results, n = json.load(open(sys.argv[1])), int(sys.argv[2])
timed = results[n:]  # the first pass warms the server and Chromium's cache
print(f"{'page':<34} {'first paint ms':>15} {'ready ms':>9}  budget 300 ms")
for i in range(n):
    runs = timed[i::n]
    paint = statistics.median(r["firstPaintMs"] for r in runs)
    ready = statistics.median(r["readyMs"] for r in runs)
    errors = sum(len(r["errors"]) for r in runs)
    page = runs[0]["url"].split("/", 3)[3]
    print(f"{page:<34} {paint:>15.0f} {ready:>9.0f}  {'within' if paint <= 300 else 'OVER'}{f'  ({errors} script errors)' if errors else ''}")
PY
