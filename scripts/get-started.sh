#!/usr/bin/env bash
# Follows the guide's "Get started" (docs/content/get-started/_index.md) as a
# new editor would, with the bounce binary alone: copied into an empty folder,
# on a PATH without Rust, in a fresh home folder. Exits non-zero at the first
# step that does not do what the guide says.
#
#   scripts/get-started.sh [BINARY]
#
# BINARY defaults to the static Linux build that releases ship
# (target/x86_64-unknown-linux-musl/release/bounce), else target/release/bounce.
# Needs curl.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$repo/target}"
binary="${1:-}"
if [[ -z "$binary" ]]; then
  for candidate in "$target/x86_64-unknown-linux-musl/release/bounce" "$target/release/bounce"; do
    if [[ -x "$candidate" ]]; then binary="$candidate"; break; fi
  done
fi
if [[ -z "$binary" || ! -x "$binary" ]]; then
  echo "no bounce binary: build one (cargo build --release) or give its path" >&2
  exit 2
fi

work="$(mktemp -d)"
server=""
cleanup() {
  if [[ -n "$server" ]] && kill -0 "$server" 2>/dev/null; then kill "$server"; fi
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

# The binary alone, a home folder with nothing in it, and a PATH without
# cargo or rustc: what an editor who has just installed bounce has.
mkdir -p "$work/bin" "$work/home"
cp "$binary" "$work/bin/bounce"
export HOME="$work/home" PATH="$work/bin:/usr/bin:/bin"
unset CARGO_TARGET_DIR RUSTUP_HOME CARGO_HOME
cd "$HOME"
if command -v cargo >/dev/null || command -v rustc >/dev/null; then
  fail "Rust is still on the PATH"
fi
if command -v ldd >/dev/null; then
  echo "ldd: $(ldd "$work/bin/bounce" 2>&1 | head -1)"
fi

step "Step 2: bounce --version"
version="$(bounce --version)"
echo "$version"
pattern='^bounce [0-9]+\.[0-9]+\.[0-9]+ \(commit ([0-9a-f]{7,}|unknown)\)$'
[[ "$version" =~ $pattern ]] ||
  fail "--version should say the version and the commit"

step "Step 3: bounce init healthy-schools"
bounce init healthy-schools | tee "$work/init.txt"
grep -q '^Next, run these three commands:$' "$work/init.txt" || fail "init should say what to run next"
grep -q 'cd healthy-schools' "$work/init.txt" || fail "init should say cd healthy-schools"
for file in site.yaml content/_index.md .gitignore; do
  [[ -f "healthy-schools/$file" ]] || fail "init should write $file"
done
grep -qx '/.bounce-serve/' healthy-schools/.gitignore || fail ".gitignore should keep .bounce-serve/ out"

step "Step 4: cd healthy-schools; bounce serve"
cd healthy-schools
# --port 0 rather than the default 8000, which may be taken on this machine.
bounce serve --port 0 > "$work/serve.txt" 2>&1 &
server=$!
url=""
for _ in $(seq 1 100); do
  url="$(sed -n 's/^Serving the site at \(http[^ ]*\) .*/\1/p' "$work/serve.txt")"
  if [[ -n "$url" ]] && grep -q '^Built' "$work/serve.txt"; then break; fi
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.txt"; fail "serve stopped"; }
  sleep 0.1
done
[[ -n "$url" ]] || { cat "$work/serve.txt"; fail "serve did not print its address"; }
echo "preview at $url"
home_page="$(curl -fsS "$url")" || fail "the preview's home page did not load"
grep -q '<title>Healthy Schools' <<<"$home_page" || fail "the home page should show the site's title"
css="$(grep -o 'rel="stylesheet" href="[^"]*"' <<<"$home_page" | sed 's/.*href="//; s/"$//')"
origin="$(sed 's|^\(https\?://[^/]*\).*|\1|' <<<"$url")"
curl -fsS -o /dev/null "$origin$css" || fail "the preview's stylesheet $css did not load"
echo "home page and stylesheet ($css) load"

step "Step 5: change a page"
page="content/guidance/what-is-resilience.md"
page_url="${url}guidance/what-is-resilience/"
printf '\nWe added this sentence while following the guide.\n' >> "$page"
wait_for() { # wait_for TEXT: until the page shows TEXT, or 10 s
  for _ in $(seq 1 100); do
    if curl -fsS "$page_url" 2>/dev/null | grep -q "$1"; then return 0; fi
    sleep 0.1
  done
  return 1
}
wait_for 'We added this sentence' || fail "the preview should show the change"
echo "the change shows"

step "Step 6: make a mistake on purpose (sumary), then fix it"
sed 's/^summary:/sumary:/' "$page" > "$work/mistake.md" && cat "$work/mistake.md" > "$page"
# The page is answered with the problem while the site does not build.
for _ in $(seq 1 100); do
  if curl -sS "$page_url" | grep -q 'unknown front-matter field'; then break; fi
  sleep 0.1
done
curl -sS "$page_url" | grep -q 'did you mean' || fail "the preview should show the problem and its hint"
grep -q 'unknown front-matter field `sumary`' "$work/serve.txt" || fail "the terminal should show the problem"
sed 's/^sumary:/summary:/' "$page" > "$work/fixed.md" && cat "$work/fixed.md" > "$page"
wait_for 'We added this sentence' || fail "the page should come back once fixed"
echo "the problem showed, and the page came back"

step "Stop the preview (Ctrl-C)"
kill -INT "$server"
for _ in $(seq 1 100); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$server" 2>/dev/null; then fail "serve did not stop on Ctrl-C"; fi
wait "$server" || fail "serve should exit with 0 on Ctrl-C"
server=""
grep -q '^Stopped.$' "$work/serve.txt" || fail "serve should say it stopped"

step "Step 7: bounce new partner \"Road Safety Team\""
made="$(bounce new partner "Road Safety Team")"
[[ "$made" == "content/partners/road-safety-team.md" ]] || fail "new printed $made"
# Fill in what the guide asks: a summary, the website, a few sentences.
sed -e 's|^summary: .*|summary: The council team that teaches pupils to walk, cycle and travel safely.|' \
    -e 's|^website: .*|website: https://www.council.example/road-safety/|' \
    "$made" > "$work/partner.md"
printf '\nThe road safety team visits schools to run pedestrian and cycle training.\n' >> "$work/partner.md"
cat "$work/partner.md" > "$made"

step "Step 8: bounce check"
bounce check 2> "$work/check.txt" || { cat "$work/check.txt"; fail "check found errors"; }
cat "$work/check.txt"
tail -1 "$work/check.txt" | grep -q ': 0 errors, 0 warnings$' || fail "check should find nothing"

step "Step 9: bounce build"
bounce build 2> "$work/build.txt" || { cat "$work/build.txt"; fail "build failed"; }
cat "$work/build.txt"
grep -q 'run `bounce serve`' "$work/build.txt" || fail "build should end by saying how to look at the site"
for file in index.html partners/road-safety-team/index.html sitemap.xml; do
  [[ -f "output/$file" ]] || fail "build should write output/$file"
done
for folder in output.bounce-staging output.bounce-old; do
  [[ ! -e "$folder" ]] || fail "$folder should not be left behind"
done

printf '\nGet started works: from nothing to a previewed and a built site.\n'
