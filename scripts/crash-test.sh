#!/usr/bin/env bash
# Crash consistency: `cardex-bench crash` kills `cardex serve` with SIGKILL under write load
# (cards, shares with invitations, streamed address-book uploads, groups) at random moments,
# restarts it, and checks after every crash that each write the server answered OK is there and
# that the database passes PRAGMA integrity_check. Prints one JSON line per kill.
#
#   scripts/crash-test.sh                  the full check: 20 kills (about a minute)
#   scripts/crash-test.sh --short          the CI form: 3 kills
#   scripts/crash-test.sh --seed 42 …      further arguments go to `cardex-bench crash`
#
# CARDEX_BIN_DIR: where the built `cardex` and `cardex-bench` are (default: build them now).
set -euo pipefail
cd "$(dirname "$0")/.."

kills=20
if [ "${1:-}" = "--short" ]; then
    kills=3
    shift
fi
bin="${CARDEX_BIN_DIR:-}"
if [ -z "$bin" ]; then
    swift build --product cardex
    swift build --product cardex-bench
    bin="$(swift build --show-bin-path)"
fi
exec "$bin/cardex-bench" crash --kills "$kills" --cardex "$bin/cardex" "$@"
