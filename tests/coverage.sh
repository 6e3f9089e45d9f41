#!/bin/sh
# The coverage report of `make coverage`: gcovr over the .gcda files the
# tests left in BUILD_DIR, for src/ only; fails when the lines covered in
# all are under MIN percent, or in one file under FILE_MIN percent.
#
#   sh tests/coverage.sh BUILD_DIR MIN FILE_MIN
set -eu
build=$1
min=$2
file_min=$3
out="$build/coverage.txt"
gcovr -r . --object-directory "$build/obj" --filter 'src/' \
    --exclude-unreachable-branches --txt "$out" --print-summary \
    > "$build/coverage-summary.txt"
gcovr -r . --object-directory "$build/obj" --filter 'src/' --branches \
    --txt "$build/coverage-branches.txt" > /dev/null
cat "$out"
echo "branches:"
tail -n 3 "$build/coverage-branches.txt"
cat "$build/coverage-summary.txt"
status=0
lines=$(awk '/^lines:/ { sub("%", "", $2); print $2 }' "$build/coverage-summary.txt")
if awk -v l="$lines" -v m="$min" 'BEGIN { exit !(l + 0 < m + 0) }'; then
	echo "coverage: $lines% of the lines of src/, under $min%" >&2
	status=1
fi
low=$(awk -v m="$file_min" '$1 ~ /^src\// && $4 ~ /%$/ {
	p = $4; sub("%", "", p); if (p + 0 < m + 0) print $1, $4 }' "$out")
if [ -n "$low" ]; then
	echo "coverage: files under $file_min% of their lines:" >&2
	echo "$low" >&2
	status=1
fi
[ $status -ne 0 ] || echo "coverage: $lines% of src/ lines; no file under $file_min%"
exit $status
