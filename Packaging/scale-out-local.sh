#!/usr/bin/env bash
# Starts the scale-out setup on this machine's loopback (Docs/ScaleOut.md): a PostgreSQL
# cluster of its own, N rapport-server instances on it sharing one data directory (the key
# files), and HAProxy in front, round-robin, health-checking /readyz. Stops everything on
# Ctrl-C or when the script is killed.
#
#   Packaging/scale-out-local.sh [--instances 3] [--port 8080] [--dir /tmp/rapport-scale-out] [--demo]
#
# Needs: PostgreSQL's initdb/pg_ctl (Debian: postgresql), haproxy (Debian: haproxy), a built
# rapport-server (RAPPORT_SERVER=path, else `swift build --show-bin-path`). Run as root, the
# cluster runs as the postgres user.
set -euo pipefail
cd "$(dirname "$0")/.."

instances=3
port=8080
dir=/tmp/rapport-scale-out
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --instances) instances="$2"; shift 2 ;;
        --port) port="$2"; shift 2 ;;
        --dir) dir="$2"; shift 2 ;;
        --demo) extra+=(--demo --demo-customers 200); shift ;;
        *) echo "usage: $0 [--instances N] [--port P] [--dir D] [--demo]" >&2; exit 64 ;;
    esac
done

server="${RAPPORT_SERVER:-$(swift build --show-bin-path)/rapport-server}"
[ -x "$server" ] || { echo "no rapport-server at $server; run swift build or set RAPPORT_SERVER" >&2; exit 69; }
command -v haproxy >/dev/null || { echo "haproxy is missing: apt-get install haproxy" >&2; exit 69; }
initdb="$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 || true)"
[ -n "$initdb" ] || { echo "PostgreSQL is missing: apt-get install postgresql" >&2; exit 69; }
pg_bin="$(dirname "$initdb")"

free_port() {
    local p="$1"
    while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
    echo "$p"
}
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }

mkdir -p "$dir"
pg_port="$(free_port 55440)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    as_postgres "'$pg_bin/pg_ctl' -D '$dir/pg' -m fast stop" >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

if [ ! -d "$dir/pg" ]; then
    mkdir -p "$dir/pg"
    [ "$(id -u)" = 0 ] && chown postgres "$dir/pg"
    as_postgres "'$initdb' -D '$dir/pg' -U postgres --auth=trust -E UTF8" >"$dir/initdb.log"
fi
[ "$(id -u)" = 0 ] && chown postgres "$dir"
as_postgres "'$pg_bin/pg_ctl' -D '$dir/pg' -l '$dir/postgres.log' -w -o \"-p $pg_port -k '$dir' -c listen_addresses=127.0.0.1 -c max_connections=200\" start" >/dev/null
database="postgres://postgres@127.0.0.1:$pg_port/postgres"
echo "PostgreSQL: $database"

backends=""
for n in $(seq 1 "$instances"); do
    p="$(free_port $((port + n)))"
    "$server" serve --host 127.0.0.1 --port "$p" --data-dir "$dir/shared" --database "$database" \
        --node-id "instance-$n" --database-pool-size 10 "${extra[@]}" >"$dir/instance-$n.out" 2>"$dir/instance-$n.log" &
    pids+=($!)
    for _ in $(seq 1 150); do
        grep -q "url=http://127.0.0.1:$p" "$dir/instance-$n.log" 2>/dev/null && break
        kill -0 "${pids[-1]}" 2>/dev/null || { cat "$dir/instance-$n.log" >&2; exit 1; }
        sleep 0.2
    done
    backends+="    server instance-$n 127.0.0.1:$p check"$'\n'
    echo "instance-$n: http://127.0.0.1:$p (log $dir/instance-$n.log)"
done

cat >"$dir/haproxy.cfg" <<EOF
global
    maxconn 4096
defaults
    mode http
    timeout connect 5s
    timeout client 1h
    timeout server 1h
    option http-server-close
frontend rapport
    bind 127.0.0.1:$port
    default_backend instances
backend instances
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
$backends
EOF
haproxy -f "$dir/haproxy.cfg" -db >"$dir/haproxy.log" 2>&1 &
pids+=($!)
sleep 0.5
kill -0 "${pids[-1]}" 2>/dev/null || { cat "$dir/haproxy.log" >&2; exit 1; }

echo "load balancer: http://127.0.0.1:$port"
cat "$dir"/instance-*.out | grep -E "login name|password|Demo|demo-" || true
echo "running; Ctrl-C stops everything"
wait -n "${pids[@]}"
