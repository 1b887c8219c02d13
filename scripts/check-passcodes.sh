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

. "$here/serve-output.sh"

node "$tools/passcodes.mjs" "$site" "$base_path" "$port" "$shots"
echo "screenshots in $shots"
