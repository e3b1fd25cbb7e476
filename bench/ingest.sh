#!/usr/bin/env bash
# Ingest throughput, side by side on one machine: Flywheel's pass (SHA-256 + CSV parse + schema +
# profile) against `openssl dgst -sha256` (the hashing floor: SHA-NI), sha256sum, and pandas
# read_csv + describe (Debian python3-pandas); then the pass's parts alone: .NET's SHA-256,
# Flywheel's CSV reader, and Sep's (the SIMD parser issue 15 asks to weigh against ours).
# Usage: bench/ingest.sh [size-in-GB, default 1]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
size=${1:-1}
work=${BENCH_DIR:-$root/bench/results}
mkdir -p "$work"
csv="$work/ingest-${size}gb.csv"
[[ -f "$csv" ]] || python3 "$root/bench/gen_csv.py" "$csv" "$size"
bytes=$(stat -c %s "$csv")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')

dotnet build "$root/bench/Flywheel.Bench.Ingest" -c Release --nologo -v quiet -clp:ErrorsOnly
cat "$csv" > /dev/null # warm the page cache for every contestant alike

start=$(date +%s.%N); sha256sum "$csv" > /dev/null; end=$(date +%s.%N)
sha_s=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
start=$(date +%s.%N); openssl dgst -sha256 "$csv" > /dev/null; end=$(date +%s.%N)
ssl_s=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
bench_dll="$root/artifacts/bin/Flywheel.Bench.Ingest/release/Flywheel.Bench.Ingest.dll"
parts=$(for part in hash parse sep; do dotnet "$bench_dll" "$part" "$csv"; done)
flywheel=$(dotnet "$root/artifacts/bin/Flywheel.Bench.Ingest/release/Flywheel.Bench.Ingest.dll" "$csv")
pandas=$(/usr/bin/python3 "$root/bench/pandas_profile.py" "$csv" 2>&1 || echo "pandas seconds=nan peakMB=nan")

fly_s=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$flywheel")
fly_peak=$(sed -n 's/.*peakMB=\([0-9]*\).*/\1/p' <<<"$flywheel")
pd_s=$(sed -n 's/.*seconds=\([0-9.na]*\).*/\1/p' <<<"$pandas")
pd_peak=$(sed -n 's/.*peakMB=\([0-9na]*\).*/\1/p' <<<"$pandas")
echo "file: $csv ($mb MB)"
echo "$flywheel"
echo "$pandas"
echo "sha256sum seconds=$sha_s"
echo "openssl dgst -sha256 seconds=$ssl_s"
echo "$parts"
awk -v mb="$mb" -v f="$fly_s" -v s="$sha_s" -v o="$ssl_s" -v p="$pd_s" -v fp="$fly_peak" -v pp="$pd_peak" 'BEGIN {
  printf "| ingest %s MB | Flywheel %.0f MB/s, peak %s MB | openssl %.0f MB/s, sha256sum %.0f MB/s | pandas %.0f MB/s, peak %s MB | Flywheel/pandas %.2fx (target >= 5), Flywheel/openssl %.2f (target >= 0.25) |\n",
    mb, mb / f, fp, mb / o, mb / s, mb / p, pp, p / f, o / f }'
