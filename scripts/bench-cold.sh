#!/usr/bin/env bash
# A `cardex-bench` command whose server cannot lean on the host's page cache: the data files are
# evicted from the page cache first, then the command runs in a memory cgroup (cgroup v1
# `memory.limit_in_bytes`, so it needs root) whose limit holds the process, SQLite's caches and
# every page of the database it reads. With --echo it first measures FramedRPC's unary echo (64 in
# flight, `framedrpc-bench run`) in the same invocation, and prints the lookups per second as a
# share of it. See docs/BENCHMARKS.md, "Lookups larger than memory".
#
# Usage: scripts/bench-cold.sh [--memory SIZE] [--echo] [--warm] [--postgres STATE] -- CARDEX-BENCH-ARGUMENTS…
#   --memory 2G by default (a number of bytes, or with K, M or G).
#   --warm leaves the page cache as it is (the pages the cgroup reads are still charged to it).
#   --postgres STATE  the command's --database is the cluster of this scripts/postgres.sh state
#             file: the cluster is stopped, its files evicted, and started again inside the group,
#             so its shared buffers and the pages it reads count against the same limit.
#   The files evicted are those under the command's --data-dir (and the cluster's data directory).
#   BENCH_SCRATCH picks the build folder (default .build); CARDEX_BENCH_BIN a built cardex-bench.
#
# Example: scripts/bench-cold.sh --echo -- lookup --users 1000000 --seeded --data-dir /work/bench-data/seed-1m --connections 2
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
memory=2G; echo_too=0; warm=0; postgres_state=
usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; }
while (($#)); do
  case "$1" in
    --memory) memory=$2; shift 2 ;;
    --echo) echo_too=1; shift ;;
    --warm) warm=1; shift ;;
    --postgres) postgres_state=$2; shift 2 ;;
    --) shift; break ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench-cold.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
(($#)) || { usage >&2; exit 2; }
bytes=$(numfmt --from=iec "$memory")
cgroups=/sys/fs/cgroup/memory
[[ -w $cgroups ]] || { echo "bench-cold.sh: needs root and the cgroup v1 memory controller at $cgroups" >&2; exit 2; }

scratch=(); [[ -n "${BENCH_SCRATCH:-}" ]] && scratch=(--scratch-path "$BENCH_SCRATCH")
cd "$root"
bench=${CARDEX_BENCH_BIN:-}
if [[ -z $bench ]]; then
  swift build -c release "${scratch[@]}" --product cardex-bench >&2
  bench="$(swift build -c release "${scratch[@]}" --show-bin-path)/cardex-bench"
fi

results=$(mktemp)
group="$cgroups/cardex-bench-$$"
cleanup() {
  if [[ -d $group ]]; then
    while read -r pid; do echo "$pid" > "$cgroups/cgroup.procs" 2>/dev/null || true; done < "$group/cgroup.procs"
    rmdir "$group" 2>/dev/null || true
  fi
  rm -f "$results"
}
trap cleanup EXIT

if ((echo_too)); then
  swift build -c release "${scratch[@]}" --product framedrpc-bench >&2
  "$(swift build -c release "${scratch[@]}" --show-bin-path)/framedrpc-bench" run --concurrency 64 --runs 3 --seconds 5 --payload 64 \
    | tee -a "$results"
fi

data_dir=
for ((i = 1; i <= $#; i++)); do
  [[ ${!i} == --data-dir ]] && { j=$((i + 1)); data_dir=${!j}; }
done
evicted=()
[[ -n $data_dir && -d $data_dir ]] && evicted+=("$data_dir")
if [[ -n $postgres_state ]]; then
  pg_data=$(sed -n 's/^data=//p' "$postgres_state")
  pg_ctl=$(sed -n 's/^bin=//p' "$postgres_state")/pg_ctl
  [[ -d $pg_data && -x $pg_ctl ]] || { echo "bench-cold.sh: no cluster data directory or bin= in $postgres_state" >&2; exit 2; }
  runuser -u postgres -- "$pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null
  evicted+=("$pg_data")
fi
if ((!warm)) && ((${#evicted[@]})); then
  sync
  python3 - "${evicted[@]}" <<'PY'
import os, sys
for top in sys.argv[1:]:
    for folder, _, names in os.walk(top):
        for name in names:
            fd = os.open(os.path.join(folder, name), os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
PY
  echo "# evicted ${evicted[*]} from the page cache" >&2
fi

mkdir "$group"
echo "$bytes" > "$group/memory.limit_in_bytes"
echo "# cgroup $group: memory.limit_in_bytes=$bytes; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if [[ -n $postgres_state ]]; then
  # Started from inside the group, with the options it last ran with (postmaster.opts).
  bash -c 'echo $$ > "$1/cgroup.procs"; shift; exec "$@"' cgroup "$group" \
    runuser -u postgres -- "$pg_ctl" -D "$pg_data" -l "$(sed -n 's/^log=//p' "$postgres_state")" -w restart >/dev/null 2>&1
  echo "# PostgreSQL started again inside the group" >&2
fi
bash -c 'echo $$ > "$1/cgroup.procs"; shift; exec "$@"' cgroup "$group" "$bench" "$@" | tee -a "$results"
echo "# cgroup peak $(numfmt --to=iec < "$group/memory.max_usage_in_bytes"), limit hit $(cat "$group/memory.failcnt") times" >&2

python3 - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
echo = [r["qps"] for r in rows if r.get("impl") == "framedrpc" and r.get("concurrency") == 64]
lookups = [r for r in rows if r.get("bench") == "lookup" and "median_per_s" in r]
if echo:
    print(f'{{"bench":"echo","median_qps":{int(statistics.median(echo))}}}')
if echo and lookups:
    share = lookups[-1]["median_per_s"] / statistics.median(echo)
    print(f'{{"bench":"lookup_share_of_echo","users":{lookups[-1]["users"]},"share":{share:.3f}}}')
PY
