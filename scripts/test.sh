#!/usr/bin/env bash
# The test command: installs missing tools, checks Generated/ is fresh, builds once, then runs
# the Swift suites (codegen snapshots, runtime, bad input, interop over TLS and in process)
# the Cardex suites (store, registration, sessions, cards, notifications; the PostgreSQL
# foundations against a throwaway cluster of scripts/postgres.sh), the Cardex service suites
# again with every server on PostgreSQL, the `cardex` CLI end to end against `cardex serve`
# on SQLite and on PostgreSQL, two `cardex serve` instances on one PostgreSQL database (directly, and
# behind HAProxy while one is drained and stopped, then killed), the Python client's unit and interop tests against the
# Swift interop server, and the Python SDK's scenario tests against `cardex serve`.
# Then what an operator uses (Tests/cli/observability.sh). The C client (Tests/c/run.sh) runs the interop cases and a Cardex scenario the same way.
# Last, `cardex serve` as a process under load: SIGTERM (bounded exit, nothing acknowledged
# lost) and SIGKILL three times (scripts/crash-test.sh --short).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh --python
scripts/generate.sh --check
echo "== swift format: the tree as scripts/format.sh leaves it"
scripts/format.sh --check

echo "== swift build (tests included)"
swift build --build-tests
bin=$(swift build --show-bin-path)

# One throwaway PostgreSQL cluster for the whole run (CardexPostgres's tests; without it each test
# process would start its own), stopped on exit; a server already named in the environment is used
# as it is.
if [ -z "${CARDEX_TEST_POSTGRES_URL:-}" ]; then
  echo "== PostgreSQL: a throwaway cluster for the run (scripts/postgres.sh)"
  pg_state=$(mktemp -u "${TMPDIR:-/tmp}/cardex-test-postgres-state.XXXXXX")
  trap 'scripts/postgres.sh stop "$pg_state"' EXIT
  CARDEX_TEST_POSTGRES_URL=$(scripts/postgres.sh start --owner-pid $$ --state "$pg_state" --no-fsync)
  CARDEX_TEST_POSTGRES_CA=$(sed -n 's/^ca=//p' "$pg_state")
  CARDEX_TEST_POSTGRES_DATA=$(sed -n 's/^data=//p' "$pg_state")  # for the test that reads its files
  export CARDEX_TEST_POSTGRES_URL CARDEX_TEST_POSTGRES_CA CARDEX_TEST_POSTGRES_DATA
fi

# Suites that bound real time tightly (a shutdown within its grace period plus the TLS close
# timeout; keepalive, idle and handshake timers) run by themselves after the rest: with every suite
# at once on two cores, the machine's own load stretched them past their bounds.
timed='^FramedRPCTests\.(ShutdownTimeTests|ConnectionLifecycleTests)(/|$)'
echo "== swift test"
swift test --skip-build --skip "$timed"
echo "== swift test: the suites that bound real time, alone"
swift test --skip-build --filter "$timed"

echo "== swift test: the Cardex service suites again, every server on PostgreSQL"
CARDEX_TEST_DATABASE=postgres swift test --skip-build --filter '^CardexTests\.'

echo "== fuzzing: replay Fuzz/Corpus, then 20 s per target (docs/FUZZING.md)"
FUZZ_SECONDS=20 scripts/fuzz.sh --short

echo "== cardex CLI against cardex serve"
Tests/cli/smoke.sh "$bin"
echo "== cardex CLI: vCard upload (Apple, Google, Android, 4.0, Latin-1 exports) and download, checked with vobject"
Tests/cli/vcard.sh "$bin"
echo "== CardDAV: vdirsyncer syncs the book, contacts and a group to a folder and back"
Tests/dav/vdirsyncer.sh "$bin"
if [ -n "${pg_state:-}" ]; then
  echo "== cardex CLI against cardex serve --database postgres://…"
  Tests/cli/smoke.sh "$bin" "$(scripts/postgres.sh createdb "$pg_state" cli_smoke)"
  echo "== two cardex serve instances on one PostgreSQL database"
  Tests/cli/instances.sh "$bin" "$(scripts/postgres.sh createdb "$pg_state" instances)"
  echo "== two cardex serve instances behind HAProxy: drain, SIGTERM, SIGKILL"
  Tests/cli/balanced.sh "$bin" "$(scripts/postgres.sh createdb "$pg_state" balanced)"
else
  echo "== cardex CLI on PostgreSQL: skipped (CARDEX_TEST_POSTGRES_URL names a server this script cannot create databases on)"
fi

echo "== operating cardex serve: metrics scrape, health and reflection with the framedrpc CLI, OTLP traces"
Tests/cli/observability.sh "$bin"

echo "== C client"
Tests/c/run.sh "$bin"

echo "== Swift SDK: a package using FramedRPC and CardexClient builds without protoc"
Tests/sdk/swift-without-protoc.sh

echo "== python client and SDK"
FRAMEDRPC_INTEROP_BIN="$bin/framedrpc-interop" CARDEX_BIN="$bin/cardex" \
    python3 -m pytest -q clients/python/tests

echo "== cardex serve: SIGTERM under load"
"$bin/cardex-bench" shutdown --cardex "$bin/cardex"

echo "== cardex serve: SIGKILL under write load"
CARDEX_BIN_DIR="$bin" scripts/crash-test.sh --short
