#!/usr/bin/env bash
# The long reliability checks, each bounded in time, loopback only:
#   1. fault tests against the real binary (tests/reliability/*.rs, ignored by a plain
#      `cargo test`): kill -9 under load on both backends, a PostgreSQL outage through a proxy,
#      start while the database is down, SIGTERM drain, audit logs without secrets;
#   2. the PostgreSQL application role of RELIABILITY.md, on a private throw-away cluster;
#   3. contract fuzzing with schemathesis, every role, both backends.
# Uses the debug build `cargo test` made (nothing is built twice). Figures go to
# target/reliability/; RELIABILITY.md quotes the last run's.
set -euo pipefail
cd "$(dirname "$0")/../.."

export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
out=target/reliability
mkdir -p "$out"

echo "== fault tests (kill -9, database outage, shutdown, logs)"
timeout 900 cargo test --locked --test reliability -- --ignored --test-threads=1 --nocapture \
  2>&1 | tee "$out/faults.log"

echo "== PostgreSQL application role (private throw-away cluster)"
timeout 300 bash tests/reliability/app_role.sh 2>&1 | tee "$out/app_role.log"

echo "== contract fuzzing (schemathesis)"
venv="$out/venv"
schemathesis_version=4.32.5
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$schemathesis_version"; then
  python3 -m venv "$venv"
  timeout 600 "$venv/bin/pip" install -q "schemathesis==$schemathesis_version"
fi
cargo build --locked --quiet
SCHEMATHESIS="$venv/bin/schemathesis" FUZZ_MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-25}" \
  timeout 1200 "$venv/bin/python" tests/reliability/fuzz_contract.py sqlite postgres \
  2>&1 | tee "$out/contract.log"
