#!/usr/bin/env bash
# Installs what building needs and a fresh Debian 12 machine may lack: protoc (Debian
# protobuf-compiler) and SQLite's headers (libsqlite3-dev, which GRDB links). With --python, also the Python client's pinned packages (for the tests).
# Idempotent: installs nothing that is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
if ! command -v protoc >/dev/null 2>&1 && [ -z "${PROTOC_PATH:-}" ]; then
  missing+=(protobuf-compiler)
fi
if ! dpkg-query -W -f='${Status}' libsqlite3-dev 2>/dev/null | grep -q "install ok installed"; then
  missing+=(libsqlite3-dev)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--python" ]; then
  if ! python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore \
      -r clients/python/requirements-test.txt; then
    echo "bootstrap: pip could not install clients/python/requirements-test.txt" >&2
    exit 1
  fi
fi
