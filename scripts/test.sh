#!/usr/bin/env bash
# The test command: installs missing tools, checks Generated/ is fresh, builds once, then runs
# the Swift suites (codegen snapshots, runtime, bad input, interop over TLS and in process)
# the Cardex suites (store, registration, sessions, cards, notifications), the `cardex` CLI
# end to end against `cardex serve`, the Python client's unit and interop tests against the
# Swift interop server, and the Python SDK's scenario tests against `cardex serve`.
# The C client (Tests/c/run.sh) runs the interop cases and a Cardex scenario the same way.
# Last, `cardex serve` as a process under load: SIGTERM (bounded exit, nothing acknowledged
# lost) and SIGKILL three times (scripts/crash-test.sh --short).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh --python
scripts/generate.sh --check

echo "== swift build (tests included)"
swift build --build-tests
bin=$(swift build --show-bin-path)

echo "== swift test"
swift test --skip-build

echo "== fuzzing: replay Fuzz/Corpus, then 30 s per target (docs/FUZZING.md)"
scripts/fuzz.sh --short

echo "== cardex CLI against cardex serve"
Tests/cli/smoke.sh "$bin"

echo "== C client"
Tests/c/run.sh "$bin"

echo "== python client and SDK"
FRAMEDRPC_INTEROP_BIN="$bin/framedrpc-interop" CARDEX_BIN="$bin/cardex" \
    python3 -m pytest -q clients/python/tests

echo "== cardex serve: SIGTERM under load"
"$bin/cardex-bench" shutdown --cardex "$bin/cardex"

echo "== cardex serve: SIGKILL under write load"
CARDEX_BIN_DIR="$bin" scripts/crash-test.sh --short
