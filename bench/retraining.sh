#!/usr/bin/env bash
# How long from a fact to its retraining starting, with the default retraining timer (RETRAINING_SCHEDULE,
# every minute): a new dataset version (the newData trigger) and a drifted monitoring report (the drift
# trigger). Both are decided when the fact is stored and started on the timer's next tick, so the bound is one
# timer period plus the start. Each round uploads a new version of the iris flowers (or runs a drift report
# over shifted traffic) and polls GET api/models/{name}/retrainings until the retraining is running.
# Usage: bench/retraining.sh [rounds of each trigger, default 3]
set -euo pipefail
source "$(dirname "$0")/flywheel.sh"
rounds=${1:-3}
start_flywheel

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {'d': d}))" "$1"; }
iris=$(cd .. && pwd)/shared/testdata/datasets/sklearn_debian/iris.csv
flowers() { # flowers ROWS: the iris rows repeated, under named columns
  { echo "sepal_length,sepal_width,petal_length,petal_width,species"; tail -n +2 "$iris" | awk 'NF' | awk -v n="$1" '{ a[NR] = $0 } END { for (i = 0; i < n; i++) print a[i % NR + 1] }'; } > "$work/flowers.csv"
  curl -sf -o /dev/null -X PUT --data-binary @"$work/flowers.csv" "$base/api/datasets/flowers"
}
flowers 150
curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' -d '{"dataset": "flowers", "label": "species", "trials": 2, "trainers": ["lightgbm"], "gate": {"minRows": 1}}' "$base/api/models/iris/training"
id=$(curl -sf -X POST "$base/api/models/iris/train" | json "d['id']")
until curl -sf "$base/api/pipelines/$id" | grep -q '"runtimeStatus":"Completed"'; do sleep 0.5; done
curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' -d '{"triggers": {"newData": {"minNewRows": 10}, "drift": {"minShare": 0.5}}, "cooldown": "PT0S", "promotion": "never"}' "$base/api/models/iris/policy"
curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' -d '{"minRows": 50, "window": "PT1H"}' "$base/api/models/iris/monitoring"

now() { date +%s.%N; }
wait_started() { # wait_started COUNT: until COUNT retrainings have left "pending", then until none runs
  until [[ $(curl -sf "$base/api/models/iris/retrainings" | json "sum(1 for r in d['items'] if r['status'] != 'pending')") -ge $1 ]]; do sleep 0.2; done
}
wait_idle() { until [[ $(curl -sf "$base/api/models/iris/retrainings" | json "sum(1 for r in d['items'] if 'finished' not in r)") -eq 0 ]]; do sleep 0.5; done; }
: > "$work/newdata.txt"; : > "$work/drift.txt"
started=0
for i in $(seq 1 "$rounds"); do
  flowers $(( 150 + 50 * i ))
  t0=$(now); started=$((started + 1)); wait_started $started; t1=$(now)
  echo "$t1 - $t0" | bc >> "$work/newdata.txt"
  wait_idle
done
shifted='{"records": ['$(for r in $(seq 1 60); do printf '{"sepal_length": 9.%d, "sepal_width": 6.1, "petal_length": 9.5, "petal_width": 4.2},' $((r % 10)); done | sed 's/,$//')']}'
for i in $(seq 1 "$rounds"); do
  curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -d "$shifted" "$base/api/models/iris/predict"
  sleep 6 # the prediction log's flush
  t0=$(now)
  curl -sf -o "$work/report.json" -X POST -H 'Content-Type: application/json' -d '{}' "$base/api/models/iris/drift/run"
  [[ $(json "d['verdict']" < "$work/report.json") == drift ]] || { echo "the report did not find drift: $(head -c 400 "$work/report.json")" >&2; exit 1; }
  started=$((started + 1)); wait_started $started; t1=$(now)
  echo "$t1 - $t0" | bc >> "$work/drift.txt"
  wait_idle
done
summary() { sort -n "$1" | awk -v what="$2" '{ a[NR] = $1 } END { printf "%-34s median %5.1f s, worst %5.1f s over %d rounds (bound: 60 s timer period + 30 s)\n", what, a[int((NR + 1) / 2)], a[NR], NR }'; }
summary "$work/newdata.txt" "new version -> retraining running"
summary "$work/drift.txt" "drifted report -> retraining running"
