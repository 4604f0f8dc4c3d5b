#!/usr/bin/env python3
"""Contract fuzzing: schemathesis against the live binary, from openapi.yaml, once per role.

For each backend named on the command line (sqlite, postgres) it starts the server on a fresh
database, bootstraps an administrator with `create-admin`, creates through the API a supervisor,
a cadre, an enterprise with a staff user and an API client, and a ticket, then lets schemathesis
call every operation with each role's token. A run passes when schemathesis finds no 5xx and no
answer outside the documented status codes, content types, headers and schemas.

Environment: EA_BINARY (default target/debug/enterprise-assist), SCHEMATHESIS (the CLI),
TEST_DATABASE_URL (PostgreSQL server to create a scratch database on), FUZZ_MAX_EXAMPLES,
FUZZ_SEED, FUZZ_REPORT_DIR.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("EA_BINARY", os.path.join(ROOT, "target", "debug", "enterprise-assist"))
SCHEMATHESIS = os.environ.get("SCHEMATHESIS", "schemathesis")
PG_ADMIN_URL = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
MAX_EXAMPLES = os.environ.get("FUZZ_MAX_EXAMPLES", "15")
SEED = os.environ.get("FUZZ_SEED", "20261126")
REPORT_DIR = os.environ.get("FUZZ_REPORT_DIR", os.path.join(ROOT, "target", "reliability", "fuzz"))
CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
])
ADMIN_PASSWORD = "fuzz-admin-password-" + uuid.uuid4().hex[:8]
PASSWORD = "fuzz-user-password-" + uuid.uuid4().hex[:8]
# Every role's token must outlive the whole run.
TOKEN_TTL_SECS = "7200"
# One schemathesis run per role may take this long before it counts as hung.
RUN_TIMEOUT_SECS = 600


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, token=None, body=None, expect=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    if expect is not None and status != expect:
        raise SystemExit(f"setup: {method} {path} answered {status}, not {expect}: {text}")
    return json.loads(text) if text else None


class Server:
    """The binary serving one database on a free port, logs to a file."""

    def __init__(self, env, log_path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = dict(env, BIND=f"127.0.0.1:{self.port}")
        self.log = open(log_path, "wb")
        self.process = None

    def command(self, *args, stdin=None):
        subprocess.run([BINARY, *args], env=self.env, check=True, input=stdin,
                       stdout=subprocess.DEVNULL, stderr=self.log, timeout=120)

    def start(self):
        self.process = subprocess.Popen([BINARY, "serve"], env=self.env,
                                        stdout=self.log, stderr=self.log)
        for _ in range(300):
            try:
                with urllib.request.urlopen(self.base + "/readyz", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError):
                pass
            if self.process.poll() is not None:
                raise SystemExit("the server exited during start-up")
            time.sleep(0.1)
        raise SystemExit("the server did not become ready in 30 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)
        self.log.close()


def uscc(seed):
    """A valid unified social credit code (GB 32100-2015 check character)."""
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    body = f"91411602{seed:09d}"
    total = sum(charset.index(c) * w for c, w in zip(body, weights))
    return body + charset[(31 - total % 31) % 31]


def setup_roles(server):
    """One token per role, and a ticket for the ids schemathesis may reach."""
    server.command("create-admin", "--username", "admin")
    base = server.base

    def login(username, password=PASSWORD):
        body = {"username": username, "password": password}
        return call(base, "POST", "/api/v1/auth/login", body=body, expect=200)["access_token"]

    admin = login("admin", ADMIN_PASSWORD)
    enterprise = call(base, "POST", "/api/v1/enterprises", admin, expect=201, body={
        "name": "周口市示范企业", "uscc": uscc(1), "county_code": "411602"})
    people = {
        "supervisor": {"role": "supervisor", "region_code": "411600"},
        "cadre": {"role": "cadre", "region_code": "411602", "department": "发改委"},
        "enterprise": {"role": "enterprise", "enterprise_id": enterprise["id"]},
    }
    tokens = {"admin": admin}
    for name, fields in people.items():
        body = dict(fields, username=f"fuzz.{name}", password=PASSWORD)
        fields["id"] = call(base, "POST", "/api/v1/users", admin, body=body, expect=201)["id"]
        tokens[name] = login(f"fuzz.{name}")
    # Paired, so the ticket below is assigned to the cadre and the cadre's moves can succeed.
    call(base, "PUT", f"/api/v1/enterprises/{enterprise['id']}/cadres", admin, expect=200,
         body={"cadres": [{"user_id": people["cadre"]["id"], "primary": True}]})
    client = call(base, "POST", f"/api/v1/enterprises/{enterprise['id']}/clients",
                  tokens["enterprise"], body={"name": "erp"}, expect=201)
    tokens["client"] = call(base, "POST", "/api/v1/auth/token", expect=200, body={
        "client_id": client["client_id"], "client_secret": client["client_secret"]})["access_token"]
    call(base, "POST", "/api/v1/tickets", tokens["enterprise"], expect=201, body={
        "category": "land", "title": "用地指标", "description": "需新增工业用地约20亩。"})
    return tokens


def fuzz(server, backend, role, token):
    """Runs schemathesis with `role`'s token; returns (test cases, passed?)."""
    report = os.path.join(REPORT_DIR, f"{backend}-{role}.xml")
    command = [
        SCHEMATHESIS, "run", os.path.join(ROOT, "openapi.yaml"),
        "--url", server.base,
        "--header", f"Authorization: Bearer {token}",
        "--checks", CHECKS,
        "--max-examples", MAX_EXAMPLES,
        "--seed", SEED,
        "--phases", "examples,coverage,fuzzing",
        "--workers", "1",
        "--request-timeout", "20",
        "--suppress-health-check", "all",
        "--no-color",
        "--report", "junit", "--report-junit-path", report,
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT_SECS)
    output = run.stdout + run.stderr
    with open(os.path.join(REPORT_DIR, f"{backend}-{role}.log"), "w") as log:
        log.write(output)
    cases = sum(int(n) for n in re.findall(r"(\d+) generated", output))
    if run.returncode != 0:
        print(output[-20000:])
    return cases, run.returncode == 0


def postgres_database():
    name = "ea_fuzz_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", PG_ADMIN_URL, "-qc", f"CREATE DATABASE {name}"], check=True)
    base = PG_ADMIN_URL.split("?")[0].rsplit("/", 1)[0]
    return name, f"{base}/{name}"


def drop_postgres_database(name):
    subprocess.run(["psql", PG_ADMIN_URL, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
                   check=True)


def run_backend(backend):
    work = tempfile.mkdtemp(prefix=f"ea-fuzz-{backend}-")
    env = dict(os.environ, DATA_DIR=work, ADMIN_PASSWORD=ADMIN_PASSWORD, LOG_FORMAT="json",
               ACCESS_TOKEN_TTL_SECS=TOKEN_TTL_SECS, RATE_LIMIT_REQUESTS="0",
               FILING_QUOTA_PER_HOUR="0", FILING_QUOTA_PER_DAY="0",
               JWT_SECRET="fuzz-secret-" + uuid.uuid4().hex)
    pg_name = None
    if backend == "postgres":
        pg_name, env["DATABASE_URL"] = postgres_database()
    else:
        env.pop("DATABASE_URL", None)
    server = Server(env, os.path.join(REPORT_DIR, f"{backend}-server.log"))
    results = {}
    try:
        server.start()
        tokens = setup_roles(server)
        for role, token in tokens.items():
            started = time.monotonic()
            cases, passed = fuzz(server, backend, role, token)
            results[role] = (cases, passed)
            print(f"contract fuzzing {backend} as {role}: {cases} test cases, "
                  f"{'passed' if passed else 'FAILED'} in {time.monotonic() - started:.0f} s",
                  flush=True)
    finally:
        server.stop()
        if pg_name:
            drop_postgres_database(pg_name)
    return results


def main():
    backends = sys.argv[1:] or ["sqlite", "postgres"]
    os.makedirs(REPORT_DIR, exist_ok=True)
    passed = failed = 0
    for backend in backends:
        for cases, ok in run_backend(backend).values():
            passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
    print(f"contract: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
