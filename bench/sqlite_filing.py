"""The SQLite baseline: the statements one ticket filing executes on SQLite (as the service's
query log shows them), in a minimal loop on one connection with the service's pragmas.

Usage: python3 bench/sqlite_filing.py DB_PATH SECONDS ENTERPRISES FILER_ID
Prints one JSON line: {"filings": N, "seconds": S, "rate": R, "p50_ms": .., "p99_ms": ..}.
"""

import json
import random
import sqlite3
import sys
import time

path, seconds, enterprises, filer = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
db = sqlite3.connect(path, isolation_level=None)
db.executescript(
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;"
)
categories = ["policy", "land", "energy", "finance"]
latencies = []
# The deadlines of a normal "land" ticket, as the service fixes them (and pgbench's script),
# from the start of the run: seconds off for a run this short.
later = lambda hours: time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(time.time() + hours * 3600))
response_due, due, yellow, orange, red = later(24), later(360), later(270), later(360), later(540)
end = time.monotonic() + seconds
while time.monotonic() < end:
    started = time.monotonic()
    enterprise = random.randint(1, enterprises)
    category = random.choice(categories)
    db.execute(
        "SELECT enterprises.id, enterprises.name, enterprises.uscc, enterprises.county_code, enterprises.industry, "
        "enterprises.contact_name, enterprises.contact_phone, enterprises.active, enterprises.created_at, "
        "enterprises.updated_at, users.id, users.username, users.role, users.region_code, users.enterprise_id, "
        "users.department, users.display_name, users.active, users.created_at, users.updated_at, "
        "users.token_generation, users.department_id "
        "FROM ((enterprises LEFT OUTER JOIN enterprise_cadres "
        "ON ((enterprise_cadres.enterprise_id = enterprises.id) AND (enterprise_cadres.is_primary = 1))) "
        "LEFT OUTER JOIN users ON (users.id = enterprise_cadres.user_id)) "
        "WHERE (enterprises.id = ?) LIMIT 1",
        (enterprise,),
    ).fetchone()
    db.execute(
        "SELECT categories.code, categories.name, categories.active, categories.normal_accept, "
        "categories.normal_feedback, categories.normal_resolve, categories.urgent_accept, categories.urgent_feedback, "
        "categories.urgent_resolve FROM categories "
        "WHERE (categories.code = ?) LIMIT 1",
        (category,),
    ).fetchone()
    now = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
    # The month of filing in programme time (China Standard Time, UTC+8 all year).
    month = time.strftime("%Y-%m", time.gmtime(time.time() + 8 * 3600))
    db.execute("BEGIN IMMEDIATE")
    row = db.execute(
        "INSERT INTO tickets (enterprise_id, county_code, category, priority, title, description, status, level, "
        "assignee_id, filed_by, response_due_at, due_at, yellow_at, orange_at, red_at, created_at, updated_at, "
        "counted_until, feedback_sla, resolve_unit, next_breach_at, original_due_at, filed_month) "
        "SELECT id, county_code, ?, 'normal', '新厂房用地指标申请', '需新增工业用地约20亩。', 'submitted', 'county', NULL, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, '3 working_days', 'working_days', ?, ?, ? FROM enterprises WHERE id = ? RETURNING id, county_code",
        (category, filer, response_due, due, yellow, orange, red, now, now, yellow, response_due, due, month, enterprise),
    ).fetchone()
    # Its month and its year, its category and all categories (one slot on SQLite), in one
    # statement as the service writes them.
    keys = [(counted_as, period, row[1]) for period in (month, month[:4]) for counted_as in (category, "*")]
    db.execute(
        "INSERT INTO ticket_stats (category, period, county_code, slot, filed, withdrawn, open, resolved, closed, "
        "reached_resolved, resolved_on_time, resolution_minutes, rated, rating_sum, accepted, accepted_on_time, "
        "feedback_breaches, extended, resolved_on_time_original, supervised, returned) VALUES "
        + ", ".join(["(?, ?, ?, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)"] * len(keys))
        + " ON CONFLICT (category, period, county_code, slot) "
        "DO UPDATE SET filed = ticket_stats.filed + excluded.filed, withdrawn = ticket_stats.withdrawn + excluded.withdrawn, "
        "open = ticket_stats.open + excluded.open, resolved = ticket_stats.resolved + excluded.resolved, "
        "closed = ticket_stats.closed + excluded.closed, reached_resolved = ticket_stats.reached_resolved + excluded.reached_resolved, "
        "resolved_on_time = ticket_stats.resolved_on_time + excluded.resolved_on_time, "
        "resolution_minutes = ticket_stats.resolution_minutes + excluded.resolution_minutes, "
        "rated = ticket_stats.rated + excluded.rated, rating_sum = ticket_stats.rating_sum + excluded.rating_sum, "
        "accepted = ticket_stats.accepted + excluded.accepted, accepted_on_time = ticket_stats.accepted_on_time + excluded.accepted_on_time, "
        "feedback_breaches = ticket_stats.feedback_breaches + excluded.feedback_breaches, extended = ticket_stats.extended + excluded.extended, "
        "resolved_on_time_original = ticket_stats.resolved_on_time_original + excluded.resolved_on_time_original, "
        "supervised = ticket_stats.supervised + excluded.supervised, returned = ticket_stats.returned + excluded.returned",
        [value for key in keys for value in key],
    )
    db.execute(
        "INSERT INTO ticket_events (ticket_id, actor_id, action, from_status, to_status, details, internal, created_at) "
        "VALUES (?, ?, 'file', NULL, 'submitted', '{\"assignee_id\":null}', 0, ?)",
        (row[0], filer, now),
    )
    db.execute("COMMIT")
    latencies.append((time.monotonic() - started) * 1000)

latencies.sort()
pick = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 3)
print(json.dumps({"filings": len(latencies), "seconds": seconds, "rate": round(len(latencies) / seconds, 1),
                  "p50_ms": pick(0.5), "p99_ms": pick(0.99)}))
