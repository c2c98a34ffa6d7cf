#!/usr/bin/env bash
# Runs every test file with node's own runner. The shell expands the list (node 20's --test
# has no globs); finding no test file at all is a failure, never a pass.
set -euo pipefail
shopt -s globstar nullglob
cd "$(dirname "$0")/.."
files=(test/**/*.test.ts test/**/*.test.tsx)
if [ ${#files[@]} -eq 0 ]; then
  echo "test/run.sh: no test file found" >&2
  exit 1
fi
exec node --import tsx --test --test-concurrency=2 "$@" "${files[@]}"
