"""Writes a ~1 MB ONNX model (a 512x512 float MatMul + Add) for the first-prediction latency figure."""
import sys
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

rng = np.random.default_rng(0)
w = numpy_helper.from_array(rng.standard_normal((512, 512)).astype(np.float32), "W")
b = numpy_helper.from_array(rng.standard_normal((512,)).astype(np.float32), "B")
graph = helper.make_graph(
    [helper.make_node("MatMul", ["x", "W"], ["h"]), helper.make_node("Add", ["h", "B"], ["y"])],
    "dense",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 512])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 512])],
    initializer=[w, b],
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="flywheel-bench")
model.ir_version = 8
onnx.save(model, sys.argv[1])
