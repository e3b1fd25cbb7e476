#!/usr/bin/python3
"""Two seeded CSV files for the drift bench: rows x (20 numeric + 5 categorical) columns; the
current file shifts num00-num04 and changes the shares of cat0-cat1.
Usage: bench/gen_drift.py <reference.csv> <current.csv> [rows, default 1000000]"""
import sys
import numpy as np
import pandas as pd

reference_path, current_path = sys.argv[1:3]
rows = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
rng = np.random.default_rng(2026)

def frame(shift):
    data = {}
    for i in range(20):
        mean, scale = i * 3.0, 1.0 + i / 4
        data[f"num{i:02d}"] = np.round(rng.normal(mean + (shift * scale if i < 5 else 0), scale, rows), 4)
    for i in range(5):
        k = 6 + i
        shares = np.linspace(1, 2, k) if shift and i < 2 else np.ones(k)
        data[f"cat{i}"] = np.array([f"c{i}_{j}" for j in range(k)])[rng.choice(k, rows, p=shares / shares.sum())]
    return pd.DataFrame(data)

frame(0).to_csv(reference_path, index=False)
frame(0.5).to_csv(current_path, index=False)
