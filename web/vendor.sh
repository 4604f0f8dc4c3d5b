#!/usr/bin/env bash
# The vendored front-end libraries, taken from the npm registry at pinned versions.
# `bash web/vendor.sh` writes them; `bash web/vendor.sh --check` (run by .ci/run) fails when
# the committed files differ from the published package.
set -euo pipefail
cd "$(dirname "$0")"
SWAGGER_UI=5.35.0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "swagger-ui-dist@$SWAGGER_UI" >/dev/null && tar xzf swagger-ui-dist-*.tgz)
status=0
for f in swagger-ui-bundle.js swagger-ui.css LICENSE NOTICE; do
  if [ "${1:-}" = "--check" ]; then
    cmp -s "$work/package/$f" "docs/$f" || { echo "web/docs/$f differs from swagger-ui-dist@$SWAGGER_UI" >&2; status=1; }
  else
    cp "$work/package/$f" "docs/$f"
  fi
done
exit $status
