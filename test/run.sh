#!/usr/bin/env bash
# Runs every test file with node's own runner. The shell expands the list (node 20's --test
# has no globs); a pattern that matches nothing stays literal and makes node fail, never pass.
set -euo pipefail
shopt -s globstar
cd "$(dirname "$0")/.."
exec node --import tsx --test --test-concurrency=2 "$@" test/**/*.test.ts
