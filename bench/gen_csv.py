"""Writes a synthetic tabular CSV of at least the requested size (default 1 GB): mixed numeric,
categorical, boolean, datetime and free-text columns with some missing cells and quoted fields."""
import random, sys

target = int(float(sys.argv[2]) * 1e9) if len(sys.argv) > 2 else 10**9
path = sys.argv[1]
random.seed(42)
cities = ["Seattle", "Lisbon", "Osaka", "Nairobi", "Lima", "Oslo", "Pune", "Quito"]
written = 0
with open(path, "w", newline="") as f:
    header = "id,age,income,score,city,active,signup,note,clicks,ratio\n"
    f.write(header)
    written += len(header)
    i = 0
    while written < target:
        rows = []
        for _ in range(10000):
            i += 1
            age = "" if i % 97 == 0 else str(18 + (i * 7919) % 60)
            note = '"likes a, b and ""c"""' if i % 13 == 0 else "plain"
            rows.append(f"{i},{age},{random.gauss(52000, 15000):.2f},{random.random():.6f},{cities[i % 8]},"
                        f"{'true' if i % 3 else 'false'},2024-{1 + i % 12:02d}-{1 + i % 28:02d},{note},{i % 1000},{random.random() * 3:.4f}\n")
        chunk = "".join(rows)
        f.write(chunk)
        written += len(chunk)
print(f"{path}: {written} bytes, {i} rows")
