#!/usr/bin/env bash
# The benchmark suite's one entry command; see bench/README.md. Options: --quick, --backends, --no-stats-scaling.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 bench/run.py "$@"
