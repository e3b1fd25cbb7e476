#!/usr/bin/env bash
# ONNX Runtime session options for serving, measured in-process on this machine: intra-op threads x
# graph optimization level x CPU memory arena, for the small tabular model of bench/serving.sh and a CNN.
# Each row: one-row Run throughput from 2 concurrent callers (how the server runs requests) and the
# rows/s of one 1,000-row batch. Usage: bench/serving-options.sh [seconds per configuration, default 5]
set -euo pipefail
source "$(dirname "$0")/../scripts/tools.sh"
cd "$repo_root"
seconds=${1:-5}
models=$(cd .. && pwd)/shared/testdata/models
dotnet build bench/Flywheel.Bench.Serving -c Release --nologo -v quiet -clp:ErrorsOnly
bench_dll=artifacts/bin/Flywheel.Bench.Serving/release/Flywheel.Bench.Serving.dll
for model in 01_skl2onnx_rf_iris_zipmap 11_pytorch_cifar10_cnn_dynamic_batch; do
  echo "== $model"
  dotnet "$bench_dll" options "$models/$model/model.onnx" "$seconds"
done
