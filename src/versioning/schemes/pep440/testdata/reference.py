# Differential reference for index.test.ts: packaging.version.Version from python3-packaging.
# stdin: a count N, N hex-encoded UTF-8 versions, then "i j" index pairs, one per line.
# stdout: the packaging version, then "ok"/"err" per version, then -1/0/1 (or "x") per pair.
import sys

import packaging
from packaging.version import InvalidVersion, Version

lines = sys.stdin.read().split("\n")
count = int(lines[0])
parsed = []
out = ["packaging " + packaging.__version__]
for line in lines[1 : 1 + count]:
    try:
        parsed.append(Version(bytes.fromhex(line).decode("utf-8")))
        out.append("ok")
    except InvalidVersion:
        parsed.append(None)
        out.append("err")
for line in lines[1 + count :]:
    if line:
        a, b = (parsed[int(k)] for k in line.split())
        out.append("x" if a is None or b is None else str((a > b) - (a < b)))
sys.stdout.write("\n".join(out) + "\n")
