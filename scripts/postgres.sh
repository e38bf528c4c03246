#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks, in a fresh temporary directory.
#
#   scripts/postgres.sh start [--owner-pid PID] [--state FILE] [--no-fsync]
#       Creates and starts a cluster, prints its URL on standard output, and nothing else:
#           postgres://cardex:PASSWORD@127.0.0.1:PORT/cardex
#       It listens on 127.0.0.1 (a free port) and on a unix socket inside its directory; the role
#       `cardex` (password-authenticated, scram-sha-256, may CREATE DATABASE) owns the database
#       `cardex`. TLS is on with a throwaway self-signed certificate (CN localhost, names localhost
#       and 127.0.0.1): `?sslmode=require` encrypts, `?sslmode=verify-full&sslrootcert=CA` verifies,
#       where CA is the `ca=` line of the state file (also printed on standard error).
#       fsync and synchronous_commit keep PostgreSQL's safe defaults (what benchmarks measure).
#       --no-fsync    fsync, synchronous_commit and full_page_writes off: for the test run, whose
#                     data may die with the machine, and whose many forced checkpoints (every
#                     DROP DATABASE makes one) otherwise queue behind fsyncs that take tens of
#                     seconds on a loaded disk, stalling every connection's commits and logins.
#       --state FILE  where to write the state (default: DIR/state); lines `key=value`:
#                     url, dir, data, port, ca, log, bin (the server binaries' folder), watchdog.
#       --owner-pid PID  a watchdog stops and deletes the cluster once PID exits, so that a test
#                     process killed midway leaves no server behind (checked every second).
#   scripts/postgres.sh createdb STATE NAME
#       Creates the database NAME (letters, digits, _), owned by `cardex`, in the cluster of that
#       state file, and prints its URL: a database of its own for a test or a benchmark.
#   scripts/postgres.sh stop STATE
#       Stops the cluster of that state file (fast shutdown), deletes its directory and the state
#       file. Stopping one already gone succeeds.
#
# initdb refuses to run as root: as root, the cluster runs as the `postgres` user (runuser).
# Needs the server binaries of Debian's postgresql (scripts/bootstrap.sh installs them), looked up
# in $PG_BIN, then `pg_config --bindir`, then /usr/lib/postgresql/15/bin.
set -euo pipefail

# The server and the watchdog outlive this script: they must not hold the caller's descriptors
# beyond standard input, output and error (a caller reading a pipe to its end would wait forever).
for fd in /proc/$$/fd/*; do
  fd=${fd##*/}
  if [ "$fd" -gt 2 ] 2>/dev/null; then
    eval "exec $fd>&-" 2>/dev/null || true
  fi
done

usage() {
  echo "usage: scripts/postgres.sh start [--owner-pid PID] [--state FILE] [--no-fsync] | createdb STATE NAME | stop STATE" >&2
  exit 2
}

fail() {
  echo "postgres.sh: $*" >&2
  exit 1
}

find_bin() {
  local candidate
  for candidate in "${PG_BIN:-}" "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/15/bin; do
    if [ -n "$candidate" ] && [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ] && [ -x "$candidate/psql" ]; then
      echo "$candidate"
      return
    fi
  done
  fail "initdb, pg_ctl and psql not found (PG_BIN, pg_config --bindir, /usr/lib/postgresql/15/bin): run scripts/bootstrap.sh, which installs Debian's postgresql"
}

# Runs a command as the cluster's owner: `postgres` when we are root (initdb refuses root).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# The start time of a process (field 22 of /proc/PID/stat), so that a reused pid is not taken for
# the owner.
start_time() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }  # the command name may hold spaces; the fields after it do not
  set -- $stat
  echo "${20}"
}

state_value() {
  sed -n "s/^$2=//p" "$1" | head -n 1
}

start() {
  local owner_pid="" state="" durability=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --owner-pid) [ $# -ge 2 ] || usage; owner_pid=$2; shift 2 ;;
      --state) [ $# -ge 2 ] || usage; state=$2; shift 2 ;;
      --no-fsync) durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"; shift ;;
      *) usage ;;
    esac
  done
  local owner_started=""
  if [ -n "$owner_pid" ]; then
    owner_started=$(start_time "$owner_pid") || fail "--owner-pid $owner_pid: no such process"
  fi

  local bin
  bin=$(find_bin)
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/cardex-postgres.XXXXXX")
  # Until the cluster is handed over, a failure removes what was made.
  trap 'as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
  chmod 0711 "$dir"  # the owner must reach data/ and socket/ inside
  mkdir -m 0700 "$dir/data" "$dir/socket"
  mkdir -m 0755 "$dir/log"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir/data" "$dir/socket" "$dir/log"
  fi
  state=${state:-$dir/state}

  local password
  password=$(openssl rand -hex 24)

  # The superuser `postgres` logs in only over the unix socket, in a directory no one else may
  # enter; over TCP every login needs a password.
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; fail "initdb failed"; }

  # A throwaway server certificate, valid two days; the key is readable by the server only.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
      -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
      -keyout "$dir/data/server.key" -out "$dir/ca.pem" >/dev/null 2>&1 \
    || fail "openssl could not make the server certificate"
  cp "$dir/ca.pem" "$dir/data/server.crt"
  chmod 0600 "$dir/data/server.key"
  chmod 0644 "$dir/ca.pem"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir/data/server.key" "$dir/data/server.crt"
  fi

  # Room for the test run's servers at once (each a pool of up to 4 connections and one that
  # listens for the other instances' signals; the run peaks near 400) and the benchmarks' pools;
  # PostgreSQL's default, 100, is too few for the parallel test run.
  local max_connections=1000

  # A free port: a random one nobody listens on; a race with another process is caught by the
  # server failing to bind, and another port is tried.
  local port="" attempt
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      continue
    fi
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log/postgres.log" -w -t 60 start -o \
        "-c port=$port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$dir/socket' -c ssl=on -c ssl_min_protocol_version=TLSv1.2 -c max_connections=$max_connections $durability" \
        >/dev/null 2>&1; then
      break
    fi
    port=""
  done
  [ -n "$port" ] || { tail -n 20 "$dir/log/postgres.log" >&2 || true; fail "the server did not start (log above)"; }

  as_owner "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/socket" -p "$port" -U postgres -d postgres \
      -c "CREATE ROLE cardex LOGIN CREATEDB PASSWORD '$password'" \
      -c "CREATE DATABASE cardex OWNER cardex" >/dev/null 2>"$dir/psql.log" \
    || { cat "$dir/psql.log" >&2; fail "could not create the cardex role and database"; }

  local url="postgres://cardex:$password@127.0.0.1:$port/cardex"
  {
    echo "url=$url"
    echo "dir=$dir"
    echo "data=$dir/data"
    echo "port=$port"
    echo "ca=$dir/ca.pem"
    echo "log=$dir/log/postgres.log"
    echo "bin=$bin"
  } >"$state"
  chmod 0600 "$state"

  if [ -n "$owner_pid" ]; then
    # Detached (its own session, no inherited output) so that neither the caller's pipe nor a
    # signal to the caller's process group holds or kills it.
    setsid "$(readlink -f "$0")" watch "$owner_pid" "$owner_started" "$state" </dev/null >/dev/null 2>&1 &
    echo "watchdog=$!" >>"$state"
  fi
  trap - EXIT
  echo "postgres.sh: started on 127.0.0.1:$port; state $state; TLS certificate (its own CA) $dir/ca.pem" >&2
  echo "$url"
}

# The watchdog: waits for the owner to exit, then stops the cluster.
watch() {
  local owner_pid=$1 owner_started=$2 state=$3
  while [ -f "$state" ] && [ "$(start_time "$owner_pid" || true)" = "$owner_started" ]; do
    sleep 1
  done
  [ -f "$state" ] && stop "$state" --from-watchdog
}

createdb() {
  [ $# -eq 2 ] || usage
  local state=$1 name=$2
  [ -f "$state" ] || fail "no state file $state"
  [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || fail "database name $name: use lower-case letters, digits and _"
  local dir port url bin
  dir=$(state_value "$state" dir)
  port=$(state_value "$state" port)
  url=$(state_value "$state" url)
  bin=$(find_bin)
  as_owner "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/socket" -p "$port" -U postgres -d postgres \
      -c "CREATE DATABASE $name OWNER cardex" >/dev/null || fail "could not create database $name"
  echo "${url%/cardex}/$name"
}

stop() {
  [ $# -ge 1 ] || usage
  local state=$1
  if [ ! -f "$state" ]; then
    echo "postgres.sh: no state file $state: nothing to stop" >&2
    return 0
  fi
  local dir data watchdog
  dir=$(state_value "$state" dir)
  data=$(state_value "$state" data)
  watchdog=$(state_value "$state" watchdog)
  if [ -n "$watchdog" ] && [ "${2:-}" != "--from-watchdog" ]; then
    kill "$watchdog" 2>/dev/null || true
  fi
  if [ -d "$data" ]; then
    local bin
    bin=$(find_bin)
    as_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 \
      || as_owner "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 \
      || true
  fi
  case "$dir" in
    */cardex-postgres.*) rm -rf "$dir" ;;
    *) echo "postgres.sh: state names no cluster directory ($dir): left alone" >&2 ;;
  esac
  rm -f "$state"
}

[ $# -ge 1 ] || usage
command=$1
shift
case "$command" in
  start) start "$@" ;;
  createdb) createdb "$@" ;;
  stop) stop "$@" ;;
  watch) watch "$@" ;;  # internal: the --owner-pid watchdog
  *) usage ;;
esac
