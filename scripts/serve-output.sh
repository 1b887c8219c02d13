# Sourced by check-output.sh, check-passcodes.sh and screens.sh, with $out set
# to a built site: serves it on 127.0.0.1 under its base path (read from the
# sitemap line of robots.txt, e.g. /healthy-schools/) from a temporary root,
# and sets $base_path and $port. The server stops when the script exits.
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
