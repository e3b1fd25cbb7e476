#!/usr/bin/env bash
# Dataset drift on 1,000,000 rows x 25 columns (20 numeric, 5 categorical, seeded; bench/gen_drift.py):
# LocalHost's GET api/datasets/{name}/drift (Evidently's defaults, then method=psi) against a
# numpy/scipy script computing the same tests on the same files (bench/drift_peer.py), side by side.
# Needs Debian's python3-scipy, -pandas. Usage: bench/drift.sh [rows, default 1000000]
set -euo pipefail
rows=${1:-1000000}
source "$(dirname "$0")/flywheel.sh"
/usr/bin/python3 bench/gen_drift.py "$work/reference.csv" "$work/current.csv" "$rows"
start_flywheel
curl -sf -o /dev/null -X PUT -H 'X-File-Name: reference.csv' --data-binary @"$work/reference.csv" "$base/api/datasets/drifting"
curl -sf -o /dev/null -X PUT -H 'X-File-Name: current.csv' --data-binary @"$work/current.csv" "$base/api/datasets/drifting"
before=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
auto_s=$(curl -sf -o "$work/auto.json" -w '%{time_total}' "$base/api/datasets/drifting/drift?reference=1&current=2")
psi_s=$(curl -sf -o "$work/psi.json" -w '%{time_total}' "$base/api/datasets/drifting/drift?reference=1&current=2&method=psi")
after=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
/usr/bin/python3 bench/drift_peer.py "$work/reference.csv" "$work/current.csv" > "$work/peer.json"
python3 - "$auto_s" "$psi_s" "$before" "$after" "$work/auto.json" "$work/psi.json" "$work/peer.json" <<'PY'
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
