#!/usr/bin/env bash
# Dataset drift on 1,000,000 rows x 25 columns (20 numeric, 5 categorical, seeded; bench/gen_drift.py):
# LocalHost's GET api/datasets/{name}/drift (Evidently's defaults; every column also carries its PSI)
# against a numpy/scipy script computing the same tests on the same files (bench/drift_peer.py),
# side by side. A second request (method=psi) is timed too, for the README's breakdown.
# Needs Debian's python3-scipy, -pandas. Usage: bench/drift.sh [rows, default 1000000]
set -euo pipefail
rows=${1:-1000000}
source "$(dirname "$0")/flywheel.sh"
/usr/bin/python3 bench/gen_drift.py "$work/reference.csv" "$work/current.csv" "$rows"
start_flywheel
ingest_ref_s=$(curl -sf -o /dev/null -w '%{time_total}' -X PUT -H 'X-File-Name: reference.csv' --data-binary @"$work/reference.csv" "$base/api/datasets/drifting")
ingest_cur_s=$(curl -sf -o /dev/null -w '%{time_total}' -X PUT -H 'X-File-Name: current.csv' --data-binary @"$work/current.csv" "$base/api/datasets/drifting")
before=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
auto_s=$(curl -sf -o "$work/auto.json" -w '%{time_total}' "$base/api/datasets/drifting/drift?reference=1&current=2")
after=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
again_s=$(curl -sf -o /dev/null -w '%{time_total}' "$base/api/datasets/drifting/drift?reference=1&current=2")
psi_s=$(curl -sf -o "$work/psi.json" -w '%{time_total}' "$base/api/datasets/drifting/drift?reference=1&current=2&method=psi")
/usr/bin/python3 bench/drift_peer.py "$work/reference.csv" "$work/current.csv" > "$work/peer.json"
python3 - "$auto_s" "$psi_s" "$before" "$after" "$work/auto.json" "$work/psi.json" "$work/peer.json" "$again_s" "$ingest_ref_s" "$ingest_cur_s" <<'PY'
import json, sys
auto_s, psi_s, before, after = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]) / 1024, int(sys.argv[4]) / 1024
auto, psi, peer = (json.load(open(p)) for p in sys.argv[5:8])
ours = auto_s
worst = 0.0
for c in auto["columnResults"]:
    worst = max(worst, abs(peer["values"][c["column"]][c["method"]] - c["score"]), abs(peer["values"][c["column"]]["psi"] - c["psi"]))
for c in psi["columnResults"]:
    worst = max(worst, abs(peer["values"][c["column"]]["psi"] - c["score"]))
print(f"rows: {auto['reference']['rows']:,} + {auto['current']['rows']:,}; columns {auto['columns']}, drifted {auto['driftedColumns']} (auto), {psi['driftedColumns']} (psi)")
print(f"Flywheel: defaults with PSI {auto_s:.2f} s; the same comparison again (columns cached within Flywheel__Monitoring__ColumnCacheBytes): {float(sys.argv[8]):.2f} s; method=psi: {psi_s:.2f} s; LocalHost peak RSS {before:.0f} MB after ingest, {after:.0f} MB after drift")
print(f"ingest (hash, profile, store the columns): {float(sys.argv[9]):.2f} s + {float(sys.argv[10]):.2f} s for the two versions")
print(f"numpy/scipy: {peer['seconds']:.2f} s (read_csv {peer['readSeconds']:.2f} s), peak {peer['peakMb']:.0f} MB")
print(f"ratio: {peer['seconds'] / ours:.2f}x the peer's time (target >= 10x); largest difference from the peer's values: {worst:.2e} (target 1e-9)")
PY
