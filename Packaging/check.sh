#!/usr/bin/env bash
# Builds what Packaging/Dockerfile builds, with the same flags, and checks the systemd unit.
# No Docker engine runs on CI machines, so the image itself is not built here; this proves the
# release binary links statically against the Swift runtime, starts, and that the unit parses.
set -euo pipefail
cd "$(dirname "$0")/.."

# PACKAGING_SCRATCH: a separate build folder (e.g. .build-release) keeps the release build out of
# the debug one's way; CI uses the default.
scratch=(--scratch-path "${PACKAGING_SCRATCH:-.build}")
echo "packaging: swift build -c release --product rapport-server --static-swift-stdlib"
swift build -c release --product rapport-server --static-swift-stdlib "${scratch[@]}"
bin="$(swift build -c release --show-bin-path "${scratch[@]}")/rapport-server"

# The Swift runtime must not be a shared-library dependency (the runtime image has none).
if ldd "$bin" | grep -E 'libswift|libFoundation|lib_Foundation|libdispatch' ; then
    echo "packaging: the release binary still links the Swift runtime dynamically"; exit 1
fi
echo "packaging: shared libraries: $(ldd "$bin" | awk '{print $1}' | tr '\n' ' ')"
"$bin" --help >/dev/null

# The release binary serves: start it on a free port, ask /readyz, stop it with SIGTERM.
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin" serve --data-dir "$work/data" --port 0 >"$work/out" 2>"$work/err" &
pid=$!
url=""
for _ in $(seq 1 100); do
    url="$(grep -o 'url=http://127\.0\.0\.1:[0-9]*' "$work/err" | head -1 | cut -d= -f2 || true)"
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/err"; echo "packaging: the release server exited"; exit 1; }
    sleep 0.2
done
[ -n "$url" ] || { cat "$work/err"; echo "packaging: the release server did not listen"; exit 1; }
curl -fsS "$url/readyz" >/dev/null || { echo "packaging: /readyz failed on the release server"; exit 1; }
kill -TERM "$pid"; wait "$pid" || { echo "packaging: the release server did not stop cleanly"; exit 1; }
echo "packaging: release server started, answered /readyz and stopped"

if command -v systemd-analyze >/dev/null; then
    unit="$work/rapport-server.service"
    sed "s#/usr/local/bin/rapport-server#$bin#" Packaging/rapport-server.service >"$unit"
    systemd-analyze verify "$unit"
    echo "packaging: systemd-analyze verify: the unit is valid"
else
    echo "packaging: systemd-analyze not installed; unit file not verified"
fi
