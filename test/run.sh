#!/usr/bin/env bash
# Runs every test file with node's own runner. The shell expands the list (node 20's --test
# has no globs); a pattern that matches nothing stays literal and makes node fail, never pass.
#
# With WAZO_AUTH_TEST_PG_URI set (a PostgreSQL database the tests may fill; .ci/run creates one),
# the files that start daemons run a second time with every test daemon on PostgreSQL, each in a
# schema of its own; the counts of both passes are summed at the end. Without it, that pass and
# the PostgreSQL tests of the first are skipped, and this says so.
set -uo pipefail
shopt -s globstar
cd "$(dirname "$0")/.."

run() {
  node --import tsx --test --test-concurrency=2 "$@" | tee -a "$summary"
  return "${PIPESTATUS[0]}"
}

summary=$(mktemp)
trap 'rm -f "$summary"' EXIT
# The layers and the formatting first: when they fail, the tests do not run.
bash test/checks.sh || exit 1

WAZO_AUTH_TEST_STORE=sqlite run "$@" test/**/*.test.ts
status=$?

if [ -z "${WAZO_AUTH_TEST_PG_URI:-}" ]; then
  echo "# PostgreSQL: WAZO_AUTH_TEST_PG_URI is not set, the PostgreSQL tests and the second pass (HTTP suite on PostgreSQL) are skipped" | tee /dev/stderr
  exit "$status"
fi

# The files whose tests start daemons through test/helpers/daemon.ts (test/postgres/ chooses its own).
mapfile -t daemon_files < <(grep -lE "startTestDaemon\(|group-fixtures\.js" test/**/*.test.ts | grep -v '^test/postgres/')
echo "# PostgreSQL pass: ${#daemon_files[@]} files whose test daemons now use PostgreSQL"
WAZO_AUTH_TEST_STORE=postgresql run "$@" "${daemon_files[@]}"
pg_status=$?

# Both passes' closing counts, summed, as the runner prints them (TAP '# pass N', spec 'ℹ pass N').
echo "# both passes (SQLite, then the daemon tests again on PostgreSQL)"
for key in tests suites pass fail cancelled skipped todo; do
  total=$(grep -E "^(# |ℹ )$key [0-9]+$" "$summary" | awk '{sum += $3} END {print sum + 0}')
  echo "# $key $total"
done
[ "$status" -eq 0 ] && [ "$pg_status" -eq 0 ]
