#!/usr/bin/env bash
# Builds (npm run build) and checks (test/checks.sh), then runs every test file with node's own
# runner, in a few worker processes (see run below). The shell expands the list (node 20's --test
# has no globs); a file that does not exist fails the run.
#
# With WAZO_AUTH_TEST_PG_URI set (a PostgreSQL database the tests may fill; .ci/run creates one),
# the tests that can tell the engines apart run on PostgreSQL too, each test daemon in a schema of
# its own: the store tests, the HTTP tests that start daemons, and the plugin tests about HTTP
# (test/postgres and test/store/postgres.test.ts run there only). Command, client and TUI tests
# run once, on SQLite: they talk to the daemon through HTTP, whatever stores its rows. Both stores'
# files share one queue and its workers. Without it, the PostgreSQL runs and the PostgreSQL tests
# are skipped, and this says so.
set -uo pipefail
shopt -s globstar nullglob
cd "$(dirname "$0")/.."

# A few test processes (test/worker.ts), each running many files one after another, each file in
# a suite of its own: a process per file spent most of the run loading the same modules again.
# The workers take the files from one queue, largest first, so that they end together; a file
# that runs on both stores is queued twice, and the two stores' files share the workers.
# WAZO_TEST_WORKERS sets how many (default: one more than the cores, as tests wait on daemons).
workers=${WAZO_TEST_WORKERS:-$(($(nproc) + 1))}
# Small files that run long, queued before the rest: the store contract's runners, whose tests
# come from test/store/contract*.ts (last in the queue, the PostgreSQL one ended the run alone).
long_for_their_size=(test/store/postgres.test.ts test/store/sqlite.test.ts)

# Queue entries for the files after $1, on the store $1: "<sort key>\t<store>\t<file>", the key
# the file's size, or more than any size for the long ones.
entries() {
  local store=$1 file key
  shift
  for file in "$@"; do
    key=1e12
    [[ " ${long_for_their_size[*]} " == *" $file "* ]] || key=$(stat -c %s "$file")
    printf '%s\t%s\t%s\n' "$key" "$store" "$file"
  done
}

# run OPTIONS...: runs the files of sqlite_files on SQLite and those of postgresql_files on
# PostgreSQL; the options go to node's runner.
run() {
  local queue
  queue=$(mktemp -d)
  { entries sqlite "${sqlite_files[@]}" && entries postgresql "${postgresql_files[@]}"; } | sort -t$'\t' -k1,1gr | cut -f2- > "$queue/files" || return 1
  for i in $(seq "$workers"); do echo "await import('$PWD/test/worker.ts');" > "$queue/worker-$i.test.mjs"; done
  # Appended to a file the shell opened once: `npm test > log 2>&1` keeps every line.
  WAZO_TEST_QUEUE=$queue node --import tsx --test --test-concurrency="$workers" "$@" "$queue"/worker-*.test.mjs | tee -a "$summary"
  local status=${PIPESTATUS[0]}
  # A worker that died leaves files nobody ran: they fail the run, named.
  local missed
  missed=$(grep -vxFf <(cut -f2- "$queue/times" 2>/dev/null) "$queue/files" | tr '\t' ' ')
  if [ -n "$missed" ]; then
    echo "# not finished (their worker process ended first):" $missed
    status=1
  fi
  echo "# slowest files (ms):" $(sort -rn "$queue/times" 2>/dev/null | head -5 | tr '\t\n' ' ')
  rm -rf "$queue"
  return "$status"
}

# The failed tests again, each with where and why, at the end of the run where a log's tail shows
# them: in node's TAP a failure's details come in a YAML block after its "not ok" line.
failures() {
  awk '
    /^ *not ok / { name = $0; sub(/^ *not ok [0-9]+ - /, "", name); open = 1; leaf = 1; why = ""; key = -1; next }
    !open { next }
    /failureType: .subtestsFailed./ { leaf = 0 }
    /^ *\.\.\.$/ { if (leaf) printf "# failed: %s\n%s", name, why; open = 0; next }
    /^ *(location|error):/ { match($0, /^ */); key = /error:/ ? RLENGTH : -1; why = why "#   " $0 "\n"; lines = 0; next }
    key >= 0 && match($0, /^ */) && RLENGTH > key && lines++ < 8 { why = why "#   " $0 "\n"; next }
    { key = -1 }
  ' "$summary"
}

# As bin/run.js runs the commands: the TUI tests, in-process, render with React's production build.
export NODE_ENV=production

summary=$(mktemp)
checks_log=$(mktemp)
trap 'rm -f "$summary" "$checks_log"' EXIT
# The build the tests need (the smoke tests run the binary) and, beside it, the static checks
# (the layers, the formatting): when either fails, the tests do not run.
bash test/checks.sh > "$checks_log" 2>&1 &
checks=$!
npm run build
built=$?
wait "$checks"
checked=$?
cat "$checks_log"
[ "$built" -eq 0 ] && [ "$checked" -eq 0 ] || exit 1

all=(test/**/*.test.ts)
postgresql_files=()

if [ -z "${WAZO_AUTH_TEST_PG_URI:-}" ]; then
  sqlite_files=("${all[@]}")
  run "$@"
  status=$?
  failures
  echo "# PostgreSQL: WAZO_AUTH_TEST_PG_URI is not set, the PostgreSQL tests and the store and HTTP suite on PostgreSQL are skipped"
  exit "$status"
fi

# Tests that only ever use PostgreSQL.
pg_only=(test/postgres/*.test.ts test/store/postgres.test.ts)
# Tests whose daemons (test/helpers/daemon.ts) take the store their queue entry names: on both.
mapfile -t daemon_http < <(grep -lE "startTestDaemon\(|group-fixtures\.js" test/http/*.test.ts test/plugins/identity-providers.test.ts test/plugins/metadata.test.ts test/plugins/switches.test.ts)

sqlite_files=()
for file in "${all[@]}"; do
  [[ " ${pg_only[*]} " == *" $file "* ]] || sqlite_files+=("$file")
done
postgresql_files=("${pg_only[@]}" "${daemon_http[@]}")
echo "# on PostgreSQL too: ${#pg_only[@]} PostgreSQL files and ${#daemon_http[@]} HTTP and plugin files, named '(PostgreSQL)'"
run "$@"
status=$?
failures
exit "$status"
