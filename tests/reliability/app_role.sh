#!/usr/bin/env bash
# Proves RELIABILITY.md's PostgreSQL role setup on a private, throw-away cluster (its own data
# directory and port, started and stopped here; the machine's shared cluster is not touched):
# migrations run as the owner, the service runs as an application role that may not UPDATE,
# DELETE or TRUNCATE ticket events, and the service still files and moves tickets.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=/usr/lib/postgresql/15/bin
binary=target/debug/enterprise-assist
work=$(mktemp -d)
chown postgres "$work"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_postgres() { runuser -u postgres -- "$@"; }
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true
  as_postgres "$bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

as_postgres "$bin/initdb" -D "$work/data" -U postgres --auth=trust >/dev/null
as_postgres "$bin/pg_ctl" -D "$work/data" -l "$work/pg.log" -w -t 30 \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
psql_su() { psql -v ON_ERROR_STOP=1 -q "postgres://postgres@127.0.0.1:$port/$1" "${@:2}"; }

# The setup RELIABILITY.md documents, verbatim from its snippet.
sed -n '/^-- BEGIN ROLE SETUP/,/^-- END ROLE SETUP/p' RELIABILITY.md > "$work/roles.sql"
sed -n '/^-- BEGIN GRANTS/,/^-- END GRANTS/p' RELIABILITY.md > "$work/grants.sql"
psql_su postgres -f "$work/roles.sql"
owner_url="postgres://ea_owner:owner-secret@127.0.0.1:$port/enterprise_assist"
app_url="postgres://ea_app:app-secret@127.0.0.1:$port/enterprise_assist"
export JWT_SECRET=app-role-check-secret-at-least-32-bytes DATA_DIR="$work" LOG_FORMAT=json
DATABASE_URL="$owner_url" timeout 120 "$binary" migrate >/dev/null
psql_su enterprise_assist -f "$work/grants.sql"

ADMIN_PASSWORD=app-role-admin-0001 DATABASE_URL="$app_url" timeout 60 "$binary" create-admin --username admin >/dev/null
api_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DATABASE_URL="$app_url" BIND="127.0.0.1:$api_port" "$binary" serve >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$api_port/readyz" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$api_port/readyz" >/dev/null || { cat "$work/serve.log"; exit 1; }

api() { curl -s -o "$work/body" -w '%{http_code}' -X "$1" "http://127.0.0.1:$api_port/api/v1$2" \
  -H 'content-type: application/json' ${3:+-H "authorization: Bearer $3"} ${4:+-d "$4"}; }
expect() { [ "$1" = "$2" ] || { echo "expected $2, got $1: $(cat "$work/body")"; exit 1; }; }
expect "$(api POST /auth/login '' '{"username":"admin","password":"app-role-admin-0001"}')" 200
admin=$(jq -r .access_token "$work/body")
expect "$(api POST /enterprises "$admin" '{"name":"角色检查企业","uscc":"91411602000000001X","county_code":"411602"}')" 201
enterprise=$(jq -r .id "$work/body")
expect "$(api POST /users "$admin" "{\"username\":\"staff.role\",\"password\":\"app-role-user-0001\",\"role\":\"enterprise\",\"enterprise_id\":$enterprise}")" 201
expect "$(api POST /auth/login '' '{"username":"staff.role","password":"app-role-user-0001"}')" 200
staff=$(jq -r .access_token "$work/body")
expect "$(api POST /tickets "$staff" '{"category":"land","title":"用地","description":"需新增工业用地。"}')" 201
ticket=$(jq -r .id "$work/body")
expect "$(api POST "/tickets/$ticket/withdraw" "$staff" '{"reason":"已自行解决"}')" 200

# The application role itself may not rewrite the trail, even with the triggers gone.
psql_su enterprise_assist -c "ALTER TABLE ticket_events DISABLE TRIGGER ticket_events_no_update"
for statement in "UPDATE ticket_events SET action = 'forged'" "DELETE FROM ticket_events" "TRUNCATE ticket_events"; do
  if psql -q "$app_url" -c "$statement" 2>"$work/err"; then
    echo "the application role could run: $statement"; exit 1
  fi
  grep -q "permission denied" "$work/err" || { cat "$work/err"; exit 1; }
done
events=$(psql -At "$app_url" -c "SELECT count(*) FROM ticket_events WHERE ticket_id = $ticket")
[ "$events" = 2 ] || { echo "expected 2 events, found $events"; exit 1; }
echo "application role: serves as ea_app (filing and a move: 2 events); UPDATE, DELETE and TRUNCATE on ticket_events refused"
