#!/bin/sh
# Browser benchmark of a built site's search page (issue 15): bytes a reader downloads
# (gzipped, by kind) for a first query and each later one, time from the last key to
# the results with Chromium's CPU slowed 4x, and the result count, for six queries.
# Not part of `cargo test`: it needs Node, Python 3 and Chromium.
#
#   scripts/bench-search.sh [OUTPUT_DIR] [QUERY...]
#       bounce's /search/ page of OUTPUT_DIR (default target/bench/out-bounce-10000)
#   scripts/bench-search.sh --pagefind SCRATCH_DIR [OUTPUT_DIR] [QUERY...]
#       Pagefind 1.6 on the same output: copies OUTPUT_DIR to SCRATCH_DIR, indexes it
#       (`pagefind --site SCRATCH_DIR --root-selector main`, timed with
#       /usr/bin/time -v), adds a search page with Pagefind's Default UI at
#       /pagefind-search/, and runs the same benchmark on it, twice: as Pagefind
#       runs (searching in a Web Worker, which Chromium cannot slow down), and with
#       the worker blocked so that its search runs on the slowed main thread.
#       SCRATCH_DIR must not exist, or be one this script made (it holds the file
#       .bench-search-scratch): only then is it replaced. Nothing else is deleted.
#
# The 10k output: `python3 scripts/bench.py --sizes 10000 --runs 1` makes the corpus
# and target/bench/out-bounce-10000 (or `target/release/bounce build --root
# target/bench/corpus-ours-10000 --output target/bench/out-bounce-10000`).
# Installs playwright-core and pagefind (pinned in search-bench/package.json) into
# scripts/search-bench/node_modules (gitignored) on first run. Serves the site with
# search-bench/serve.py (gzip for text, HTTP Range) under its base path (from the
# sitemap line of robots.txt). Set BENCH_JSON=FILE.json to keep every measurement
# (each request's path and bytes too) in FILE-PROFILE.json.
# Chromium: /usr/bin/chromium (Debian `chromium`) or $CHROMIUM. Takes about 2 minutes a
# profile, plus the indexing with --pagefind.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tools="$here/search-bench"
scratch=
if [ "${1:-}" = --pagefind ]; then
  [ $# -ge 2 ] || { echo "usage: $0 --pagefind SCRATCH_DIR [OUTPUT_DIR] [QUERY...]"; exit 2; }
  scratch=$2
  shift 2
fi
out=${1:-"$here/../target/bench/out-bounce-10000"}
[ $# -gt 0 ] && shift
[ -f "$out/search/index.html" ] || { echo "$out/search/index.html not found: build the site first (see the top of $0)"; exit 2; }
out=$(cd "$out" && pwd)

if [ ! -d "$tools/node_modules/playwright-core" ] || [ ! -d "$tools/node_modules/pagefind" ]; then
  echo "Installing playwright-core and pagefind into $tools/node_modules"
  (cd "$tools" && npm install --no-audit --no-fund >/dev/null)
fi

base_path=$(sed -n 's|^Sitemap: [a-z]*://[^/]*\(/.*\)sitemap\.xml$|\1|p' "$out/robots.txt")
[ -n "$base_path" ] || base_path=/
profiles=bounce
page=search/
if [ -n "$scratch" ]; then
  # Replace only a folder this script made and marked; never any other path.
  if [ -e "$scratch" ]; then
    [ -f "$scratch/.bench-search-scratch" ] || {
      echo "$scratch exists and was not made by $0: give a SCRATCH_DIR that does not exist"; exit 2; }
    rm -rf "$scratch"
  fi
  cp -r "$out" "$scratch"
  : >"$scratch/.bench-search-scratch"
  out=$(cd "$scratch" && pwd)
  echo "== Pagefind $("$tools/node_modules/.bin/pagefind" --version) indexing $out"
  /usr/bin/time -v "$tools/node_modules/.bin/pagefind" --site "$out" --root-selector main \
    >"$out/.pagefind.log" 2>&1 || { cat "$out/.pagefind.log"; exit 1; }
  grep -E '^ *Indexed [0-9]+ (pages|words)|Elapsed \(wall|Maximum resident' "$out/.pagefind.log"
  echo "pagefind/: $(find "$out/pagefind" -type f | wc -l) files, $(du -sb "$out/pagefind" | cut -f1) bytes"
  python3 "$tools/pagefind_page.py" "$out" "$base_path"
  profiles="pagefind pagefind-main-thread"
  page=pagefind-search/
fi

# The interpreter itself, not a wrapper (pyenv's shim) whose $! would not be the server.
py=$(python3 -c 'import sys; print(sys.executable)')
"$py" "$tools/serve.py" "$out" "$base_path" >"$tools/.port" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$tools/.port"' EXIT INT TERM
i=0
until [ -s "$tools/.port" ]; do
  i=$((i + 1)); [ $i -lt 50 ] || { echo "the local server did not start"; exit 2; }; sleep 0.1
done
json=${BENCH_JSON:-}
for profile in $profiles; do
  [ -z "$json" ] || export BENCH_JSON="${json%.json}-$profile.json"
  node "$tools/run.mjs" "$profile" "http://127.0.0.1:$(cat "$tools/.port")$base_path$page" "$@"
done
