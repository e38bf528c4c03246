#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ (docs/FUZZING.md) and runs them.
#
#   scripts/fuzz.sh            the same as --short
#   scripts/fuzz.sh --short    replay the committed corpus, then fuzz each target for
#                              FUZZ_SECONDS (default 30) seconds: the CI step
#   scripts/fuzz.sh --long     replay, then FUZZ_RUNS (default 10,000,000) executions per
#                              target, printing exec/s, executions and peak RSS at the end
#   scripts/fuzz.sh --replay   only replay the corpus (seeds and the crashes kept as regressions)
#
# The build goes to Fuzz/.build (debug, -sanitize=fuzzer,address) and never touches the main
# build. New corpus entries go to a temporary directory, not to Fuzz/Corpus; a crash leaves its
# input in FUZZ_ARTIFACTS (default Fuzz/.build/artifacts), to be fixed and then committed to
# Fuzz/Corpus/<target>/.
set -euo pipefail
cd "$(dirname "$0")/../Fuzz"

mode="${1:---short}"
case "$mode" in
--short | --long | --replay) ;;
*)
    sed -n '2,14s/^# \{0,1\}//p' "$0" >&2
    exit 2
    ;;
esac

readonly TARGETS=(frames connection vcard)
# The longest input each target gets, in bytes: a few frames, a few calls' worth, a few cards.
declare -A MAX_LEN=([frames]=4096 [connection]=16384 [vcard]=8192)
readonly RSS_LIMIT_MB="${FUZZ_RSS_LIMIT_MB:-2048}"
readonly ARTIFACTS="${FUZZ_ARTIFACTS:-$PWD/.build/artifacts}"

echo "fuzz: building Fuzz/ (debug; FramedRPC, CardexVCard and the harness instrumented for libFuzzer and AddressSanitizer)"
build=(swift build -c debug)
"${build[@]}"
bin="$("${build[@]}" --show-bin-path)"

# EmbeddedEventLoop crashes, instead of warning, if anything touches it from another thread.
export SWIFTNIO_STRICT=1
mkdir -p "$ARTIFACTS"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# fail TARGET LOG: shows why the fuzzer stopped and where the input that broke it is.
fail() {
    echo "fuzz: $1 failed; the end of its log:" >&2
    tail -n 40 "$2" >&2
    echo "fuzz: inputs that broke it (replay with $bin/fuzz-$1 FILE):" >&2
    ls "$ARTIFACTS/$1-"* >&2 || true
    exit 1
}

for target in "${TARGETS[@]}"; do
    fuzzer="$bin/fuzz-$target"
    log="$scratch/$target.log"
    common=(-rss_limit_mb="$RSS_LIMIT_MB" -max_len="${MAX_LEN[$target]}" -timeout=10
        -artifact_prefix="$ARTIFACTS/$target-" -print_final_stats=1)

    echo "fuzz: $target: replaying Fuzz/Corpus/$target"
    "$fuzzer" "${common[@]}" -runs=0 "Corpus/$target" >"$log" 2>&1 || fail "$target" "$log"
    grep -E '^Done|^INFO: Loaded' "$log" || true

    [ "$mode" = "--replay" ] && continue
    if [ "$mode" = "--short" ]; then
        budget=(-max_total_time="${FUZZ_SECONDS:-30}")
    else
        budget=(-runs="${FUZZ_RUNS:-10000000}")
    fi
    echo "fuzz: $target: ${budget[*]}"
    mkdir -p "$scratch/$target"
    "$fuzzer" "${common[@]}" "${budget[@]}" "$scratch/$target" "Corpus/$target" >"$log" 2>&1 ||
        fail "$target" "$log"
    grep -E '^(Done|stat::)' "$log" || true
done
