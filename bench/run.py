#!/usr/bin/env python3
"""The benchmark suite: builds the release binary, fills PostgreSQL and SQLite databases with
`demo` (Henan, 157 county-level units), runs the service pinned to one core and wrk pinned to
the other, measures each scenario at saturation and at half that rate, measures the baselines
(pgbench with the SQL one filing sends; a minimal SQLite loop of the same statements) in the
same run, and writes a markdown table plus the raw output under bench/results/.

Usage: bench/run.sh [--quick] [--backends postgres,sqlite] [--no-stats-scaling | --stats-only]
Loopback only; every run is bounded in time.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release" / "enterprise-assist"
LUA = ROOT / "bench" / "wrk" / "scenario.lua"
PG_ADMIN = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
SECRET = "bench-secret-bench-secret-bench-secret-0123"
ADMIN = ("bench.admin", "bench-admin-password")
DEMO_PASSWORD = "demo-password-2024"
PORT = 18080
BASE = f"http://127.0.0.1:{PORT}"
CORES = os.cpu_count() or 1


def log(*parts):
    print("[bench]", *parts, flush=True)


def pin(core):
    """taskset prefix for a core, when there are two cores or more to keep apart."""
    return ["taskset", "-c", str(core)] if CORES >= 2 and shutil.which("taskset") else []


def run(cmd, env=None, check=True, capture=True, timeout=1800):
    merged = {**os.environ, **(env or {})}
    out = subprocess.run(cmd, env=merged, check=False, text=True, timeout=timeout,
                         stdout=subprocess.PIPE if capture else None, stderr=subprocess.STDOUT if capture else None)
    if check and out.returncode != 0:
        raise SystemExit(f"command failed ({out.returncode}): {' '.join(map(str, cmd))}\n{out.stdout}")
    return out.stdout or ""


def ensure_tools():
    if not shutil.which("wrk"):
        log("installing wrk from Debian's packages")
        run(["apt-get", "install", "-y", "-q", "wrk"], timeout=600)
    for tool in ["pgbench", "psql", "python3"]:
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed")


class Database:
    """A fresh database of one backend, dropped at the end."""

    def __init__(self, backend, workdir, name):
        self.backend = backend
        if backend == "postgres":
            self.name = f"bench_{name}_{os.getpid()}"
            run(["psql", PG_ADMIN, "-q", "-c", f"DROP DATABASE IF EXISTS {self.name}", "-c", f"CREATE DATABASE {self.name}"])
            self.url = PG_ADMIN.rsplit("/", 1)[0] + "/" + self.name
        else:
            self.path = Path(workdir) / f"{name}.db"
            self.url = f"sqlite://{self.path}"

    def env(self):
        return {"DATABASE_URL": self.url, "JWT_SECRET": SECRET, "DATA_DIR": str(ROOT / "var" / "bench"), "LOG_LEVEL": "warn"}

    def drop(self):
        if self.backend == "postgres":
            run(["psql", PG_ADMIN, "-q", "-c", f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)"], check=False)


def fill(db, enterprises, cadres, tickets):
    log(f"demo: {enterprises} enterprises, {cadres} cadres, {tickets} tickets on {db.backend}")
    started = time.monotonic()
    run([str(BIN), "demo", "--region", "410000", "--enterprises", str(enterprises), "--cadres", str(cadres),
         "--tickets", str(tickets), "--seed", "7"], env=db.env(), timeout=3600)
    run([str(BIN), "create-admin", "--username", ADMIN[0]], env={**db.env(), "ADMIN_PASSWORD": ADMIN[1]})
    return time.monotonic() - started


class Server:
    def __init__(self, db, raw):
        # One worker: the service has one core to itself. A load test is not abuse: the
        # per-client rate limit and the filing quotas are off. The periodic job keeps its
        # default interval, as deployed: it folds the counter slots the filings spread.
        env = {**db.env(), "BIND": f"127.0.0.1:{PORT}", "DB_POOL_SIZE": "16",
               "WORKERS": "1", "RATE_LIMIT_REQUESTS": "0", "FILING_QUOTA_PER_HOUR": "0", "FILING_QUOTA_PER_DAY": "0"}
        self.log = open(raw / f"server-{db.backend}.log", "a")
        self.proc = subprocess.Popen(pin(1) + [str(BIN), "serve"], env={**os.environ, **env},
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(f"{BASE}/readyz", timeout=2).status == 200:
                    return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        raise SystemExit("the server did not become ready")

    def memory_kib(self, field):
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        return 0

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.close()


def call(method, path, token=None, body=None, csv=None):
    """One API call with a JSON body (or a CSV one); its JSON answer."""
    data = csv.encode() if csv is not None else json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(BASE + path, data=data, method=method)
    req.add_header("content-type", "text/csv" if csv is not None else "application/json")
    if token:
        req.add_header("authorization", f"Bearer {token}")
    with urllib.request.urlopen(req, timeout=60) as answer:
        text = answer.read().decode()
        return json.loads(text) if text else None


def login(username, password):
    return call("POST", "/api/v1/auth/login", body={"username": username, "password": password})["access_token"]


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(name, raw, connections, seconds, rate=0, **scenario):
    """Runs wrk with the one scenario script; returns its figures."""
    env = {"BENCH_RATE": str(rate)}
    for key, value in scenario.items():
        env["BENCH_" + key.upper()] = str(value)
    cmd = pin(0) + ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(LUA), BASE]
    out = run(cmd, env=env, timeout=seconds + 60)
    (raw / f"wrk-{name}.txt").write_text(out)
    def latency(pct):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        return float(m.group(1)) * UNITS[m.group(2)] if m else None
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    return {"requests": requests, "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": latency(50), "p99": latency(99), "errors": errors}


def write_lines(path, lines):
    path.write_text("\n".join(lines) + "\n")
    return path


def api_scenarios(backend, args, raw, work):
    """Every scenario of the API on one backend; returns rows of the table and the baselines."""
    db = Database(backend, work, "api")
    try:
        fill_seconds = fill(db, args.enterprises, args.cadres, args.tickets)
        server = Server(db, raw)
        try:
            return measure(db, server, args, raw, work, fill_seconds)
        finally:
            server.stop()
    finally:
        db.drop()


def measure(db, server, args, raw, work, fill_seconds):
    secs, conns = args.seconds, args.connections
    admin = login(*ADMIN)
    # Filers: API clients of 32 enterprises in distinct counties, and of 32 in one county.
    enterprises = call("GET", "/api/v1/enterprises?limit=200", admin)["items"]
    by_county = {}
    for e in enterprises:
        by_county.setdefault(e["county_code"], []).append(e)
    spread = [group[0] for group in by_county.values()][:32]
    busiest = max(by_county, key=lambda c: len(by_county[c]))
    local = call("GET", f"/api/v1/enterprises?region={busiest}&limit=32", admin)["items"]

    def client_token(e):
        client = call("POST", f"/api/v1/enterprises/{e['id']}/clients", admin, {"name": "bench"})
        return call("POST", "/api/v1/auth/token", body={"client_id": client["client_id"], "client_secret": client["client_secret"]})["access_token"]

    spread_tokens = write_lines(work / "spread.tokens", [client_token(e) for e in spread])
    local_tokens = write_lines(work / "local.tokens", [client_token(e) for e in local])
    busy = local[0]
    cadres = call("GET", f"/api/v1/enterprises/{busy['id']}/cadres", admin)["items"]
    cadre = next(c for c in cadres if c["primary"])
    cadre_token = login(cadre["username"], DEMO_PASSWORD)
    busy_token = write_lines(work / "busy.tokens", [client_token(busy)])
    body = json.dumps({"category": "land", "title": "新厂房用地指标申请", "description": "需新增工业用地约20亩，请协助协调用地指标。"})
    idle_kib = server.memory_kib("VmRSS")

    # The busy cadre's queue: enough assigned tickets for the queue pages and the moves.
    log("filling the busy cadre's queue")
    wrk("prefill", raw, conns, args.prefill_seconds, method="POST", path="/api/v1/tickets", tokens=busy_token, body=body)
    def cadre_queue(status):
        """Ids of the busy cadre's tickets in `status`."""
        ids, cursor = [], None
        while True:
            path = f"/api/v1/tickets?assignee=me&status={status}&limit=200" + (f"&cursor={cursor}" if cursor else "")
            page = call("GET", path, cadre_token)
            ids += [t["id"] for t in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                return ids
    queue = cadre_queue("assigned")
    cursor, page_path = None, "/api/v1/tickets?assignee=me&limit=10"
    for _ in range(199):
        cursor = call("GET", page_path + (f"&cursor={cursor}" if cursor else ""), cadre_token)["next_cursor"]
    page200 = page_path + f"&cursor={cursor}"
    year = datetime.date.today().year
    stats_path = f"/api/v1/stats?region=410000&from={year}-01&to={year}-12"

    rows = []
    def row(name, saturated, fixed, rate):
        rows.append({"backend": db.backend, "scenario": name, "max_rps": saturated["rps"], "rate": rate,
                     "p50": fixed["p50"], "p99": fixed["p99"], "errors": saturated["errors"] + fixed["errors"],
                     "requests": saturated["requests"] + fixed["requests"]})

    def scenario(name, then=None, **kind):
        """Saturation, then half that rate; `then(requests_so_far)` gives the second run's
        scenario when the first used up what it acted on (tickets accepted once)."""
        log(f"{db.backend}: {name}")
        saturated = wrk(f"{db.backend}-{name}-max", raw, conns, secs, **kind)
        rate = max(1, int(saturated["rps"] / 2))
        # Requests still in flight when wrk stopped counting may have acted too: skip a margin.
        second = then(saturated["requests"] + conns) if then else kind
        fixed = wrk(f"{db.backend}-{name}-half", raw, conns, secs, rate=rate, **second)
        row(name, saturated, fixed, rate)

    def load(**kind):
        """A wrk scenario as a member of `compared`."""
        return lambda label, seconds, rate: wrk(label, raw, conns, seconds, rate=rate, **kind)

    def compared(members, paced_like=None):
        """Scenarios whose figures are compared with each other, measured in turns (see
        `in_turns`) at saturation, then at half each one's rate (or the rate of member
        `paced_like[i]`; None: no paced run, its latencies are those at saturation)."""
        log(f"{db.backend}: {', '.join(name for name, _ in members)}, in turns")
        label = lambda name, phase: lambda r: f"{db.backend}-{name}-{phase}-{r + 1}"
        saturated = in_turns([(label(n, "max"), lambda l, t, run=run: run(l, t, 0)) for n, run in members], secs, args.rounds)
        own = [max(1, int(s["rps"] / 2)) for s in saturated]
        rates = [None if j is None else own[j] for j in (paced_like or range(len(members)))]
        paced = [i for i, rate in enumerate(rates) if rate is not None]
        fixed = dict(zip(paced, in_turns([(label(members[i][0], "half"), lambda l, t, run=members[i][1], rate=rates[i]: run(l, t, rate))
                                          for i in paced], secs, args.rounds)))
        return [(saturated[i], fixed.get(i, saturated[i]), rates[i]) for i in range(len(members))]

    cadre_tokens = write_lines(work / "cadre.tokens", [cadre_token])
    filing = lambda tokens: load(method="POST", path="/api/v1/tickets", tokens=tokens, body=body)
    filer = call("GET", "/api/v1/me", admin)["id"]
    baseline_run, tool = ((lambda l, t, rate: pgbench(db, raw, work, conns, t, rate, l, args.enterprises, filer), "pgbench")
                          if db.backend == "postgres" else
                          (lambda l, t, rate: sqlite_loop(db, raw, t, l, args.enterprises, filer), "SQLite loop"))
    # The baseline's paced run goes at the API's filing rate; the SQLite loop has none.
    spread_figures, local_figures, base = compared([("file (32 counties)", filing(spread_tokens)), ("file (one county)", filing(local_tokens)),
                                    ("baseline", baseline_run)], paced_like=[0, 1, 0 if db.backend == "postgres" else None])
    row("file (32 counties)", *spread_figures)
    row("file (one county)", *local_figures)
    baseline = {"tool": tool, "max_rps": base[0]["rps"], "rate": base[2], "p50": base[1]["p50"], "p99": base[1]["p99"]}
    # Both pages paced at page 1's rate: their p99s are compared, so at the same offered load.
    first, deep = compared([("queue page 1", load(path=page_path, tokens=cadre_tokens)),
                            ("queue page 200", load(path=page200, tokens=cadre_tokens))], paced_like=[0, 0])
    row("queue page 1", *first)
    row("queue page 200", *deep)
    scenario("get one ticket", paths=write_lines(work / "get.paths", [f"/api/v1/tickets/{i}" for i in queue[:1000]]), tokens=cadre_tokens)
    # Accepts and resolves: each request a different ticket, then the same tickets resolved.
    def moves(action, ids, body):
        def kind(skip=0):
            paths = write_lines(work / f"{action}.paths", [f"/api/v1/tickets/{i}/{action}" for i in ids[skip:]])
            return {"method": "POST", "paths": paths, "tokens": cadre_tokens, "body": body}
        return kind
    accept = moves("accept", queue, "{}")
    scenario("accept", then=accept, **accept())
    # Resolves may outrun the accepts: accept the rest of the queue first (not measured), so
    # the resolves never run out of tickets in progress.
    rest = moves("accept", cadre_queue("assigned"), "{}")
    wrk(f"{db.backend}-accept-rest", raw, conns, 3 * secs, **rest())
    # Exactly the tickets the accepts moved, whatever wrk had in flight when it stopped.
    resolve = moves("resolve", cadre_queue("in_progress"), json.dumps({"resolution": "已办结"}))
    scenario("resolve", then=resolve, **resolve())
    scenario("province stats", path=stats_path, tokens=write_lines(work / "admin.tokens", [admin]))
    # Dispatch candidates in a county given 1,500 cadres more: one of the filing counties, and
    # again the busy cadre's county, whose queue holds the tens of thousands of open tickets the
    # scenarios above filed (far more than any county has: a worst case, with no target).
    other = next(e["county_code"] for e in spread if e["county_code"] != busiest)
    for county, label in [(other, ""), (busiest, ", the busy cadre's county")]:
        ticket = call("GET", f"/api/v1/tickets?region={county}&limit=1", admin)["items"][0]["id"]
        candidates = county_of_cadres(county, ticket, admin, args.county_cadres)
        scenario(f"dispatch candidates ({args.county_cadres:,} cadres{label})", path=candidates,
                 tokens=write_lines(work / "candidates.tokens", [admin]))
    peak_kib = server.memory_kib("VmHWM")
    return {"rows": rows, "idle_kib": idle_kib, "peak_kib": peak_kib, "baseline": baseline, "fill_seconds": fill_seconds,
            "queue": len(queue)}


# Departments of a county's promotion centre and the categories they handle.
COUNTY_DEPARTMENTS = [("自然资源局", "land"), ("发展和改革委员会", "energy;policy"), ("人力资源和社会保障局", "employment"),
                      ("行政审批服务局", "approval"), ("地方金融服务中心", "finance"), ("商务局", "market"),
                      ("住房和城乡建设局", "infrastructure"), ("司法局", "legal"), ("工业和信息化局", "policy;other")]


def county_of_cadres(county, ticket, admin, cadres):
    """Gives `county` a roster of departments and `cadres` more cadres spread over them (imported
    as a CSV file, as an operator would); the candidates path of a ticket there."""
    log(f"a county of {cadres:,} cadres ({county})")
    rows = "\n".join(f"{county},{county}{name},{cats}" for name, cats in COUNTY_DEPARTMENTS)
    call("POST", "/api/v1/imports/departments", admin, csv=f"region_code,name,categories\n{rows}\n")
    rows = "\n".join(f"bench.{county}.{i:04},{county},干部{i:04},{county}{COUNTY_DEPARTMENTS[i % len(COUNTY_DEPARTMENTS)][0]}"
                     for i in range(cadres))
    call("POST", "/api/v1/imports/cadres", admin, csv=f"username,region_code,display_name,department_name\n{rows}\n")
    listed = call("GET", f"/api/v1/tickets/{ticket}/candidates?limit=200", admin)["items"]
    assert len(listed) == 200 and listed[0]["matches_category"], listed[:1]
    return f"/api/v1/tickets/{ticket}/candidates"


def median(values):
    values = sorted(v for v in values if v is not None)
    return values[len(values) // 2] if values else None


def in_turns(members, seconds, rounds):
    """Runs each member, a (label of the round, run(label, seconds)) pair, in turn, `rounds`
    times for seconds / rounds each, the order reversed every other round: a pause of the
    shared machine then spoils one round of one scenario, not a whole figure, and the two
    sides of a ratio meet the same conditions. Each member's figures are its medians over the
    rounds (errors and requests summed)."""
    each = max(2, round(seconds / rounds))
    results = [[] for _ in members]
    for r in range(rounds):
        order = range(len(members)) if r % 2 == 0 else reversed(range(len(members)))
        for i in order:
            label, run = members[i]
            results[i].append(run(label(r), each))
    return [{"rps": median([f["rps"] for f in fs]), "p50": median([f["p50"] for f in fs]), "p99": median([f["p99"] for f in fs]),
             "errors": sum(f["errors"] for f in fs), "requests": sum(f["requests"] for f in fs)} for fs in results]


def pgbench(db, raw, work, conns, secs, rate, label, enterprises, filer):
    """The filing's statements through pgbench: at saturation, or paced at `rate`."""
    script = ROOT / "bench" / "pgbench" / "filing.sql"
    cmd = pin(0) + ["pgbench", "-n", "-M", "prepared", "-f", str(script), "-D", f"enterprises={enterprises}", "-D", f"filer={filer}",
                    "-c", str(conns), "-j", "1", "-T", str(secs)]
    # Latencies from the per-transaction log, kept for the paced run only (logging costs
    # pgbench's client a little at saturation).
    logdir = Path(tempfile.mkdtemp(dir=work)) if rate else None
    if logdir:
        cmd += ["-R", str(rate), "--log", f"--log-prefix={logdir}/tx"]
    out = run(cmd + [db.url])
    (raw / f"pgbench-{label}.txt").write_text(out)
    # Each line: client, transaction, latency (µs, from the scheduled start), script, epoch s,
    # µs, schedule lag (µs). wrk's paced runs time a request from when it is sent, so the lag
    # behind pgbench's schedule is taken out: both sides are the time the work took.
    fields = [line.split() for f in (logdir.iterdir() if logdir else []) for line in f.read_text().splitlines()]
    latencies = sorted((int(f[2]) - int(f[6])) / 1000 for f in fields)
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else None
    done = int(re.search(r"number of transactions actually processed: (\d+)", out).group(1))
    return {"rps": float(re.search(r"tps = ([\d.]+)", out).group(1)), "p50": pick(0.5), "p99": pick(0.99),
            "errors": 0, "requests": done}


def sqlite_loop(db, raw, secs, label, enterprises, filer):
    """The filing's statements in a minimal Python loop on the same SQLite file."""
    out = run(pin(0) + [sys.executable, str(ROOT / "bench" / "sqlite_filing.py"), str(db.path), str(secs), str(enterprises), str(filer)])
    (raw / f"sqlite-{label}.txt").write_text(out)
    figures = json.loads(out.strip().splitlines()[-1])
    return {"rps": figures["rate"], "p50": figures["p50_ms"], "p99": figures["p99_ms"], "errors": 0,
            "requests": figures.get("filings", 0)}


def stats_scaling(backend, args, raw, work):
    """Province statistics p99 at a small and a large number of tickets."""
    results = {}
    year = datetime.date.today().year
    path = f"/api/v1/stats?region=410000&from={year}-01&to={year}-12"
    for tickets in args.stats_sizes:
        db = Database(backend, work, f"stats{tickets}")
        try:
            fill(db, args.enterprises, args.cadres, tickets)
            server = Server(db, raw)
            try:
                tokens = write_lines(work / "stats.tokens", [login(*ADMIN)])
                wrk(f"{backend}-stats-{tickets}-warm", raw, 4, 3, path=path, tokens=tokens)
                fixed = wrk(f"{backend}-stats-{tickets}", raw, 4, args.seconds, rate=50, path=path, tokens=tokens)
                results[tickets] = fixed
            finally:
                server.stop()
        finally:
            db.drop()
    return results


def fmt(x, digits=2):
    return "–" if x is None else (f"{x:,.{digits}f}" if isinstance(x, float) else f"{x:,}")


def report(results, scaling, args, raw):
    lines = [f"Run of {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC on {CORES} cores "
             f"({os.uname().machine}); service pinned to core 1, load generator to core 0. "
             f"Demo: Henan, {args.enterprises:,} enterprises, {args.cadres:,} cadres, {args.tickets:,} tickets; "
             f"wrk, one thread, {args.connections} connections, {args.seconds} s per run; the filings with their "
             f"baseline, and the two queue pages, measured in turns: {args.rounds} rounds each, medians.", "",
             "| backend | scenario | max req/s | fixed rate | p50 ms | p99 ms | errors |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for backend, r in results.items():
        for row in r["rows"]:
            lines.append(f"| {backend} | {row['scenario']} | {fmt(row['max_rps'], 0)} | {fmt(row['rate'])} | {fmt(row['p50'])} | {fmt(row['p99'])} | {row['errors']} |")
        b = r["baseline"]
        lines.append(f"| {backend} | baseline: {b['tool']}, the filing's statements | {fmt(b['max_rps'], 0)} | {fmt(b['rate'])} | {fmt(b['p50'])} | {fmt(b['p99'])} | 0 |")
    lines += ["", "| backend | target | figure | met |", "| --- | --- | --- | --- |"]
    for backend, r in results.items():
        rows = {row["scenario"]: row for row in r["rows"]}
        spread, local = rows["file (32 counties)"], rows["file (one county)"]
        b = r["baseline"]
        checks = [
            ("filing rate ≥ 0.5 × baseline", spread["max_rps"] / b["max_rps"], 0.5, True),
            ("one county ≥ 0.8 × spread", local["max_rps"] / spread["max_rps"], 0.8, True),
            ("queue page 200 p99 ≤ 1.5 × page 1 p99", rows["queue page 200"]["p99"] / rows["queue page 1"]["p99"], 1.5, False),
            ("peak RSS ≤ 3 × idle RSS", r["peak_kib"] / max(1, r["idle_kib"]), 3.0, False),
        ]
        candidates = rows[f"dispatch candidates ({args.county_cadres:,} cadres)"]
        checks.append(("dispatch candidates p99 ≤ 20 ms", candidates["p99"], 20.0, False))
        if b["p99"] is not None and backend == "postgres":
            checks.append(("API p99 ≤ 3 × pgbench p99 at the same rate", spread["p99"] / b["p99"], 3.0, False))
        for name, value, bound, at_least in checks:
            ok = value >= bound if at_least else value <= bound
            lines.append(f"| {backend} | {name} | {value:.2f} | {'yes' if ok else 'NO'} |")
        lines.append(f"| {backend} | peak RSS < 100 MB | {r['peak_kib'] / 1024:.1f} MB (idle {r['idle_kib'] / 1024:.1f} MB) | {'yes' if r['peak_kib'] < 100 * 1024 else 'NO'} |")
        lines.append(f"| {backend} | errors = 0 | {sum(row['errors'] for row in r['rows'])} | {'yes' if all(row['errors'] == 0 for row in r['rows']) else 'NO'} |")
    if scaling:
        lines += ["", "| backend | tickets | stats p50 ms | stats p99 ms | errors |", "| --- | ---: | ---: | ---: | ---: |"]
        for backend, sizes in scaling.items():
            for tickets, f in sizes.items():
                lines.append(f"| {backend} | {tickets:,} | {fmt(f['p50'])} | {fmt(f['p99'])} | {f['errors']} |")
            small, large = sizes[min(sizes)], sizes[max(sizes)]
            lines.append(f"| {backend} | p99 ratio {max(sizes):,} / {min(sizes):,} | | {large['p99'] / small['p99']:.2f} (target ≤ 1.5) | |")
    text = "\n".join(lines) + "\n"
    (raw.parent / "results.md").write_text(text)
    (raw.parent / "results.json").write_text(json.dumps({"api": results, "stats": {b: {str(k): v for k, v in s.items()} for b, s in scaling.items()}}, indent=1))
    print(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes and short runs: a smoke test of the suite")
    parser.add_argument("--backends", default="postgres,sqlite")
    parser.add_argument("--no-stats-scaling", action="store_true")
    parser.add_argument("--stats-only", action="store_true", help="only the statistics at scale (issue 6's benchmark)")
    args = parser.parse_args()
    args.enterprises, args.cadres, args.tickets = (1000, 300, 5000) if args.quick else (10000, 1500, 100000)
    args.seconds, args.connections = (3, 8) if args.quick else (10, 16)
    args.rounds = 1 if args.quick else 3
    args.prefill_seconds = 8 if args.quick else 40
    args.stats_sizes = [10000, 100000] if args.quick else [10000, 1000000]
    args.county_cadres = 300 if args.quick else 1500
    ensure_tools()
    log("building the release binary")
    run(["cargo", "build", "--release", "--bin", "enterprise-assist"], capture=False, timeout=3600)
    out = ROOT / "bench" / "results" / datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    raw = out / "raw"
    raw.mkdir(parents=True)
    started = time.monotonic()
    results, scaling = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for backend in args.backends.split(","):
            if not args.stats_only:
                results[backend] = api_scenarios(backend, args, raw, work)
            if not args.no_stats_scaling:
                scaling[backend] = stats_scaling(backend, args, raw, work)
    report(results, scaling, args, raw)
    latest = ROOT / "bench" / "results" / "latest"
    if latest.is_symlink() or latest.exists():
        latest.unlink()
    latest.symlink_to(out.name)
    log(f"done in {time.monotonic() - started:.0f} s; results in {out}")


if __name__ == "__main__":
    main()
