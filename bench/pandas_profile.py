"""The peer: pandas reads the CSV and describes every column (numeric and categorical)."""
import sys, time, resource
import pandas as pd

start = time.time()
frame = pd.read_csv(sys.argv[1])
summary = frame.describe(include="all")
seconds = time.time() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"pandas rows={len(frame)} columns={summary.shape[1]} seconds={seconds:.2f} peakMB={peak:.0f}")
