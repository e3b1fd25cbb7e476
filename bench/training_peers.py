#!/usr/bin/python3
"""The peers of a Flywheel training run on its own rows: scikit-learn's HistGradientBoosting and
xgboost with their defaults, fitted on the run's train + validation frames and scored on its test
frame (the rows Flywheel's winner was refitted on and scored on). Prints one JSON object.
Usage (Debian's python3 with python3-sklearn, -xgboost, -pandas):
  bench/training_peers.py <binary|regression> <train.csv> <validation.csv> <test.csv> <seed> [repeats]"""
import json, sys, time
import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.metrics import mean_squared_error, roc_auc_score
import xgboost as xgb

task, train_path, valid_path, test_path, seed = sys.argv[1:6]
repeats = int(sys.argv[6]) if len(sys.argv) > 6 else 3
seed = int(seed)
# Flywheel's frames: the features, then the label; missing cells empty.
fit = pd.concat([pd.read_csv(train_path, keep_default_na=False, na_values=[""]), pd.read_csv(valid_path, keep_default_na=False, na_values=[""])], ignore_index=True)
test = pd.read_csv(test_path, keep_default_na=False, na_values=[""])
label = fit.columns[-1]
features = list(fit.columns[:-1])
categorical = [c for c in features if fit[c].dtype == object]

def encode(frame):
    """Categories as codes of the fit rows' categories (unseen and missing: NaN), numbers as they are."""
    out = pd.DataFrame(index=frame.index)
    for c in features:
        if c in categorical:
            codes = pd.Categorical(frame[c], categories=sorted(fit[c].dropna().unique())).codes.astype(float)
            codes[codes < 0] = np.nan
            out[c] = codes
        else:
            out[c] = frame[c].astype(float)
    return out

x_fit, x_test = encode(fit), encode(test)
mask = [c in categorical for c in features]
if task == "binary":
    classes = sorted(fit[label].astype(str).unique())
    y_fit = (fit[label].astype(str) == classes[1]).astype(int).to_numpy()
    y_test = (test[label].astype(str) == classes[1]).astype(int).to_numpy()
else:
    y_fit, y_test = fit[label].astype(float).to_numpy(), test[label].astype(float).to_numpy()

def timed(make):
    times, model = [], None
    for _ in range(repeats):
        model = make()
        start = time.perf_counter()
        model.fit(x_fit, y_fit)
        times.append(time.perf_counter() - start)
    return model, sorted(times)[len(times) // 2]

def score(model):
    if task == "binary":
        return {"auc": roc_auc_score(y_test, model.predict_proba(x_test)[:, 1])}
    return {"rmse": float(np.sqrt(mean_squared_error(y_test, model.predict(x_test))))}

results = {}
hgb = HistGradientBoostingClassifier if task == "binary" else HistGradientBoostingRegressor
model, seconds = timed(lambda: hgb(categorical_features=mask, random_state=seed))
results["sklearn-hgb"] = {**score(model), "fitSeconds": seconds}
xgb_type = xgb.XGBClassifier if task == "binary" else xgb.XGBRegressor
model, seconds = timed(lambda: xgb_type(tree_method="hist", random_state=seed))
results["xgboost"] = {**score(model), "fitSeconds": seconds}
results["rows"] = {"fit": len(fit), "test": len(test)}
print(json.dumps(results))
