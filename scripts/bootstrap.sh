#!/usr/bin/env bash
# Installs what building needs and a fresh Debian 12 machine may lack: protoc (Debian
# protobuf-compiler), SQLite's headers (libsqlite3-dev, which GRDB links) and the C client's
# protoc-c, protobuf-c and OpenSSL headers (protobuf-c-compiler, libprotobuf-c-dev, libssl-dev)
# with cmake and pkg-config (its CMake build, installed and used through framedrpc.pc by Tests/c/install.sh),
# and libphonenumber with the protobuf headers its own include (libphonenumber-dev, libprotobuf-dev),
# and PostgreSQL's server (Debian's postgresql, for scripts/postgres.sh's throwaway clusters) with openssl
# (their certificates), HAProxy (Debian's haproxy, for Tests/cli/balanced.sh) and curl (the metrics scrape of
# Tests/cli/observability.sh). With --python, also the Python client's pinned packages (for the tests) and the Python SDK (clients/python).
# Idempotent: installs nothing that is already there (the SDK is reinstalled from the work tree).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
if ! command -v protoc >/dev/null 2>&1 && [ -z "${PROTOC_PATH:-}" ]; then
  missing+=(protobuf-compiler)
fi
if ! dpkg-query -W -f='${Status}' libsqlite3-dev 2>/dev/null | grep -q "install ok installed"; then
  missing+=(libsqlite3-dev)
fi
# The C client (clients/c): protoc-c for Generated/c/, protobuf-c's and OpenSSL's headers.
if ! command -v protoc-c >/dev/null 2>&1 && [ -z "${PROTOC_C_PATH:-}" ]; then
  missing+=(protobuf-c-compiler)
fi
# Its CMake build (clients/c/CMakeLists.txt), and pkg-config, which finds its dependencies and
# builds programs on the installed library (framedrpc.pc).
for tool in cmake pkg-config; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    missing+=("$tool")
  fi
done
# Phone numbers (CardexCore, through Sources/CPhoneNumbers): libphonenumber's C++ library and headers,
# whose headers include protobuf's.
for package in libprotobuf-c-dev libssl-dev libphonenumber-dev libprotobuf-dev; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
# PostgreSQL (CardexPostgres's tests and benchmarks): the server binaries; scripts/postgres.sh starts
# its own clusters. Debian's packaging would create and start a system cluster ("main", port 5432)
# on first install; a drop-in (read by its postinst through createcluster.conf's include_dir) tells
# it not to, so nothing comes to depend on a server the project did not start.
postgres_missing=false
if [ ! -x /usr/lib/postgresql/15/bin/initdb ] && [ -z "${PG_BIN:-}" ]; then
  missing+=(postgresql)
  postgres_missing=true
fi
if ! command -v openssl >/dev/null 2>&1; then
  missing+=(openssl)
fi
if ! command -v curl >/dev/null 2>&1; then
  missing+=(curl)
fi
# HAProxy (Tests/cli/balanced.sh runs one, in the foreground, in front of two instances). Debian's
# packaging enables a system haproxy and starts it on install (its default configuration listens on
# no port, only an admin socket in /run/haproxy); it is stopped and disabled below, so nothing runs
# that the project did not start. It lives in /usr/sbin, which a user's PATH on Debian lacks.
haproxy_missing=false
if ! command -v haproxy >/dev/null 2>&1 && [ ! -x /usr/sbin/haproxy ]; then
  missing+=(haproxy)
  haproxy_missing=true
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  if $postgres_missing; then
    $sudo_cmd mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" | $sudo_cmd tee /etc/postgresql-common/createcluster.d/cardex.conf >/dev/null
  fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
  if $haproxy_missing; then
    # `service` stops it under systemd or the init script; update-rc.d disables both at boot.
    $sudo_cmd service haproxy stop >/dev/null
    $sudo_cmd update-rc.d haproxy disable >/dev/null
  fi
fi

if [ "${1:-}" = "--python" ]; then
  if ! python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore \
      -r clients/python/requirements-test.txt; then
    echo "bootstrap: pip could not install clients/python/requirements-test.txt" >&2
    exit 1
  fi
  # The SDK itself (pip install ./clients/python), rebuilt every time so that the installed copy
  # is the work tree's. setuptools builds in the tree: build/ goes first, as it would package
  # files left over there, and the egg-info after, as it would shadow the installed metadata.
  rm -rf clients/python/build
  if ! python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore \
      ./clients/python; then
    echo "bootstrap: pip could not install the Python SDK from clients/python (pyproject.toml)" >&2
    exit 1
  fi
  rm -rf clients/python/build clients/python/cardex_sdk.egg-info
fi
