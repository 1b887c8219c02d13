#!/bin/sh
# Screenshots of a built site's main kinds of page at 375 and 1280 px wide,
# to look at before and after a theme change. Not part of `cargo test`; uses
# the tools of scripts/check-output.sh (run that once to install them).
#
#   scripts/screens.sh OUTPUT_DIR SAVE_DIR [name=path ...]
#
# Without pages, takes those of the example site. The output is served under
# its base path, as scripts/check-output.sh does.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$(cd "$1" && pwd)
save=$2
shift 2
[ $# -gt 0 ] || set -- home= partners=partners/ resources=resources/ \
  resource=resources/policy-guidance-for-resilience/ \
  event=events/spring-network-meeting-2027/ \
  footnotes=what-is-resilience/ notfound=404.html
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
node "$here/check/screens.mjs" "http://127.0.0.1:$port$base_path" "$save" "$@"
