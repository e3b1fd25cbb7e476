#!/usr/bin/python3
"""The numpy/scipy peer of Flywheel's dataset drift on the same two files: Evidently's defaults for
a reference over 1,000 rows (numeric: Wasserstein normed by the reference std; categorical:
Jensen-Shannon on shares) plus PSI (numeric: the reference's 10 equal-width bins, empty bins 0.0001;
categorical: shares). Prints JSON: seconds (read + tests), peak RSS, and every value.
Usage: bench/drift_peer.py <reference.csv> <current.csv>"""
import json, resource, sys, time
import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial import distance

start = time.perf_counter()
ref, cur = pd.read_csv(sys.argv[1]), pd.read_csv(sys.argv[2])
read = time.perf_counter() - start

def shares(a, b):
    keys = sorted(set(a.unique()) | set(b.unique()))
    ca, cb = a.value_counts(), b.value_counts()
    return np.array([ca.get(k, 0) / len(a) for k in keys]), np.array([cb.get(k, 0) / len(b) for k in keys])

def psi(p, q):
    p, q = np.where(p == 0, 0.0001, p), np.where(q == 0, 0.0001, q)
    return float(np.sum((p - q) * np.log(p / q)))

values = {}
for column in ref.columns:
    a, b = ref[column].dropna(), cur[column].dropna()
    if a.dtype.kind in "if":
        w = stats.wasserstein_distance(a, b) / np.std(a)
        edges = np.histogram_bin_edges(a, bins=10)
        pa = np.histogram(np.clip(a, edges[0], edges[-1]), bins=edges)[0] / len(a)
        pb = np.histogram(np.clip(b, edges[0], edges[-1]), bins=edges)[0] / len(b)
        values[column] = {"wasserstein": float(w), "psi": psi(pa, pb)}
    else:
        p, q = shares(a, b)
        values[column] = {"jensenshannon": float(distance.jensenshannon(p, q)), "psi": psi(p, q)}
total = time.perf_counter() - start
print(json.dumps({"seconds": total, "readSeconds": read, "peakMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "values": values}))
