#!/usr/bin/env bash
# Runs every fuzz target of the module (each `func FuzzX(f *testing.F)` in a
# _test.go file) for the given time each, one after the other: go test
# fuzzes one target of one package per run. The seed corpora already run as
# ordinary tests in `go test ./...`; this adds the random inputs.
#
#   scripts/fuzz.sh 5s     # make test
#   scripts/fuzz.sh 60s    # make chaos
#
# A failure stops the script with a non-zero exit; go test writes the input
# that failed under the package's testdata/fuzz/<Target>/ (commit it as a
# regression seed once fixed).
set -euo pipefail
cd "$(dirname "$0")/.."
dur="${1:-10s}"

targets=$(grep -rlE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*\(f \*testing\.F\)' provider cmd tests 2>/dev/null |
  while read -r file; do
    for name in $(grep -oE '^func Fuzz[A-Za-z0-9_]*' "$file" | sed 's/^func //'); do
      echo "./$(dirname "$file") $name"
    done
  done | sort)

if [ -z "$targets" ]; then
  echo "fuzz: no fuzz targets found" >&2
  exit 1
fi

count=0
while read -r pkg name; do
  echo "fuzz: $name in $pkg for $dur"
  go test -count=1 -run '^$' -fuzz "^${name}\$" -fuzztime "$dur" "$pkg"
  count=$((count + 1))
done <<<"$targets"
echo "fuzz: $count targets, $dur each, no failures"
