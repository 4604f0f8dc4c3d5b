#!/usr/bin/env bash
# The vendored front-end libraries, taken from the npm registry at pinned versions: Swagger UI
# for /docs, and axe-core for the browser tests' accessibility check.
# `bash web/vendor.sh` writes them; `bash web/vendor.sh --check` (run by .ci/run) fails when
# the committed files differ from the published package.
set -euo pipefail
cd "$(dirname "$0")"
status=0

# vendor PACKAGE@VERSION FOLDER FILE:AS...
vendor() {
  local package=$1 folder=$2 work
  shift 2
  work=$(mktemp -d)
  (cd "$work" && npm pack --silent "$package" >/dev/null && tar xzf ./*.tgz)
  for pair in "$@"; do
    local from=${pair%%:*} to=$folder/${pair#*:}
    if [ "$mode" = "--check" ]; then
      cmp -s "$work/package/$from" "$to" || { echo "$to differs from $package's $from" >&2; status=1; }
    else
      cp "$work/package/$from" "$to"
    fi
  done
  rm -rf "$work"
}

mode=${1:-}
vendor swagger-ui-dist@5.35.0 docs \
  swagger-ui-bundle.js:swagger-ui-bundle.js swagger-ui.css:swagger-ui.css LICENSE:LICENSE NOTICE:NOTICE
vendor axe-core@4.14.1 ../tests/browser_vendor axe.min.js:axe.min.js LICENSE:axe-LICENSE
exit $status
