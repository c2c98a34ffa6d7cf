#!/usr/bin/env bash
# The static checks `npm test` runs beside the build, before the tests (test/run.sh), and
# `npm run check` alone.
# Fails when the layers are crossed (.dependency-cruiser.cjs, docs/architecture.md "Layers") or
# when a file is not formatted (biome.json; `npm run format` formats them).
set -uo pipefail
cd "$(dirname "$0")/.."

status=0
echo "# boundaries: dependency-cruiser"
node_modules/.bin/depcruise --config .dependency-cruiser.cjs src commands || status=1

echo "# format: biome format"
node_modules/.bin/biome format --colors=off 2>&1 || status=1
exit "$status"
