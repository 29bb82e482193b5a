"""Writes a PEP 440 corpus: for random pairs of version strings, what packaging.version says.

Lines: "cmp<TAB>a<TAB>b<TAB>sign" for valid pairs, "invalid<TAB>s" for strings packaging rejects,
"normal<TAB>s<TAB>normalised" for the normal form of valid ones.
"""
import random

import packaging
from packaging.version import InvalidVersion, Version

rnd = random.Random(440)


def pick(*options):
    return rnd.choice(options)


def version():
    epoch = pick("", "", "", "1!", "0!", "2!")
    release = ".".join(pick("0", "1", "2", "10", "00", "01") for _ in range(rnd.randint(1, 4)))
    pre = pick("", "", "", "a1", "b2", "rc1", "c3", "a", "-alpha2", ".beta", "_pre1", "preview", "RC2", "A1")
    post = pick("", "", "", ".post1", "-1", ".post", "post2", "-post3", ".rev1", "r2", "_post_4")
    dev = pick("", "", "", ".dev0", ".dev1", "dev", "-dev2", "_DEV3")
    local = pick("", "", "", "", "+abc", "+1", "+01", "+a.1", "+1.a", "+ubuntu-1", "+A_2", "+abc.5")
    prefix = pick("", "", "", "", "v", "V", " ")
    return prefix + epoch + release + pre + post + dev + local


def garbage():
    base = version()
    return pick(base + "+", base + "..", "1.0-", "a1", "1.0.x", "1.0+a+b", "", "1!", "1.0_", base + "+-a", "1.0ab")


def sign(x):
    return (x > 0) - (x < 0)


print("# packaging " + packaging.__version__)
vs = [version() for _ in range(600)]
for a in vs[:300]:
    b = pick(rnd.choice(vs), a.replace("1", "2", 1), a + ".post1", a + ".dev1", a + "a1")
    try:
        va, vb = Version(a), Version(b)
    except InvalidVersion:
        continue
    print("cmp\t%s\t%s\t%d" % (a, b, sign((va > vb) - (va < vb))))
for s in vs[300:400]:
    print("normal\t%s\t%s" % (s, Version(s)))
for _ in range(100):
    g = garbage()
    try:
        Version(g)
    except InvalidVersion:
        print("invalid\t%s" % g)
