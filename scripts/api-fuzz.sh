#!/usr/bin/env bash
# Checks the OpenAPI document (/api/v1/openapi.json) against the running server with
# schemathesis and every one of its checks: no 5xx, every status an operation answers
# is documented, every request the schemas allow is accepted (or refused with a status
# the document gives for it), every request they forbid is refused, and the bodies
# match their schemas. Starts the debug server on a free port with a fresh SQLite
# database and the demo data, logs in as a team lead, and draws a fixed seed with a
# bounded number of cases per operation. Exits non-zero on any failure.
#   scripts/api-fuzz.sh                            the test command's run (under a minute)
#   WIJKPOST_FUZZ_EXAMPLES=500 scripts/api-fuzz.sh more cases per operation (default 100)
#   WIJKPOST_FUZZ_SEED=7 scripts/api-fuzz.sh       other cases
# Exceptions to the checks, each with its reason, are in scripts/schemathesis.toml.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
[ -x "$SCHEMATHESIS_VENV/bin/schemathesis" ] || die "schemathesis is not installed: run scripts/setup.sh --test"
EXAMPLES="${WIJKPOST_FUZZ_EXAMPLES:-100}"
SEED="${WIJKPOST_FUZZ_SEED:-1}"
USERNAME="${WIJKPOST_FUZZ_USER:-teamleider.borgerhout}"
PASSWORD="wijkpost-demo" # store::demo::DEMO_PASSWORD

cargo build -q -p server --bin wijkpost
binary="${CARGO_TARGET_DIR:-$ROOT/target}/debug/wijkpost"

work="$(mktemp -d)"
server_pid=""
stop() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap stop EXIT

# Port 0: the server takes a free port and prints it. No config file is read.
WIJKPOST_CONFIG="$work/none.toml" WIJKPOST_LISTEN=127.0.0.1:0 WIJKPOST_DEMO_DATA=true \
  WIJKPOST_DATABASE_URL="sqlite://$work/wijkpost.db" WIJKPOST_SITE_ROOT="$work/site" \
  WIJKPOST_LOG_FORMAT=json RUST_LOG=warn "$binary" >"$work/server.log" 2>&1 &
server_pid=$!
base=""
for _ in $(seq 300); do
  base="$(grep -o 'Wijkpost is running: open http://[0-9.:]*' "$work/server.log" | grep -o 'http://.*' || true)"
  [ -n "$base" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; die "the server stopped before it listened"; }
  sleep 0.2
done
[ -n "$base" ] || { cat "$work/server.log" >&2; die "the server did not start within 60 s"; }
ok "server at $base"

# Logs in through the page's form, as the browser does, and keeps the session cookie.
session="$("$SCHEMATHESIS_VENV/bin/python" - "$base" "$USERNAME" "$PASSWORD" <<'PY'
import http.client, sys, urllib.parse
base, username, password = sys.argv[1:4]
host = urllib.parse.urlsplit(base).netloc
connection = http.client.HTTPConnection(host, timeout=30)
form = urllib.parse.urlencode({"username": username, "password": password})
connection.request("POST", "/api/login", form, {"Content-Type": "application/x-www-form-urlencoded", "Origin": base})
response = connection.getresponse()
cookies = [v.split(";")[0] for k, v in response.getheaders() if k.lower() == "set-cookie"]
session = [c for c in cookies if c.startswith("wijkpost_session=") and c != "wijkpost_session="]
if response.status != 200 or not session:
    sys.exit(f"log-in as {username} failed: {response.status} {response.read()[:300]!r}")
print(session[0])
PY
)"
ok "logged in as $USERNAME"

# In the work folder: schemathesis keeps its example database and reports in the
# current one, and an old database would replay old cases into this run. One worker:
# on CPython 3.11 (Debian 12's) hypothesis, describing a filter in a worker thread,
# meets python/cpython#106905 (a SystemError from `ast.parse`); the run is also
# deterministic then, and fast enough. Every check runs (schemathesis's default; not
# `--checks all`, which as a command-line option would override the per-operation
# exceptions in the config file).
start=$(date +%s)
status=0
(cd "$work" && "$SCHEMATHESIS_VENV/bin/schemathesis" --config-file "$ROOT/scripts/schemathesis.toml" run "$base/api/v1/openapi.json" \
  --seed "$SEED" --max-examples "$EXAMPLES" --workers 1 \
  -H "Cookie: $session" -H "Origin: $base") || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- server log (warnings) ---"
  tail -n 50 "$work/server.log"
  die "schemathesis found failures (seed $SEED, $EXAMPLES cases per operation); see above"
fi
ok "schemathesis: no failures in $(( $(date +%s) - start )) s"
