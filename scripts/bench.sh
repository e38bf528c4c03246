#!/usr/bin/env bash
# Unary echo over TLS on one connection, 64 and 1 calls in flight: the bare swift-nio floor,
# FramedRPC, FramedRPC with metrics and tracing on (swift-prometheus, swift-otel without an
# exporter) and (when its anchor is there) grpc-swift-2. Prints one JSON line per client run,
# then a table of medians and the ratios FramedRPC must meet. See docs/BENCHMARKS.md.
#
# Usage: scripts/bench.sh [--runs N] [--seconds S] [--payload BYTES] [--with-grpc | --without-grpc] [--strict]
#   --runs 3, --seconds 8, --payload 64 by default (or BENCH_RUNS, BENCH_SECONDS, BENCH_PAYLOAD).
#   --with-grpc is the default when ../shared/anchors/grpc-echo exists next to the repository.
#   --strict exits 1 when a target is missed. BENCH_SCRATCH picks the build folder (default .build).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
anchor="$root/../shared/anchors/grpc-echo"
runs=${BENCH_RUNS:-3}; secs=${BENCH_SECONDS:-8}; size=${BENCH_PAYLOAD:-64}
strict=0
with_grpc=0; [[ -f "$anchor/run.sh" ]] && with_grpc=1
concurrencies=(64 1)

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; }
while (($#)); do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --seconds) secs=$2; shift 2 ;;
    --payload) size=$2; shift 2 ;;
    --with-grpc) with_grpc=1; shift ;;
    --without-grpc) with_grpc=0; shift ;;
    --strict) strict=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
if ((with_grpc)) && [[ ! -f "$anchor/run.sh" ]]; then
  echo "bench.sh: --with-grpc needs $anchor/run.sh: check out the shared anchors next to the repository, or pass --without-grpc" >&2
  exit 2
fi

scratch=(); [[ -n "${BENCH_SCRATCH:-}" ]] && scratch=(--scratch-path "$BENCH_SCRATCH")
cd "$root"
swift build -c release "${scratch[@]}" --product framedrpc-bench >&2
bin="$(swift build -c release "${scratch[@]}" --show-bin-path)/framedrpc-bench"

results=$(mktemp)
child=
cleanup() {
  # `framedrpc-bench run` stops its own servers on SIGTERM; the anchor's run.sh traps EXIT.
  if [[ -n "$child" ]]; then kill "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; fi
  rm -f "$results"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Each measurement runs in the background and is waited for, so a signal reaches the trap at once;
# the bare `wait` then lets the `tee` finish writing before the next step reads $results.
measure() { "$@" > >(tee -a "$results") & child=$!; wait "$child"; child=; wait; }

echo "# load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; runs=$runs seconds=$secs payload=$size" >&2
for conc in "${concurrencies[@]}"; do
  measure "$bin" run --concurrency "$conc" --runs "$runs" --seconds "$secs" --payload "$size"
  if ((with_grpc)); then
    measure bash "$anchor/run.sh" "$conc" "$secs" "$size" "$runs"
  fi
done
echo "# load: $(cut -d' ' -f1-3 /proc/loadavg) after the runs" >&2

python3 - "$results" "$strict" <<'PY'
import json, statistics, sys

path, strict = sys.argv[1], sys.argv[2] == "1"
runs = {}
for line in open(path):
    line = line.strip()
    if line.startswith("{"):
        r = json.loads(line)
        runs.setdefault((r["impl"], r["concurrency"]), []).append(r)

def median(impl, conc, key):
    rs = runs.get((impl, conc))
    return statistics.median(r[key] for r in rs) if rs else None

print()
print(f"{'impl':<18} {'in flight':>9} {'runs':>4} {'qps':>9} {'p50_us':>8} {'p99_us':>8}")
for (impl, conc) in sorted(runs, key=lambda k: (-k[1], k[0])):
    print(f"{impl:<18} {conc:>9} {len(runs[(impl, conc)]):>4} "
          f"{median(impl, conc, 'qps'):>9.0f} {median(impl, conc, 'p50_us'):>8.0f} {median(impl, conc, 'p99_us'):>8.0f}")

# (what, numerator, denominator, comparison, target)
targets = [
    ("64 in flight: framedrpc qps / grpc-swift-2 qps", ("framedrpc", 64, "qps"), ("grpc-swift-2", 64, "qps"), ">=", 5.0),
    ("64 in flight: framedrpc p99 / grpc-swift-2 p99", ("framedrpc", 64, "p99_us"), ("grpc-swift-2", 64, "p99_us"), "<=", 0.25),
    ("64 in flight: framedrpc qps / floor qps", ("framedrpc", 64, "qps"), ("nio-tls-floor", 64, "qps"), ">=", 0.5),
    ("1 in flight:  framedrpc p50 / floor p50", ("framedrpc", 1, "p50_us"), ("nio-tls-floor", 1, "p50_us"), "<=", 2.0),
    ("64 in flight: observed qps / framedrpc qps", ("framedrpc-observed", 64, "qps"), ("framedrpc", 64, "qps"), ">=", 0.95),
]
print()
missed = False
for what, num, den, op, target in targets:
    a, b = median(*num), median(*den)
    if a is None or b is None or b == 0:
        print(f"{what:<50} {'n/a':>7}   (target {op} {target}: not measured)")
        continue
    ratio = a / b
    ok = ratio >= target if op == ">=" else ratio <= target
    missed |= not ok
    print(f"{what:<50} {ratio:>7.2f}   (target {op} {target}: {'met' if ok else 'MISSED'})")
sys.exit(1 if strict and missed else 0)
PY
