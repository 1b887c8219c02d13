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
. "$here/serve-output.sh"
node "$here/check/screens.mjs" "http://127.0.0.1:$port$base_path" "$save" "$@"
