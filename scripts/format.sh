#!/usr/bin/env bash
# The tree's Swift formatting, by the toolchain's swift-format and .swift-format (4-space indents,
# lines up to 160 columns, swift-format's default rules but lowerCamelCase, access levels on
# extensions and one trailing closure per call):
#
#   scripts/format.sh          formats every tracked Swift file in place
#   scripts/format.sh --check  changes nothing; prints each difference and fails if there is one
#
# Generated code (Generated/ and Sources/*/Generated/: protoc's output, which scripts/generate.sh
# --check compares with a fresh generation) is left as generated.
set -euo pipefail
cd "$(dirname "$0")/.."

files() { git ls-files -z '*.swift' | grep -zv -e '^Generated/' -e '^Sources/[^/]*/Generated/'; }

case "${1:-}" in
  "") files | xargs -0 swift format format --in-place --parallel ;;
  --check) files | xargs -0 swift format lint --strict --parallel ;;
  *) echo "usage: scripts/format.sh [--check]" >&2; exit 2 ;;
esac
