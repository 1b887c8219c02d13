#!/bin/sh
# Builds a small site whose front matter and markdown carry planted script,
# opens its pages in headless Chromium and fails if any planted script ran.
# Not part of CI (it needs Chromium): run it by hand after changing the theme,
# the markdown stage or the sanitiser.
#
#   scripts/check-planted-script.sh            # uses target/release/bounce
#   BOUNCE=target/debug/bounce scripts/check-planted-script.sh
#
# Needs python3 (for a local web server) and chromium (apt-get install chromium).
set -eu

cd "$(dirname "$0")/.."
BOUNCE=${BOUNCE:-target/release/bounce}
[ -x "$BOUNCE" ] || cargo build --release --quiet
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome)}
# A free port, unless one is given.
PORT=${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}

work=$(mktemp -d)
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT

# Every planted script marks the page; a clean page has no mark.
mark="document.documentElement.dataset.pwned=1"
mkdir -p "$work/site/content/partners"
# site.yaml for the sub-path $1, with the extra line $2.
site_yaml() {
    printf 'title: Planted script check\nbase_url: http://127.0.0.1:%s/%s/\ntopics:\n  resilience: Resilience\n%s\n' \
        "$PORT" "$1" "$2" > "$work/site/site.yaml"
}
printf -- '---\ntitle: Home\nsummary: Home.\n---\n[Planted](planted.md)\n' > "$work/site/content/_index.md"
cat > "$work/site/content/planted.md" <<MD
---
title: '"><script>$mark</script><!-- </script> -->'
summary: '</script><script>$mark</script> <img src=x onerror="$mark">'
topics: [resilience]
---
## Heading <script>$mark</script>

Text </script><script>$mark</script> and --> and <!-- a comment -->.

<script>$mark</script>

<img src=x onerror="$mark"> <svg onload="$mark"></svg>

<a href="javascript:$mark">a</a> <iframe src="javascript:$mark"></iframe>

<p onclick="$mark">click</p> <details open ontoggle="$mark"><summary>x</summary>y</details>
MD
cat > "$work/site/content/partners/planted.md" <<MD
---
title: '<img src=x onerror="$mark">'
summary: '</script><script>$mark</script>'
address: '<script>$mark</script>'
---
Text.
MD

# The site as published, and a control built with `allow_unsafe_html: true`
# in which the raw <script> must run: it shows the check can see script run.
site_yaml safe ""
"$BOUNCE" build --root "$work/site" --output "$work/www/safe" >/dev/null 2>&1
site_yaml unsafe "allow_unsafe_html: true"
"$BOUNCE" build --root "$work/site" --output "$work/www/unsafe" >/dev/null 2>&1
(cd "$work/www" && exec python3 -m http.server "$PORT" --bind 127.0.0.1 >/dev/null 2>&1) &
server=$!
sleep 1

# Prints whether a planted script ran on a page: "ran", "clean" or "empty".
visit() {
    dom=$("$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$work/profile" --virtual-time-budget=3000 \
        --dump-dom "http://127.0.0.1:$PORT/$1" 2>/dev/null || true)
    [ -z "${KEEP_DOM:-}" ] || printf '%s\n' "$dom" > "$KEEP_DOM/$(echo "$1" | tr / _)dom.html"
    if [ -z "$dom" ]; then
        echo empty
    elif printf '%s' "$dom" | grep -q 'data-pwned="1"'; then
        echo ran
    else
        echo clean
    fi
}

status=0
if [ "$(visit unsafe/planted/)" != ran ]; then
    echo "FAIL the control page (allow_unsafe_html: true) did not run its script: the check cannot see script run"
    status=1
else
    echo "ok   the control page with allow_unsafe_html: true ran its script, so the check works"
fi
for page in planted/ partners/planted/ topics/resilience/ partners/ "search/?q=script" ""; do
    result=$(visit "safe/$page")
    case $result in
        clean) echo "ok   /$page: no planted script ran" ;;
        ran) echo "FAIL /$page: a planted script ran"; status=1 ;;
        *) echo "FAIL /$page: Chromium returned no page"; status=1 ;;
    esac
done
exit $status
