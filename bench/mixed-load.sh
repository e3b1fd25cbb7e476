#!/usr/bin/env bash
# A mixed load with bad input interleaved against LocalHost on Azurite: good predictions (records,
# OIP, CSV) whose answers must stay identical, and bad input of every class the probes know (syntax,
# duplicate keys, types, ranges, names, references, query, filters, settings), which must be 4xx.
# Passes with 0 x 5xx, 0 wrong answers and 0 accepted bad requests. Needs Node.js 18+.
# Usage: bench/mixed-load.sh [seconds, default 30] [connections, default 16]
set -euo pipefail
source "$(dirname "$0")/flywheel.sh"
start_flywheel
M=$(cd .. && pwd)/shared/testdata/models
D=$(cd .. && pwd)/shared/testdata/datasets
curl -sf -o /dev/null --data-binary @"$M/01_skl2onnx_rf_iris_zipmap/model.onnx" "$base/api/models/iris/versions"
curl -sf -o /dev/null -X PUT -H 'X-File-Name: titanic.csv' --data-binary @"$D/titanic_small/small_titanic.csv" "$base/api/datasets/titanic"
curl -sf -o /dev/null -F file=@"$M/03_skl2onnx_titanic_pipeline_nozipmap/model.onnx" -F 'metadata={"dataset":{"name":"titanic","version":1}};type=application/json' "$base/api/models/titanic/versions"
node bench/mixed-load.mjs "$base" "${1:-30}" "${2:-16}"
