#!/usr/bin/env bash
# Installs what building and testing need and a fresh Debian 12 machine may lack:
# protoc (Debian protobuf-compiler) and the Python client's pinned packages.
# Idempotent: does nothing when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v protoc >/dev/null 2>&1 && [ -z "${PROTOC_PATH:-}" ]; then
  echo "bootstrap: installing protobuf-compiler" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq protobuf-compiler >/dev/null
fi

if ! python3 -m pip install -q --disable-pip-version-check -r clients/python/requirements-test.txt; then
  echo "bootstrap: pip could not install clients/python/requirements.txt" >&2
  exit 1
fi
