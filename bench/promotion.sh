#!/usr/bin/env bash
# How long a promotion takes to reach traffic: a deployment routes 100% to the alias "champion";
# the alias moves between versions 1 and 2 (PUT api/models/{name}/aliases/champion) and a client
# polls predict until X-Model-Version answers the new version. Two LocalHost instances share one
# Azurite: the instance that took the alias change (its serving target is invalidated at once) and
# another instance (which re-reads the target every Flywheel:Serving:DeploymentCacheDuration, 3 s).
# The figure is the median and worst of N promotions, and the worst as a share of that period.
# Needs: python3-onnx (apt install python3-onnx).
# Usage: bench/promotion.sh [promotions, default 10]
set -euo pipefail
source "$(dirname "$0")/flywheel.sh"
promotions=${1:-10}
start_flywheel
first=$base
other_port=$(free_port)
Logging__LogLevel__Default=Warning dotnet artifacts/bin/Flywheel.LocalHost/release/Flywheel.LocalHost.dll --urls "http://127.0.0.1:$other_port" > "$work/other.log" 2>&1 &
pids+=("$!")
wait_for_port "$other_port" 60
second="http://127.0.0.1:$other_port"

model=$(cd .. && pwd)/shared/testdata/models/01_skl2onnx_rf_iris_zipmap/model.onnx
# Version 2 is the same forest with another doc string: the registry keeps identical bytes as one version.
/usr/bin/python3 -c 'import onnx, sys; m = onnx.load(sys.argv[1]); m.doc_string = "promotion bench"; onnx.save(m, sys.argv[2])' "$model" "$work/v2.onnx"
curl -sf -o /dev/null --data-binary @"$model" "$first/api/models/iris/versions"
curl -sf -o /dev/null --data-binary @"$work/v2.onnx" "$first/api/models/iris/versions"
curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' -d '{"version": 1}' "$first/api/models/iris/aliases/champion"
curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' -d '{"routes": [{"version": "champion", "weight": 100}]}' "$first/api/models/iris/deployment"
body='{"records":[{"float_input":[5.1,3.5,1.4,0.2]}]}'
served() { curl -sf -o /dev/null -D - -X POST -H 'Content-Type: application/json' -d "$body" "$1/api/models/iris/predict" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-model-version" { print $2 }'; }
# Warm both instances on version 1.
for host in "$first" "$second"; do for _ in $(seq 1 20); do [[ $(served "$host") == 1 ]] && break; sleep 0.5; done; done

now() { date +%s.%N; }
: > "$work/same.txt"; : > "$work/other.txt"
for i in $(seq 1 "$promotions"); do
  to=$(( i % 2 == 1 ? 2 : 1 ))
  start=$(now)
  curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' -d "{\"version\": $to}" "$first/api/models/iris/aliases/champion"
  same="" other=""
  while [[ -z $same || -z $other ]]; do
    if [[ -z $same && $(served "$first") == "$to" ]]; then same=$(now); fi
    if [[ -z $other && $(served "$second") == "$to" ]]; then other=$(now); fi
    if awk -v s="$start" -v n="$(now)" 'BEGIN { exit !(n - s > 30) }'; then echo "promotion $i never reached traffic" >&2; exit 1; fi
  done
  awk -v s="$start" -v e="$same" 'BEGIN { printf "%.3f\n", e - s }' >> "$work/same.txt"
  awk -v s="$start" -v e="$other" 'BEGIN { printf "%.3f\n", e - s }' >> "$work/other.txt"
done

summary() { sort -n "$1" | awk -v what="$2" '{ v[NR] = $1 } END { printf "%-40s median %.3f s  worst %.3f s  (worst / 3 s refresh period: %.2f)\n", what, v[int((NR + 1) / 2)], v[NR], v[NR] / 3 }'; }
echo "promotion reaches traffic, $promotions promotions through an alias route:"
summary "$work/same.txt" "same instance (invalidated on change)"
summary "$work/other.txt" "another instance (refresh period)"
