#!/usr/bin/env bash
# Profiles the release rapport-server under callgrind, one dump per workload phase
# (Docs/Performance.md, "Profile (issue 16)"). Instruction counts, not seconds: they repeat
# while other builds load the machine. Server start-up and sign-ins run uninstrumented.
#
#   swift build -c release --scratch-path .build-release --product rapport-server
#   swift build -c release --scratch-path .build-release --product rapport-load
#   Tools/rapport-load/callgrind.sh w1   OUT   # W1 (../shared/bench), reduced sizes, Rapport side only
#   Tools/rapport-load/callgrind.sh load OUT   # rapport-load, 50 devices on the demo organisation
#   Tools/rapport-load/callgrind.sh report OUT/callgrind.out.<pid>.<n>   # top inclusive and self
#
# W1 sizes: RECORDS (2000), UPDATES (200), SAMPLES (20); load: DEVICES (50), DURATION (60 s).
set -euo pipefail
mode=${1:?usage: callgrind.sh w1|load|report OUT}
out=${2:?usage: callgrind.sh w1|load|report OUT}
bin=${BIN:-.build-release/release}
port=${PORT:-18091}
bench=${BENCH:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/bench}

report() {
    local file=$1
    echo "== inclusive"; callgrind_annotate --inclusive=yes "$file" | sed -n '1,60p' | swift demangle --simplified
    echo "== self"; callgrind_annotate "$file" | sed -n '1,60p' | swift demangle --simplified
}
if [ "$mode" = report ]; then report "$out"; exit 0; fi

mkdir -p "$out"
data=$(mktemp -d)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT

start_server() {   # extra serve flags
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out/callgrind.out.%p" \
        "$bin/rapport-server" serve --data-dir "$data" --port "$port" --log-level warning "$@" \
        >"$out/server.out" 2>"$out/server.err" </dev/null &
    server_pid=$!
    for _ in $(seq 1 600); do
        curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0
        sleep 1
    done
    echo "the server did not start" >&2; exit 1
}

# Runs "$@" with its standard error in $out/driver.log; on each line matching one of the
# patterns (in order), runs the paired callgrind_control action.
drive() {
    local -n actions=$1; shift
    "$@" >"$out/driver.out" 2>"$out/driver.log" &
    local driver=$! next=0
    while kill -0 "$driver" 2>/dev/null || [ "$next" -lt "${#actions[@]}" ]; do
        [ "$next" -ge "${#actions[@]}" ] && { sleep 1; continue; }
        local pattern=${actions[$next]%%|*} action=${actions[$next]#*|}
        if grep -q -- "$pattern" "$out/driver.log"; then
            callgrind_control $action "$server_pid" >/dev/null
            echo "$(date +%T) $pattern -> callgrind_control $action" | tee -a "$out/phases.txt"
            next=$((next + 1))
        elif ! kill -0 "$driver" 2>/dev/null; then
            break
        else
            sleep 0.5
        fi
    done
    wait "$driver" || echo "driver exited $?" | tee -a "$out/phases.txt"
}

case "$mode" in
w1)
    start_server
    password=$(grep -o 'password: *[^ ]*' "$out/server.out" | awk '{print $2}')
    echo "$password" >"$out/admin.pw"
    phases=("push .* records in batches|-i on" "push:|--dump=push" "initial pull:|--dump=initial-pull"
        "delta pull:|--dump=updates-and-delta-pull" "update latency|--dump=single-updates" "revocation:|--dump=revocation")
    drive phases python3 "$bench/sync_workload.py" --server rapport --label rapport-callgrind \
        --url "http://127.0.0.1:$port" --rapport-admin-password-file "$out/admin.pw" \
        --records "${RECORDS:-2000}" --updates "${UPDATES:-200}" --latency-samples "${SAMPLES:-20}"
    ;;
load)
    # Seed the demo organisation without valgrind, then serve the same directory under it.
    "$bin/rapport-server" serve --demo --data-dir "$data" --port "$port" --log-level warning >/dev/null 2>&1 </dev/null &
    seed=$!
    for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.5; done
    kill -TERM "$seed"; wait "$seed" || true
    start_server
    phases=("phase: signed in|-i on" "phase: initial sync done|--dump=initial-sync" "phase: steady state done|--dump=steady-state")
    drive phases "$bin/rapport-load" --server "http://127.0.0.1:$port" --devices "${DEVICES:-50}" \
        --duration "${DURATION:-60}" --request-timeout 900 --setup-timeout 3600
    cat "$out/driver.out"
    ;;
*) echo "unknown mode $mode" >&2; exit 2 ;;
esac
kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""
ls -la "$out"
