#!/bin/sh
# Checks a built site: axe-core (WCAG 2.x A and AA) in headless Chromium on every
# page, the Nu HTML Checker (vnu) on every HTML file, and internal links and
# #fragments. Not part of `cargo test`: it needs Node, Java and Chromium.
#
#   scripts/check-output.sh [OUTPUT_DIR]     (default: output)
#
# Installs its npm tools into scripts/check/node_modules (gitignored) on first
# run. Chromium: /usr/bin/chromium (Debian `chromium`) or $CHROMIUM.
# Exit code 0 when all three checks find nothing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$(cd "${1:-output}" && pwd)
tools="$here/check"

if [ ! -d "$tools/node_modules/vnu-jar" ] || [ ! -d "$tools/node_modules/axe-core" ] || [ ! -d "$tools/node_modules/playwright-core" ]; then
  echo "Installing axe-core, playwright-core and vnu-jar into $tools/node_modules"
  (cd "$tools" && npm install --ignore-scripts --no-audit --no-fund >/dev/null)
fi

. "$here/serve-output.sh"

status=0
echo "== axe-core and links (base path $base_path)"
node "$tools/check.mjs" "$out" "$base_path" "$port" || status=1

echo "== Nu HTML Checker"
vnu_out=$(java -jar "$tools/node_modules/vnu-jar/build/dist/vnu.jar" --errors-only --skip-non-html "$out" 2>&1) || true
if [ -n "$vnu_out" ]; then
  printf '%s\n' "$vnu_out" | sed "s|file:$out/||"
  status=1
fi
echo "vnu: $(printf '%s' "$vnu_out" | grep -c 'error:' || true) errors"
exit $status
