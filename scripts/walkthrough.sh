#!/usr/bin/env bash
# The README's walk-through, runnable top to bottom against a fresh Flywheel (scripts/dev.sh in
# another terminal): every command is the README's, and each check stops the script when an answer
# is not the documented one. tests/ runs it against a fresh LocalHost, so the README cannot rot.
# Needs: curl, Node.js (for the landing drop), python3 (to generate a CSV). Run from the repository root.
set -euo pipefail
FW=${FLYWHEEL_URL:-http://localhost:7071}
D=$(cd "${FLYWHEEL_TESTDATA:-../shared/testdata}" && pwd)/datasets
M=$(cd "${FLYWHEEL_TESTDATA:-../shared/testdata}" && pwd)/models
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The Functions host wants a function key on every HTTP function (x-functions-key); given one, every
# curl below sends it, through a curl config file, so the commands stay the README's.
if [[ -n ${FLYWHEEL_KEY:-} ]]; then
  printf 'header = "x-functions-key: %s"\n' "$FLYWHEEL_KEY" > "$work/.curlrc"
  export CURL_HOME=$work
  # ... and landing drops reach its blob trigger as Event Grid would deliver them (scripts/drop.mjs).
  export FLYWHEEL_LANDING_WEBHOOK=${FLYWHEEL_LANDING_WEBHOOK:-$FW/runtime/webhooks/blobs?functionName=Host.Functions.OnLandingBlob} FLYWHEEL_KEY
fi
expect() { # expect CODE curl-args...: runs curl, keeps the body in $work/body and shows its start, fails unless the status is CODE
  local want=$1 got; shift
  got=$(curl -s -o "$work/body" -w '%{http_code}' "$@")
  echo "$got $(head -c 300 "$work/body" | tr -c '[:print:]\n' '.')"
  [[ $got == "$want" ]] || { echo "expected HTTP $want, got $got: curl $*" >&2; return 1; }
}
wait_for() { # wait_for URL: until it answers 2xx (landing drops and pipelines finish in the background)
  for _ in $(seq 1 120); do curl -sf -o /dev/null "$1" && return 0; sleep 0.5; done
  echo "timed out waiting for $1" >&2; return 1
}

## Health
R=${FLYWHEEL_RUN:-$(date +%s)}     # this run's names end in -$R, so the walk-through runs again on the same storage
ADULT=adult-$R TITANIC=titanic-$R IRIS=iris-$R FLOWERS=flowers-$R INCOME=income-$R
expect 200 $FW/api/health
expect 200 $FW/                                            # a page linking the entry points (JSON with Accept: application/json)
expect 200 $FW/api/openapi.json                            # the OpenAPI document; $FW/api/docs is a reference page over it

## Datasets
# upload (streamed): 201 with version, sha256, rows, schema and a per-column profile
expect 201 -X PUT --data-binary @$D/adult_census_income/AdultCensusIncomeOriginal.csv -H 'X-File-Name: adult.csv' $FW/api/datasets/$ADULT
# the same bytes again (any file name): 200, the existing version
expect 200 -X PUT --data-binary @$D/adult_census_income/AdultCensusIncomeOriginal.csv $FW/api/datasets/$ADULT
# different bytes: version 2
head -n 20001 $D/adult_census_income/AdultCensusIncomeOriginal.csv > "$work/adult-20k.csv"
expect 201 -X PUT --data-binary @"$work/adult-20k.csv" -H 'X-File-Name: adult-20k.csv' $FW/api/datasets/$ADULT
# or drop a file in the landing container: landing/{dataset}/{file} (Storage Explorer, azcopy, az storage blob upload, or this script)
node scripts/drop.mjs $D/titanic_small/small_titanic.csv $TITANIC/small_titanic.csv
wait_for $FW/api/datasets/$TITANIC/versions/1
expect 200 $FW/api/datasets
expect 200 $FW/api/datasets/$ADULT                                  # latest version, version count, contract or not, links
expect 200 $FW/api/datasets/$ADULT/versions
expect 200 $FW/api/datasets/$ADULT/versions/latest
expect 200 $FW/api/datasets/$ADULT/versions/1/content                   # the original bytes, ETag = sha256
expect 200 "$FW/api/datasets/$ADULT/diff?from=1&to=2"
# drift between two versions: Evidently's default test per column on the stored values; ?format=html for the report page
expect 200 "$FW/api/datasets/$ADULT/drift?reference=1&current=2"
expect 200 "$FW/api/datasets/$ADULT/drift?reference=1&current=2&method=psi&format=html"
# a contract: required columns, types, nullability, ranges, categories, missing rate, minimum rows
expect 200 -X PUT $FW/api/datasets/$ADULT/contract -H 'Content-Type: application/json' -d '{"columns": {"age": {"type": "integer", "nullable": false, "min": 0, "max": 120}, "sex": {"allowed": ["Male", "Female"]}}, "minRows": 1000, "maxMissingRate": 0.2, "missingMarkers": ["", "?", "NA"]}'
# a file that breaks it (here: 10 rows, the contract wants 1000) is not versioned: 422 with the report; the original is kept in quarantine
head -n 11 "$work/adult-20k.csv" > "$work/adult-10.csv"
expect 422 -X PUT --data-binary @"$work/adult-10.csv" -H 'X-File-Name: adult-10.csv' $FW/api/datasets/$ADULT
expect 200 $FW/api/datasets/$ADULT/quarantine
# a misspelt key is a 400 naming it, and the contract in force stays
expect 400 -X PUT $FW/api/datasets/$ADULT/contract -H 'Content-Type: application/json' -d '{"colums": {}}'
# so is a query parameter the route does not read (the answer lists the ones it does)
expect 400 "$FW/api/datasets/$ADULT/versions?limit=10"

## Models
# raw bytes: 201 with the signature ONNX Runtime reads; multipart adds metadata (feature order, description, lineage)
expect 201 $FW/api/models/$IRIS/versions -F file=@$M/01_skl2onnx_rf_iris_zipmap/model.onnx -F 'metadata={"featureNames":["sepal_length","sepal_width","petal_length","petal_width"]};type=application/json'
expect 201 $FW/api/models/$TITANIC/versions -F file=@$M/03_skl2onnx_titanic_pipeline_nozipmap/model.onnx -F 'metadata={"description":"Titanic survival","metrics":{"auc":0.87},"dataset":{"name":"'$TITANIC'","version":1},"runId":"run-42"};type=application/json'
# a second iris version: the same forest with its ONNX doc_string set (any new bytes make a new version)
cat $M/01_skl2onnx_rf_iris_zipmap/model.onnx <(printf '\x32\x02v2') > "$work/iris-v2.onnx"
expect 201 $FW/api/models/$IRIS/versions -F file=@"$work/iris-v2.onnx" -F 'metadata={"featureNames":["sepal_length","sepal_width","petal_length","petal_width"],"description":"iris v2"};type=application/json'
expect 200 -X PUT $FW/api/models/$IRIS/aliases/champion -H 'Content-Type: application/json' -d '{"version": 1}'
expect 200 $FW/api/models
expect 200 $FW/api/models/$IRIS
expect 200 $FW/api/models/$IRIS/versions/champion
expect 200 -X PATCH $FW/api/models/$IRIS/versions/1 -H 'Content-Type: application/json' -d '{"description": "RF on iris", "tags": {"stage": "prod"}}'
expect 200 $FW/api/models/$TITANIC/versions/1/card
expect 200 $FW/api/models/$IRIS/versions/1/content                     # the ONNX bytes, ETag = sha256
expect 200 $FW/api/models/$IRIS/history
# archive: 409 while an alias points to it
expect 409 -X DELETE $FW/api/models/$IRIS/versions/1

## Serving
# records (or MLflow's dataframe_split / dataframe_records / instances / inputs); X-Model-Version says who answered
expect 200 -X POST $FW/api/models/$TITANIC/predict -H 'Content-Type: application/json' -d '{"records": [{"pclass": 1, "sex": "female", "age": 29, "fare": 211.3, "embarked": "S"}, {"pclass": 3, "sex": "male", "age": null, "fare": 7.25, "embarked": "S"}]}'
# a pinned version: a number, latest or an alias
expect 200 -X POST $FW/api/models/$IRIS/versions/champion/predict -H 'Content-Type: application/json' -d '{"records": [{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}]}'
# rows as you have them (an id, the label): extra columns are a 400 unless asked to leave them out; X-Ignored-Columns counts them
expect 400 -X POST $FW/api/models/$TITANIC/predict -H 'Content-Type: application/json' -d '{"records": [{"id": 7, "pclass": 1, "sex": "female", "age": 29, "fare": 211.3, "embarked": "S", "survived": 1}]}'
expect 200 -X POST $FW/api/models/$TITANIC/predict -H 'Content-Type: application/json' -d '{"extraColumns": "ignore", "records": [{"id": 7, "pclass": 1, "sex": "female", "age": 29, "fare": 211.3, "embarked": "S", "survived": 1}]}'
# CSV: a header row of column names, then the rows (for CSV, extraColumns goes in the query)
expect 200 -X POST "$FW/api/models/$TITANIC/predict?extraColumns=ignore" -H 'Content-Type: text/csv' --data-binary $'id,pclass,sex,age,fare,embarked,survived\n7,1,female,29,211.3,S,1\n8,3,male,,7.25,"Q",0\n'
# Open Inference Protocol v2 (KServe / Triton / MLServer clients), unprefixed
expect 200 $FW/v2/models/$IRIS
expect 200 -X POST $FW/v2/models/$IRIS/infer -H 'Content-Type: application/json' -d '{"id": "42", "inputs": [{"name": "float_input", "shape": [1, 4], "datatype": "FP32", "data": [5.1, 3.5, 1.4, 0.2]}]}'
expect 200 $FW/v2/health/ready
# canary + shadow + sticky routing; GET shows per-version request counts on this instance
expect 200 -X PUT $FW/api/models/$IRIS/deployment -H 'Content-Type: application/json' -d '{"routes": [{"version": 1, "weight": 90}, {"version": 2, "weight": 10}], "shadow": {"version": 2, "sample": 1.0}, "sticky": "X-User-Id"}'
expect 200 $FW/api/models/$IRIS/deployment
# routes follow aliases: a promotion (by a training run or PUT .../aliases/champion) reaches traffic without touching the deployment
expect 200 -X PUT $FW/api/models/$IRIS/aliases/challenger -H 'Content-Type: application/json' -d '{"version": 2}'
expect 200 -X PUT $FW/api/models/$IRIS/deployment -H 'Content-Type: application/json' -d '{"routes": [{"version": "champion", "weight": 90}, {"version": "challenger", "weight": 10}]}'
expect 200 $FW/api/models/$IRIS/deployment                               # routes as declared and as resolved to versions
# ground truth for a logged prediction: its X-Request-Id
RID=$(curl -si -X POST $FW/api/models/$IRIS/predict -H 'Content-Type: application/json' -d '{"instances": [[6.7, 3.0, 5.2, 2.3]]}' | tr -d '\r' | awk 'tolower($1) == "x-request-id:" { print $2 }')
expect 202 -X POST $FW/api/models/$IRIS/feedback -H 'Content-Type: application/json' -d "{\"requestId\": \"$RID\", \"actual\": 2}"
# back to the default (the champion, else the latest)
expect 204 -X DELETE $FW/api/models/$IRIS/deployment

## Pipelines: batch scoring as a Durable orchestration
python3 bench/gen_iris.py "$work/iris.csv" 100000
expect 201 -X PUT --data-binary @"$work/iris.csv" $FW/api/datasets/$FLOWERS
expect 202 -X POST $FW/api/models/$IRIS/batch-predictions -H 'Content-Type: application/json' -d '{"dataset": "'$FLOWERS'", "datasetVersion": "latest", "modelVersion": "champion", "chunkRows": 50000, "output": "csv"}'
RUN=$(sed -n 's/.*"id":"\([0-9a-f]*\)".*/\1/p' "$work/body")
wait_for $FW/api/pipelines/$RUN/output
expect 200 $FW/api/pipelines/$RUN
expect 200 $FW/api/pipelines/$RUN/output                               # row,modelVersion,label,probabilities.0,...
expect 200 "$FW/api/pipelines?status=Running,Completed&name=BatchScoringOrchestration"

## Training: a model from a dataset version, every trial tracked, gated against the champion, served
# 202 with the plan: each feature and how it is featurized (numeric, one-hot, hashed), and what was skipped and why
expect 202 -X POST $FW/api/pipelines/training -H 'Content-Type: application/json' -d '{"model": "'$INCOME'", "dataset": "'$ADULT'", "label": "income", "exclude": ["fnlwgt"], "trainers": ["lightgbm", "linear"], "trials": 4, "seed": 42}'
TRAIN=$(sed -n 's/.*"id":"\([0-9a-f]*\)".*/\1/p' "$work/body")
wait_for $FW/api/pipelines/$TRAIN/report.html
expect 200 $FW/api/pipelines/$TRAIN                                    # winner, test metrics, the gate (rows compared, and why), promotion
expect 200 $FW/api/pipelines/$TRAIN/report.html                        # leaderboard, ROC and PR curves, confusion matrix, importance
expect 200 "$FW/api/runs?model=$INCOME&filter=metrics.auc%20%3E%200.5%20and%20params.trainer%20%3D%20'lightgbm'&orderBy=metrics.auc%20DESC"
expect 200 $FW/api/models/$INCOME/metrics                               # each metric across the registered versions
expect 200 $FW/api/models/$INCOME/versions/1/card                       # trainer, parameters, seed, split, permutation importance
expect 200 -X POST $FW/api/models/$INCOME/predict -H 'Content-Type: application/json' -d '{"records": [{"age": 39, "workclass": "State-gov", "education": "Bachelors", "education_num": 13, "marital_status": "Never-married", "occupation": "Adm-clerical", "relationship": "Not-in-family", "race": "White", "sex": "Male", "capital_gain": 2174, "capital_loss": 0, "hours_per_week": 40, "native_country": "United-States"}]}'
# a saved request reruns on the latest data; "manual" waits for an approval (rejected when approvalTimeout passes)
expect 201 -X PUT $FW/api/models/$INCOME/training -H 'Content-Type: application/json' -d '{"dataset": "'$ADULT'", "label": "income", "exclude": ["fnlwgt"], "trainers": ["lightgbm", "linear"], "trials": 4, "seed": 42, "promotion": "manual", "approvalTimeout": "P3D"}'
# (the data has not changed since, so the rerun finds the champion's own bytes: the gate passes and the approval is asked for)
expect 202 -X POST $FW/api/models/$INCOME/train
RETRAIN=$(sed -n 's/.*"id":"\([0-9a-f]*\)".*/\1/p' "$work/body")
until curl -s $FW/api/pipelines/$RETRAIN | grep -qE 'awaiting-approval|"runtimeStatus":"(Completed|Failed)"'; do sleep 0.5; done
expect 202 -X POST $FW/api/pipelines/$RETRAIN/events/approval -H 'Content-Type: application/json' -d '{"approved": true, "by": "ana", "comment": "report checked"}'
wait_for $FW/api/pipelines/$RETRAIN/report.html
expect 200 $FW/api/pipelines/$RETRAIN
## Monitoring: drift, data quality and performance of a served model, on a timer and on demand
# settings (every field optional): reference dataset version, features, schedule (six-field cron, UTC), window (ISO 8601), minRows, methods per column or kind
expect 201 -X PUT $FW/api/models/$TITANIC/monitoring -H 'Content-Type: application/json' -d '{"schedule": "0 0 * * * *", "window": "PT24H", "minRows": 1, "methods": {"categorical": "jensenshannon"}}'
# a run now over the logged predictions (the timer runs the same per model and window): stored, with its id
expect 200 -X POST $FW/api/models/$TITANIC/drift/run -H 'Content-Type: application/json' -d '{}'
expect 200 $FW/api/models/$TITANIC/drift                                  # the latest report
REPORT=$(sed -n 's/^{"id":"\([^"]*\)".*/\1/p' "$work/body")
expect 200 "$FW/api/models/$TITANIC/drift/history?from=2026-01-01T00:00:00Z"   # newest window first, paged
expect 200 $FW/api/models/$TITANIC/drift/reports/$REPORT.html             # the page: verdict, prediction pinned on top, quality, performance
## Continuous training: a policy retrains on new data, drift, feedback or a schedule, then canaries and promotes or rolls back
# a policy (the model has a saved training request); every field has a default, so {"triggers": {"newData": {}}} is complete
expect 201 -X PUT $FW/api/models/$INCOME/policy -H 'Content-Type: application/json' -d '{"triggers": {"newData": {"minNewRows": 1000}, "drift": {"minShare": 0.5}}, "cooldown": "P1D", "promotion": "canary", "canary": {"shadowFirst": "PT10M", "steps": [5, 25, 50], "interval": "PT5M"}}'
expect 200 $FW/api/models/$INCOME/policy                                  # the policy with every default filled in
# retrain now (triggers and cooldown do not apply): on unchanged data it trains the champion's own bytes, so nothing is promoted
expect 202 -X POST $FW/api/models/$INCOME/retrainings -H 'Content-Type: application/json' -d '{"reason": "walk-through"}'
RETRAINING=$(sed -n 's/^{"id":"\([^"]*\)".*/\1/p' "$work/body")
until curl -s $FW/api/models/$INCOME/retrainings/$RETRAINING | grep -q '"finished"'; do sleep 0.5; done
expect 200 $FW/api/models/$INCOME/retrainings                             # newest first: trigger, evidence, each step with its check values, outcome
## CLI: the same steps with the flywheel command (skipped when src/Flywheel.Cli is not built in Release)
CLI=${FLYWHEEL_CLI:-artifacts/bin/Flywheel.Cli/release/Flywheel.Cli.dll}
if [[ -f $CLI ]]; then
flywheel() { dotnet "$CLI" --url "$FW" "$@"; }
flywheel datasets push $D/titanic_small/small_titanic.csv --name cli-$TITANIC -o json > "$work/cli.json"
grep -q '"rows": 38' "$work/cli.json"                                     # the version as the API answers it: version, rows, schema, warnings
flywheel datasets list -o json > "$work/cli.json"
flywheel models show $IRIS -o json > "$work/cli.json"
printf 'pclass,sex,age,fare,embarked\n1,female,29,211.3,S\n3,male,,7.25,S\n' > "$work/rows.csv"
flywheel predict $TITANIC --file "$work/rows.csv" -o json > "$work/cli.json"   # one JSON line per row
[[ $(wc -l < "$work/cli.json") == 2 ]]
flywheel runs list --model $INCOME --order-by "metrics.auc desc" -o json > "$work/cli.json"
flywheel datasets contract get $ADULT -o json > "$work/cli.json"
grep -q '"minRows": 1000' "$work/cli.json"                                # the contract set above, as the API answers it
flywheel models card $TITANIC 1 > "$work/card.md"                         # the card's Markdown itself, not JSON
grep -q '^# Model card' "$work/card.md"
flywheel deploy $IRIS --route 1=90 --route 2=10 --shadow 2 -o json > "$work/cli.json"   # the deployment with its routes resolved to versions
grep -q '"shadow": 2' "$work/cli.json"
flywheel monitor history $TITANIC -o json > "$work/cli.json"              # newest first: id, window, version, verdict
grep -q '"verdict"' "$work/cli.json"
flywheel policy get $INCOME -o json > "$work/cli.json"                    # the policy with every default filled in
grep -q '"cooldown": "P1D"' "$work/cli.json"
code=0; flywheel models show no-such-model-$R -o json || code=$?
[[ $code == 3 ]]                                                          # exit codes: 3 not found, 4 rejected, 2 usage, 1 failure
fi
echo "walk-through complete"
