"""Writes an iris-shaped CSV of N rows (default 1,000,000): the 150 rows of Debian's sklearn iris.csv
cycled with small seeded noise, under named columns (the schema of the shared iris RandomForest)."""
import csv, random, sys

path, rows = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
source = sys.argv[3] if len(sys.argv) > 3 else "../shared/testdata/datasets/sklearn_debian/iris.csv"
iris = [r for r in csv.reader(open(source))][1:]
random.seed(7)
with open(path, "w") as f:
    f.write("sepal_length,sepal_width,petal_length,petal_width,species\n")
    for i in range(rows):
        r = iris[i % len(iris)]
        f.write(",".join(f"{float(v) + random.uniform(-0.05, 0.05):.2f}" for v in r[:4]) + f",{r[4]}\n")
print(f"{path}: {rows} rows")
