#!/usr/bin/env bash
# Fuzz the HTTP API against Docs/openapi.yaml with schemathesis (PyPI), as an administrator and
# as a sales rep, on a fresh demo server on an ephemeral port. Exits non-zero on any failed check
# (server error, response not matching the spec, a schema-valid request refused, a missing
# 405/Allow ...). Bounded: SCHEMATHESIS_EXAMPLES cases per operation and phase (default 5: about 3 minutes on 2 busy cores) keep it
# to a few minutes.
#
#   .ci/schemathesis.sh                      # uses `swift build --show-bin-path`
#   SCHEMATHESIS_EXAMPLES=200 .ci/schemathesis.sh   # a longer run
set -euo pipefail
cd "$(dirname "$0")/.."

examples="${SCHEMATHESIS_EXAMPLES:-5}"
seed="${SCHEMATHESIS_SEED:-17}"
# The version the spec was fuzzed with (Docs/Reliability.md); other versions generate other cases.
# Installed once into a virtual environment of its own (a system Python refuses pip installs).
version="4.32.5"
if ! schemathesis --version 2>/dev/null | grep -q "$version"; then
    venv="${XDG_CACHE_HOME:-$HOME/.cache}/rapport-schemathesis-$version"
    if [ ! -x "$venv/bin/schemathesis" ]; then
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet "schemathesis==$version"
    fi
    PATH="$venv/bin:$PATH"
fi
bin="${RAPPORT_BIN:-$(swift build --show-bin-path)}"
work="$(mktemp -d)"
"$bin/rapport-server" serve --demo --data-dir "$work/data" --port 0 \
    --login-address-slowdown-after 100000 --login-address-block-after 100000 \
    >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
url=""
for _ in $(seq 1 900); do
    url="$(grep -o 'url=http://127\.0\.0\.1:[0-9]*' "$work/server.err" | head -1 | cut -d= -f2 || true)"
    [ -n "$url" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.err"; echo "schemathesis: the server exited before listening"; exit 1; }
    sleep 0.2
done
[ -n "$url" ] || { cat "$work/server.err"; echo "schemathesis: the server did not listen within 180 s"; exit 1; }

admin_password="$(awk '/password:/ {print $2; exit}' "$work/server.out")"
rep_login="$(awk '$1 == "salesRep" {print $2; exit}' "$work/server.out")"
rep_password="$(awk '$1 == "salesRep" {print $3; exit}' "$work/server.out")"

token() {  # login password → access token of a fresh device
    local device
    device="$(python3 -c 'import uuid; print(uuid.uuid4())')"
    curl -sf -X POST "$url/v1/auth/login" -H 'Content-Type: application/json' \
        -d "{\"loginName\":\"$1\",\"password\":\"$2\",\"device\":{\"id\":\"$device\",\"name\":\"schemathesis\",\"platform\":\"linux\"}}" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["tokens"]["accessToken"])'
}

status=0
run() {  # label token [extra schemathesis options]
    local label="$1" bearer="$2"
    shift 2
    echo "schemathesis: as $label against $url ($examples examples per operation, seed $seed)"
    schemathesis --config-file .ci/schemathesis.toml run Docs/openapi.yaml --url "$url" -H "Authorization: Bearer $bearer" \
        --checks all --exclude-checks ignored_auth,use_after_free,ensure_resource_availability \
        --max-examples "$examples" --seed "$seed" --no-color --generation-deterministic \
        --phases examples,coverage,fuzzing --request-timeout 60 \
        --exclude-path /v1/auth/logout --exclude-path /v1/sync/events \
        --report junit --report-dir "$work/report-$label" "$@" || status=1
}
rep_token="$(token "$rep_login" "$rep_password")" || { echo "schemathesis: the sales rep could not sign in"; exit 1; }
admin_token="$(token admin "$admin_password")" || { echo "schemathesis: the administrator could not sign in"; exit 1; }
run rep "$rep_token" --exclude-path-regex '^/v1/admin/'
run admin "$admin_token"
kill -TERM "$server_pid"
wait "$server_pid" || { echo "schemathesis: the server did not shut down cleanly"; status=1; }
exit "$status"
