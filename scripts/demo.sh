#!/usr/bin/env bash
# Continuous training, end to end, on real drifting data: the UCI bike-sharing hours (2011 and most of
# 2012; demand grows from the first year to the second), against a running Flywheel.
#
#   Terminal 1:  RETRAINING_SCHEDULE='*/5 * * * * *' scripts/dev.sh    (the retraining timer every 5 s, not every minute)
#   Terminal 2:  scripts/demo.sh
#
# Round 1: a champion trained on 2011 January-June serves 2012 summer traffic; the monitoring report finds the
# inputs drifted, the drift trigger retrains on the newer data, and the candidate goes through shadow and canary
# steps (25%, 50%) judged on error rate, p99 latency, agreement and output drift, then is promoted.
# Round 2: an upstream job starts writing `cnt` in the wrong unit (x10). The retrained candidate passes the gate
# (it is judged on its own labels) but disagrees with the champion on live traffic: rolled back, tagged rejected.
#
# Exits 0 only when round 1 ends promoted and round 2 rolled back. About 3-5 minutes on 2 cores.
# Settings: FLYWHEEL_URL (default http://localhost:7071), FLYWHEEL_KEY (a function key, for the Functions host),
# FLYWHEEL_TESTDATA (default ../shared/testdata), DEMO_NAME (model and dataset name, default bikes; a fresh one
# per run on the same storage, e.g. DEMO_NAME=bikes-2), DEMO_TIMEOUT (seconds per wait, default 240).
# Needs curl, jq and python3. Run from anywhere.
set -euo pipefail

FW=${FLYWHEEL_URL:-http://localhost:7071}
FW=${FW%/}
repo_root=$(cd "$(dirname "$0")/.." && pwd)
testdata=${FLYWHEEL_TESTDATA:-$repo_root/../shared/testdata}
CSV=$testdata/datasets/bike_sharing_hourly/hour_train.csv
NAME=${DEMO_NAME:-bikes}
TIMEOUT=${DEMO_TIMEOUT:-240}
BATCH=10   # records per predict request

for tool in curl jq python3; do
  command -v "$tool" >/dev/null || { echo "demo: $tool is required" >&2; exit 2; }
done
[[ -f $CSV ]] || { echo "demo: no data at $CSV (set FLYWHEEL_TESTDATA to the shared testdata folder)" >&2; exit 2; }

work=$(mktemp -d)
traffic_pid=""
cleanup() {
  [[ -n $traffic_pid ]] && kill "$traffic_pid" 2>/dev/null && wait "$traffic_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

curl_auth=()
[[ -n ${FLYWHEEL_KEY:-} ]] && curl_auth=(-H "x-functions-key: $FLYWHEEL_KEY")

# ---- output ---------------------------------------------------------------------------------------------------
t0=$(date +%s.%N)
elapsed() { awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%6.1f", b - a }'; }
say() { printf '[%ss] %s\n' "$(elapsed)" "$*"; }
phase_names=() phase_starts=() phase_ends=()
phase() { # phase NAME: ends the current phase, starts the next
  local now; now=$(date +%s.%N)
  (( ${#phase_names[@]} )) && phase_ends[${#phase_names[@]}-1]=$now
  phase_names+=("$1") phase_starts+=("$now") phase_ends+=("")
  printf '\n[%ss] === %s\n' "$(elapsed)" "$1"
}
summary() {
  local now i; now=$(date +%s.%N)
  printf '\n%-62s %9s %9s\n' "step" "start s" "took s"
  for i in "${!phase_names[@]}"; do
    awk -v n="${phase_names[i]}" -v s="${phase_starts[i]}" -v e="${phase_ends[i]:-$now}" -v z="$t0" \
      'BEGIN { printf "%-62s %9.1f %9.1f\n", n, s - z, e - s }'
  done
  awk -v z="$t0" -v e="$now" 'BEGIN { printf "%-62s %9s %9.1f\n", "total", "", e - z }'
}
fail() { echo; echo "DEMO FAILED: $*" >&2; summary >&2; exit 1; }

# ---- HTTP -----------------------------------------------------------------------------------------------------
# api METHOD PATH [curl args...]: the body is in $work/body (and printed by `body`); any non-2xx fails the demo
# with the problem+json title and detail.
api() {
  local method=$1 path=$2 code; shift 2
  code=$(curl -sS -o "$work/body" -w '%{http_code}' -X "$method" "${curl_auth[@]}" "$@" "$FW/$path") \
    || fail "$method $FW/$path: no answer (is scripts/dev.sh running?)"
  [[ $code == 2* ]] || fail "$method $path answered HTTP $code: $(problem)"
}
problem() { jq -r '[.title, .detail, (.errors // empty | tostring)] | map(select(. != null)) | join(": ")' "$work/body" 2>/dev/null || head -c 500 "$work/body"; }
body() { cat "$work/body"; }
json() { api "$1" "$2" -H 'Content-Type: application/json' --data-binary "$3"; }
# status PATH: the HTTP status of a GET, without failing
status() { curl -s -o "$work/probe" -w '%{http_code}' "${curl_auth[@]}" "$FW/$1" || echo 000; }

# wait_for WHAT SECONDS COMMAND...: runs COMMAND every second until it succeeds
wait_for() {
  local what=$1 limit=$2 deadline; shift 2
  deadline=$(( $(date +%s) + limit ))
  until "$@"; do
    (( $(date +%s) < deadline )) || fail "timed out after ${limit}s waiting for $what"
    sleep 1
  done
}

# ---- the data -------------------------------------------------------------------------------------------------
# first.csv: 2011 January-June; all.csv: every row (2011 and 2012 to August); wrong-unit.csv: the same with cnt x10;
# batches/NNN.json: 2012 June-August as predict requests (features only).
python3 - "$CSV" "$work" "$BATCH" <<'PY'
import csv, json, os, sys
src, out, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = list(csv.DictReader(open(src, newline="")))
fields = list(rows[0].keys())
def write(name, rs, scale=1):
    with open(os.path.join(out, name), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        for r in rs:
            w.writerow({**r, "cnt": str(int(r["cnt"]) * scale)} if scale != 1 else r)
write("first.csv", [r for r in rows if "2011-01" <= r["dteday"][:7] <= "2011-06"])
write("all.csv", rows)
write("wrong-unit.csv", rows, scale=10)
drop = {"cnt", "casual", "registered", "instant", "dteday", "yr"}
summer = [{k: float(v) if "." in v else int(v) for k, v in r.items() if k not in drop}
          for r in rows if "2012-06" <= r["dteday"][:7] <= "2012-08"]
os.makedirs(os.path.join(out, "batches"))
for i in range(0, len(summer), batch):
    with open(os.path.join(out, "batches", f"{i // batch:04d}.json"), "w") as f:
        json.dump({"records": summer[i:i + batch]}, f)
PY
rows_first=$(( $(wc -l < "$work/first.csv") - 1 ))
rows_all=$(( $(wc -l < "$work/all.csv") - 1 ))
batches=$(find "$work/batches" -name '*.json' | wc -l)

# Traffic: 2012 summer hours through the predict API, BATCH records a request, until stopped. Counts answered and
# failed requests in $work/traffic.ok / .err (the last failure in traffic.last).
start_traffic() {
  : > "$work/traffic.ok"; : > "$work/traffic.err"
  (
    trap 'exit 0' TERM
    while true; do
      for f in "$work"/batches/*.json; do
        code=$(curl -s -o "$work/traffic.body" -w '%{http_code}' "${curl_auth[@]}" -H 'Content-Type: application/json' \
          --data-binary "@$f" "$FW/api/models/$NAME/predict" || echo 000)
        if [[ $code == 2* ]]; then echo >> "$work/traffic.ok"; else echo >> "$work/traffic.err"; { echo "$code"; cat "$work/traffic.body"; } > "$work/traffic.last" 2>/dev/null; fi
        sleep 0.05
      done
    done
  ) &
  traffic_pid=$!
}
stop_traffic() { [[ -n $traffic_pid ]] && { kill "$traffic_pid" 2>/dev/null || true; wait "$traffic_pid" 2>/dev/null || true; traffic_pid=""; }; }
sent() { wc -l < "$work/traffic.ok"; }
failed_requests() { wc -l < "$work/traffic.err"; }
traffic_at_least() { (( $(sent) >= $1 )); }

# ---- retrainings ----------------------------------------------------------------------------------------------
retrainings() { api GET "api/models/$NAME/retrainings"; jq '.items' "$work/body" > "$work/retrainings.json"; }
# A check result as one short item: name=value (limit, pass/FAIL)
checks_jq='[.checks[]? | "\(.check)=\(.value * 1000 | round / 1000) (limit \(.limit), \(if .passed then "ok" else "FAIL" end))"] | join(", ")'
# watch_retraining ID: prints each new step (with its checks) until the retraining finishes; sets FINAL_STATUS
watch_retraining() {
  local id=$1 seen=0 deadline n record
  deadline=$(( $(date +%s) + TIMEOUT ))
  while true; do
    retrainings
    record=$(jq -c --arg id "$id" '.[] | select(.id == $id)' "$work/retrainings.json")
    [[ -n $record ]] || fail "retraining $id is not listed"
    n=$(jq '.steps | length' <<< "$record")
    while (( seen < n )); do
      jq -r --argjson i "$seen" ".steps[\$i] | \"\\(.step)\" + (if .weight != null then \" at \\(.weight)%\" else \"\" end) + \": \\(.detail)\" + (if (.checks // []) | length > 0 then \" [\" + ($checks_jq) + \"]\" else \"\" end)" <<< "$record" \
        | while IFS= read -r line; do say "  step $line"; done
      case $(jq -r --argjson i "$seen" '.steps[$i].step' <<< "$record") in
        trained) phase "round ${ROUND}: shadow (candidate scores a copy of the traffic)" ;;
        shadow) show_deployment ;;
        canary-step) phase "round ${ROUND}: canary at $(jq -r --argjson i "$seen" '.steps[$i].weight' <<< "$record")%"; show_deployment ;;
      esac
      seen=$((seen + 1))
    done
    if jq -e 'has("finished") and .finished != null' <<< "$record" >/dev/null; then
      FINAL_STATUS=$(jq -r '.status' <<< "$record")
      FINAL_RECORD=$record
      say "retraining $id: $FINAL_STATUS ($(jq -r '.reason // ""' <<< "$record"))"
      return 0
    fi
    if (( $(date +%s) >= deadline )); then
      fail "retraining $id still $(jq -r .status <<< "$record") after ${TIMEOUT}s (traffic: $(sent) answered, $(failed_requests) failed): $record"
    fi
    sleep 1
  done
}
champion() { api GET "api/models/$NAME"; jq -r '.aliases.champion // empty' "$work/body"; }
show_deployment() {
  api GET "api/models/$NAME/deployment"
  say "  routes: $(jq -r '[.deployment.routes[]? | "\(.version)=\(.weight)%"] + (if .deployment.shadow then ["shadow \(.deployment.shadow.version)"] else [] end) | if length == 0 then "the champion alone (no deployment)" else join(" ") end' "$work/body")"
  say "  signal: $(jq -r '[.signal[]? | "v\(.version) requests=\(.requests) errors=\(.errors) p99=\(if .latencyP99Ms then (.latencyP99Ms * 100 | round / 100 | tostring) + " ms" else "-" end) shadow=\(.shadowRequests) agreed=\(.shadowAgreed)/\(.shadowCompared)"] | join("; ")' "$work/body")"
}
# policy AGREEMENT_MIN OUTPUT_DRIFT_MAX: drift fires (no newData trigger: the story is drift), no cooldown, short
# canary intervals; latency keeps its defaults (p99 at most 500 ms, and 1.2x the champion's when significantly slower).
policy() {
  cat <<JSON
{"triggers": {"drift": {"minShare": 0.3, "consecutive": 1}}, "cooldown": "PT0S", "promotion": "canary",
 "canary": {"shadowFirst": "PT20S", "steps": [25, 50], "interval": "PT20S", "maxDuration": "PT5M", "minRequests": 30, "failureLimit": 1,
            "checks": {"errorRate": {"max": 0.01}, "agreement": {"min": $1}, "outputDrift": {"max": $2}}}}
JSON
}

# ================================================================================================================
phase "preflight"
say "Flywheel at $FW; model and dataset '$NAME'; data $CSV"
say "hint: start the app with RETRAINING_SCHEDULE='*/5 * * * * *' scripts/dev.sh, or each retraining waits up to a minute to start"
[[ $(status api/health) == 200 ]] || fail "$FW/api/health does not answer 200: start scripts/dev.sh (or set FLYWHEEL_URL)"
if [[ $(status "api/models/$NAME") != 404 || $(status "api/datasets/$NAME") != 404 ]]; then
  fail "'$NAME' already exists on this storage: run with DEMO_NAME=$NAME-$(date +%H%M%S) (or start from empty storage)"
fi
say "data: $rows_first rows 2011 Jan-Jun, $rows_all rows in all, $batches traffic batches of $BATCH rows (2012 Jun-Aug)"

# ---- 1. the champion ------------------------------------------------------------------------------------------
phase "1. upload 2011 Jan-Jun as $NAME v1"
api PUT "api/datasets/$NAME" --data-binary "@$work/first.csv" -H 'Content-Type: text/csv' -H 'X-File-Name: bikes-2011h1.csv'
say "dataset $NAME v$(jq -r .version "$work/body"): $(jq -r .rows "$work/body") rows"
json PUT "api/models/$NAME/training" "{\"dataset\": \"$NAME\", \"label\": \"cnt\", \"exclude\": [\"casual\", \"registered\", \"instant\", \"dteday\", \"yr\"], \"trials\": 2, \"trainers\": [\"lightgbm\"], \"seed\": 7, \"gate\": {\"minRows\": 50}}"
say "training request saved: label cnt, lightgbm, 2 trials (excluded: casual registered instant dteday yr)"

phase "1. train the champion (v1)"
api POST "api/models/$NAME/train"
run=$(jq -r .id "$work/body")
say "training $run"
pipeline_done() {
  api GET "api/pipelines/$run"
  local s; s=$(jq -r .runtimeStatus "$work/body")
  case $s in Completed) return 0 ;; Failed|Terminated) fail "training $run ended $s: $(jq -c '.output // .' "$work/body" | head -c 800)" ;; esac
  return 1
}
wait_for "training $run" "$TIMEOUT" pipeline_done
say "training done: $(jq -r '.output | "version \(.version // .candidate // "?"), \(.promotion // "?")"' "$work/body")"
[[ $(champion) == 1 ]] || fail "after training, the champion is '$(champion)', not version 1"
say "champion is version 1"

# ---- 2. the policy --------------------------------------------------------------------------------------------
phase "2. set the retraining policy (drift trigger, canary)"
# Round 1's candidate learnt that demand grew, so it is expected to disagree with the 2011 champion: no agreement
# floor here, and output drift (its higher predictions) is expected too. Errors and latency are judged.
json PUT "api/models/$NAME/policy" "$(policy 0 1)"
say "policy: drift minShare 0.3, cooldown PT0S, shadow 20s, steps 25% 50% every 20s, minRequests 30, failureLimit 1, p99 <= 100 ms"

# ---- 3. round 1: drift ----------------------------------------------------------------------------------------
ROUND=1
phase "round 1: 2012 summer traffic, then drift/run"
start_traffic
wait_for "the first 40 predictions" 60 traffic_at_least 40
(( $(failed_requests) == 0 )) || fail "predictions fail: $(cat "$work/traffic.last")"
say "traffic flowing: $(sent) requests of $BATCH rows answered"
api PUT "api/datasets/$NAME" --data-binary "@$work/all.csv" -H 'Content-Type: text/csv' -H 'X-File-Name: bikes-2011-2012.csv'
say "dataset $NAME v$(jq -r .version "$work/body"): $(jq -r .rows "$work/body") rows (2011 and 2012 to August), what a retraining learns from"
sleep 6   # the prediction log is flushed every 5 s
drift_report() {
  api POST "api/models/$NAME/drift/run" -H 'Content-Type: application/json' --data-binary '{}'
  [[ $(jq -r .verdict "$work/body") != not-enough-data ]]
}
wait_for "a drift report with enough logged rows" 60 drift_report
say "drift report $(jq -r .id "$work/body"): verdict $(jq -r .verdict "$work/body"), share $(jq -r '.inputs.share * 1000 | round / 1000' "$work/body") of $(jq -r .inputs.columns "$work/body") columns (reference $(jq -r '.inputs.reference.rows' "$work/body") training rows, current $(jq -r '.inputs.current.rows' "$work/body") logged rows)"
say "drifted columns: $(jq -r '[.inputs.columnResults[] | select(.drifted) | "\(.column) (\(.method) \(.score * 1000 | round / 1000))"] | join(", ")' "$work/body")"

phase "round 1: drift trigger fires, retraining starts"
retraining_by_drift() {
  retrainings
  jq -e '[.[] | select(.trigger.kind == "drift" and .status != "pending")] | length > 0' "$work/retrainings.json" >/dev/null
}
wait_for "a retraining triggered by drift to start (is RETRAINING_SCHEDULE short?)" "$TIMEOUT" retraining_by_drift
r1=$(jq -r '[.[] | select(.trigger.kind == "drift")][0]' "$work/retrainings.json")
r1_id=$(jq -r .id <<< "$r1")
say "retraining $r1_id: trigger $(jq -r .trigger.kind <<< "$r1") ($(jq -r .trigger.reason <<< "$r1")), evidence $(jq -c .trigger.evidence <<< "$r1")"
phase "round 1: train the candidate"
watch_retraining "$r1_id"
r1_status=$FINAL_STATUS
r1_candidate=$(jq -r '.candidate // empty' <<< "$FINAL_RECORD")
show_deployment
c=$(champion)
say "round 1 ended $r1_status; champion is now version $c (candidate was $r1_candidate)"

# ---- 4. round 2: the wrong unit -------------------------------------------------------------------------------
ROUND=2
phase "round 2: upload cnt x10, retrain with an agreement floor"
[[ $r1_status == promoted ]] || fail "round 1 ended '$r1_status', not promoted: $(jq -r .reason <<< "$FINAL_RECORD")"
[[ $c == "$r1_candidate" ]] || fail "round 1 promoted, but the champion alias is '$c', not the candidate $r1_candidate"
champion_before=$c
api PUT "api/datasets/$NAME" --data-binary "@$work/wrong-unit.csv" -H 'Content-Type: text/csv' -H 'X-File-Name: bikes-wrong-unit.csv'
say "dataset $NAME v$(jq -r .version "$work/body"): cnt in tenths of a ride (an upstream job changed units)"
# Now the candidate must agree with the champion on 80% of the live requests (a regressor agrees within 5%).
json PUT "api/models/$NAME/policy" "$(policy 0.8 1)"
say "policy: agreement min 0.8"
json POST "api/models/$NAME/retrainings" '{"reason": "demo round 2: new labels arrived"}'
r2_id=$(jq -r .id "$work/body")
say "retraining $r2_id: trigger $(jq -r .trigger.kind "$work/body"), status $(jq -r .status "$work/body")"
phase "round 2: train the candidate"
watch_retraining "$r2_id"
r2_status=$FINAL_STATUS
r2_candidate=$(jq -r '.candidate // empty' <<< "$FINAL_RECORD")
stop_traffic

phase "round 2: check the rollback"
say "failing checks: $(jq -r '[.steps[] | select(.step == "failed") | .checks[]? | select(.passed | not) | "\(.check)=\(.value * 1000 | round / 1000) (limit \(.limit)): \(.detail)"] | join("; ")' <<< "$FINAL_RECORD")"
c=$(champion)
say "champion is version $c (was $champion_before)"
if [[ -n $r2_candidate ]]; then
  api GET "api/models/$NAME/versions/$r2_candidate"
  say "candidate v$r2_candidate tag rejected: $(jq -r '.tags.rejected // "(none)"' "$work/body")"
fi
show_deployment
say "traffic: $(sent) requests answered, $(failed_requests) failed"

phase "done"
[[ $r2_status == rolled-back ]] || fail "round 2 ended '$r2_status', not rolled-back: $(jq -r .reason <<< "$FINAL_RECORD")"
[[ $c == "$champion_before" ]] || fail "round 2 rolled back, but the champion is '$c', not $champion_before"
(( $(failed_requests) == 0 )) || say "warning: $(failed_requests) predictions failed; the last: $(cat "$work/traffic.last")"
echo
echo "Round 1 (drift): $r1_status, champion v1 -> v$champion_before.  Round 2 (cnt x10): $r2_status, champion still v$c."
summary
