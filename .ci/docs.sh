#!/usr/bin/env bash
# Builds the DocC catalogs of the libraries client developers use; any DocC warning (a broken
# symbol link, an undocumented parameter) fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-$(mktemp -d)/docs}"
mkdir -p "$out"
for target in RapportProtocol RapportClient; do
    echo "docs: $target"
    swift package --disable-sandbox --allow-writing-to-directory "$out" generate-documentation \
        --target "$target" --warnings-as-errors --output-path "$out/$target"
done
echo "docs: written to $out"
