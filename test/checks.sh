#!/usr/bin/env bash
# The static checks `npm test` runs before the tests (test/run.sh), and `npm run check` alone.
# Fails when the layers are crossed (.dependency-cruiser.cjs, docs/architecture.md "Layers") and,
# once FORMAT_CHECK says enforce, when a file is not formatted (.prettierrc.json).
set -uo pipefail
cd "$(dirname "$0")/.."

# enforce: an unformatted file fails the run; report: they are only counted, until the tree has
# been formatted once with `npm run format`.
FORMAT_CHECK=report

status=0
echo "# boundaries: dependency-cruiser"
node_modules/.bin/depcruise --config .dependency-cruiser.cjs src commands || status=1

if [ "$FORMAT_CHECK" = enforce ]; then
  echo "# format: prettier --check"
  node_modules/.bin/prettier --cache --check --log-level warn . || status=1
else
  echo "# format: $(node_modules/.bin/prettier --cache --list-different . | wc -l) files not formatted yet (npm run format), not enforced"
fi
exit "$status"
