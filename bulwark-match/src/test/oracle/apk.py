"""Writes an apk corpus: for random pairs of Alpine versions, what `apk version -t` says.

Needs an apk-tools 3 binary (Alpine 3.23's, or one built from apk-tools 3.0) named by $APK. Lines:
"cmp<TAB>a<TAB>b<TAB>sign", and "valid<TAB>s<TAB>0|1" for what `apk version -c` says of near-versions.
"""
import os
import random
import subprocess

APK = os.environ["APK"].split()
rnd = random.Random(2014)


def pick(*options):
    return rnd.choice(options)


def version():
    numbers = ".".join(pick("0", "1", "2", "10", "01", "00", "010", "001", "02", "20250503")
                       for _ in range(rnd.randint(1, 4)))
    letter = pick("", "", "", "a", "b", "z")
    suffixes = "".join("_" + pick("alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p")
                       + pick("", "", "0", "1", "2", "01", "10") for _ in range(rnd.randint(0, 2)))
    hash_ = pick("", "", "", "", "~0a1b", "~ff")
    revision = pick("", "", "-r0", "-r1", "-r2", "-r10", "-r01")
    return numbers + letter + suffixes + hash_ + revision


def tail(v):
    # a near neighbour: where the subtle cases are
    return v + pick("", ".0", ".1", "0", "a", "_alpha", "_p", "_p0", "_rc1", "-r0", "-r1", "~abc", ".01", ".00")


def apk_cmp(a, b):
    out = subprocess.run(APK + ["version", "-t", a, b], capture_output=True, text=True, check=True).stdout.strip()
    return {"<": -1, "=": 0, ">": 1}[out]


def valid(v):
    return subprocess.run(APK + ["version", "-c", v], capture_output=True).returncode == 0


print("# " + subprocess.run(APK + ["--version"], capture_output=True, text=True).stdout.strip())
for _ in range(1500):
    a = version()
    b = pick(version(), tail(a), tail(a), tail(a))
    if valid(a) and valid(b):
        print("cmp\t%s\t%s\t%d" % (a, b, apk_cmp(a, b)))
for _ in range(300):
    v = version()
    i = rnd.randrange(len(v) + 1)
    near = pick(v, v[:i] + pick(".", "_", "-", "~", "a", "r", "0", "-r", "_p", "A", "") + v[i:], v[:i])
    if near and not near.startswith("-"):
        print("valid\t%s\t%d" % (near, 1 if valid(near) else 0))
