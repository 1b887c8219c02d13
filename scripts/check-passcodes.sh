#!/bin/sh
# The example site's passcode-protected resources in headless Chromium (see
# scripts/check/passcodes.mjs): wrong and right passcodes, downloads equal to
# the source files, a second resource opening without asking, "Forget
# passcode", the page without JavaScript, axe on the unlocked page.
# Not part of `cargo test`: it needs Node and Chromium.
#
#   export SCHOOLS_PASSCODE='bounce example lessons 2026'
#   cargo run --release -- build
#   scripts/check-passcodes.sh [OUTPUT_DIR] [SCREENSHOT_DIR]
#
# Uses the tools scripts/check-output.sh installs into scripts/check/node_modules.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# The site whose content/ the downloads are compared with (default: this repository).
site=$(cd "${SITE_ROOT:-$here/..}" && pwd)
out=$(cd "${1:-output}" && pwd)
shots=${2:-$(mktemp -d)}
mkdir -p "$shots"
tools="$here/check"
: "${SCHOOLS_PASSCODE:?set SCHOOLS_PASSCODE to the passcode the site was built with}"

if [ ! -d "$tools/node_modules/axe-core" ] || [ ! -d "$tools/node_modules/playwright-core" ]; then
  echo "Installing axe-core and playwright-core into $tools/node_modules"
  (cd "$tools" && npm install --ignore-scripts --no-audit --no-fund >/dev/null)
fi

base_path=$(sed -n 's|^Sitemap: [a-z]*://[^/]*\(/.*\)sitemap\.xml$|\1|p' "$out/robots.txt")
[ -n "$base_path" ] || base_path=/
root=$(mktemp -d)
mkdir -p "$root$base_path"
rmdir "$root$base_path"
ln -s "$out" "$root${base_path%/}"
[ "$base_path" = / ] && { rm -rf "$root"; root=$out; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$root" >/dev/null 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; [ "$root" = "$out" ] || rm -rf "$root"; }
trap cleanup EXIT INT TERM
i=0
until python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port$base_path')" 2>/dev/null; do
  i=$((i + 1)); [ $i -lt 50 ] || { echo "the local server did not start"; exit 2; }; sleep 0.1
done

node "$tools/passcodes.mjs" "$site" "$base_path" "$port" "$shots"
echo "screenshots in $shots"
