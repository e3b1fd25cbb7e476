#!/usr/bin/env bash
# Dataset drift on 1,000,000 rows x 25 columns (20 numeric, 5 categorical, seeded; bench/gen_drift.py):
# LocalHost's GET api/datasets/{name}/drift (Evidently's defaults, then method=psi) against a
# numpy/scipy script computing the same tests on the same files (bench/drift_peer.py), side by side.
# Needs Debian's python3-scipy, -pandas. Usage: bench/drift.sh [rows, default 1000000]
set -euo pipefail
source "$(dirname "$0")/../scripts/tools.sh"
cd "$repo_root"
rows=${1:-1000000}
work=$(mktemp -d -t flywheel-bench-XXXXXX)
pids=()
cleanup() { for pid in "${pids[@]}"; do stop_process "$pid"; done; rm -rf "$work"; }
trap cleanup EXIT

install_node_tools
dotnet build src/Flywheel.LocalHost -c Release --nologo -v quiet -clp:ErrorsOnly
/usr/bin/python3 bench/gen_drift.py "$work/reference.csv" "$work/current.csv" "$rows"
blob=$(free_port) queue=$(free_port) table=$(free_port) api=$(free_port)
start_azurite "$work/azurite" "$blob" "$queue" "$table" "$work/azurite.log"
pids+=("$AZURITE_PID")
wait_for_port "$blob" 30 && wait_for_port "$table" 30
AzureWebJobsStorage=$(azurite_connection_string "$blob" "$queue" "$table") Logging__LogLevel__Default=Warning \
  dotnet artifacts/bin/Flywheel.LocalHost/release/Flywheel.LocalHost.dll --urls "http://127.0.0.1:$api" > "$work/localhost.log" 2>&1 &
server=$!
pids+=("$server")
wait_for_port "$api" 60
base="http://127.0.0.1:$api"
curl -sf -o /dev/null -X PUT -H 'X-File-Name: reference.csv' --data-binary @"$work/reference.csv" "$base/api/datasets/drifting"
curl -sf -o /dev/null -X PUT -H 'X-File-Name: current.csv' --data-binary @"$work/current.csv" "$base/api/datasets/drifting"
before=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
auto_s=$(curl -sf -o "$work/auto.json" -w '%{time_total}' "$base/api/datasets/drifting/drift?reference=1&current=2")
psi_s=$(curl -sf -o "$work/psi.json" -w '%{time_total}' "$base/api/datasets/drifting/drift?reference=1&current=2&method=psi")
after=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
/usr/bin/python3 bench/drift_peer.py "$work/reference.csv" "$work/current.csv" > "$work/peer.json"
cp "$work/localhost.log" /tmp/drift-localhost.log; python3 - "$auto_s" "$psi_s" "$before" "$after" "$work/auto.json" "$work/psi.json" "$work/peer.json" <<'PY'
import json, sys
auto_s, psi_s, before, after = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]) / 1024, int(sys.argv[4]) / 1024
auto, psi, peer = (json.load(open(p)) for p in sys.argv[5:8])
ours = auto_s + psi_s
worst = 0.0
for report, key in ((auto, None), (psi, "psi")):
    for c in report["columnResults"]:
        expected = peer["values"][c["column"]][key or c["method"]]
        worst = max(worst, abs(expected - c["score"]))
print(f"rows: {auto['reference']['rows']:,} + {auto['current']['rows']:,}; columns {auto['columns']}, drifted {auto['driftedColumns']} (auto), {psi['driftedColumns']} (psi)")
print(f"Flywheel: defaults {auto_s:.2f} s + PSI {psi_s:.2f} s = {ours:.2f} s; LocalHost peak RSS {before:.0f} MB after ingest, {after:.0f} MB after drift")
print(f"numpy/scipy: {peer['seconds']:.2f} s (read_csv {peer['readSeconds']:.2f} s), peak {peer['peakMb']:.0f} MB")
print(f"ratio: {peer['seconds'] / ours:.2f}x the peer's time (target >= 10x); largest difference from the peer's values: {worst:.2e} (target 1e-9)")
PY
