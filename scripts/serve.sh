#!/usr/bin/env bash
# Runs `cardex serve` on its embedded defaults: TLS on 127.0.0.1:50051, data in ./cardex-data
# (SQLite, a development certificate made on first run, notifications.log with the codes).
# Extra arguments go to `cardex serve` (see `swift run cardex serve --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
swift build -c release --product cardex
exec "$(swift build -c release --show-bin-path)/cardex" serve "$@"
