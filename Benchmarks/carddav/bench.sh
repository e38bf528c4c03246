#!/usr/bin/env bash
# vdirsyncer syncing one address book of 1,000 and 10,000 cards from Radicale and from Cardex's
# CardDAV endpoint (bench.py): initial and incremental syncs, medians of 3, and the raw
# sync-collection REPORT. Installs the pinned vdirsyncer and Radicale (requirements.txt) if missing.
#
#   Benchmarks/carddav/bench.sh BIN_DIR [bench.py options: --sizes 1000,10000 --repeats 3 --json FILE]
#       BIN_DIR holds the built `cardex`; .build/release/cardex is used instead when it exists.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[ -n "${1:-}" ] || { echo "usage: bench.sh BIN_DIR [--sizes 1000,10000] [--repeats 3] [--json FILE]" >&2; exit 2; }
command -v curl >/dev/null || { echo "bench: needs curl" >&2; exit 1; }
if ! python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore -r "$here/requirements.txt"; then
    echo "bench: pip could not install $here/requirements.txt" >&2
    exit 1
fi
exec python3 "$here/bench.py" "$@"
