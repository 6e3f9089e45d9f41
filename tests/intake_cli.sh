#!/bin/sh
# intake_cli.sh: checks `zizhi intake …` (the centre's 受理 options,
# docs/deploy.md) on a new database: each call's output and exit status,
# and that the settings are in the database for the workers to read.
#
# usage: sh tests/intake_cli.sh path/to/zizhi
# The last line printed is "intake cli: N passed, M failed"; the exit
# status is non-zero when M > 0.

zizhi=${1:?usage: sh tests/intake_cli.sh path/to/zizhi}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
db="$tmp/t.db"
passed=0
failed=0

# ok STATUS EXPECTED_STDOUT ARG...: `zizhi intake ARG... --db DB` exits
# with STATUS and prints exactly EXPECTED_STDOUT ("" for nothing).
ok() {
	want_rc=$1
	want_out=$2
	shift 2
	"$zizhi" intake "$@" --db "$db" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ -n "$want_out" ]; then
		printf '%s\n' "$want_out" >"$tmp/want"
	else
		: >"$tmp/want"
	fi
	if [ "$rc" -eq "$want_rc" ] && cmp -s "$tmp/out" "$tmp/want"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: intake $*"
		echo "  expected (exit $want_rc): $want_out"
		echo "  got      (exit $rc): $(cat "$tmp/out")"
		sed 's/^/  stderr: /' "$tmp/err"
	fi
}

"$zizhi" init --db "$db" >/dev/null || { echo "intake cli: init failed"; exit 1; }

ok 0 "paper required" paper
ok 0 "paper scan" paper scan
ok 0 "paper scan" paper
ok 0 "paper required" paper required
ok 2 "" paper sometimes
ok 2 "" paper scan required

ok 0 "" requirement list
ok 0 "1" requirement add --title "近三年无重大违法违规记录" --hint "信用中国的查询结果"
ok 0 "$(printf '1\tactive\t近三年无重大违法违规记录\t信用中国的查询结果')" requirement list
ok 2 "" requirement add --title ""
ok 2 "" requirement add
ok 0 "" requirement retire 1
ok 2 "" requirement retire 1
ok 2 "" requirement retire 9
ok 2 "" requirement retire x
ok 0 "" requirement list
ok 0 "$(printf '1\tretired\t近三年无重大违法违规记录\t信用中国的查询结果')" requirement list --all
ok 2 "" bogus

echo "intake cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
