#!/bin/sh
# rules_cli.sh: checks `zizhi rules …` against expected output and exit
# status. The values are the worked examples of docs/rules.md and
# tests/test_rules.c.
#
# usage: sh tests/rules_cli.sh path/to/zizhi
# The last line printed is "rules cli: N passed, M failed"; the exit
# status is non-zero when M > 0.

zizhi=${1:?usage: sh tests/rules_cli.sh path/to/zizhi}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
passed=0
failed=0

# ok STATUS EXPECTED_STDOUT ARG...: runs `zizhi rules ARG...`, expects
# that exit status and exactly that line on stdout.
ok() {
	want_rc=$1
	want_out=$2
	shift 2
	"$zizhi" rules "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	printf '%s\n' "$want_out" >"$tmp/want"
	if [ "$rc" -eq "$want_rc" ] && cmp -s "$tmp/out" "$tmp/want"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: rules $*"
		echo "  expected (exit $want_rc): $want_out"
		echo "  got      (exit $rc): $(cat "$tmp/out")"
		sed 's/^/  stderr: /' "$tmp/err"
	fi
}

# bad ARG...: expects exit status 2, nothing on stdout, a message on
# stderr.
bad() {
	"$zizhi" rules "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 2 ] && [ ! -s "$tmp/out" ] && [ -s "$tmp/err" ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: rules $* (expected exit 2 and a message on stderr)"
		echo "  got (exit $rc): $(cat "$tmp/out")"
		sed 's/^/  stderr: /' "$tmp/err"
	fi
}

# Fees.
ok 0 '{"audit":7200000,"annual":1500000,"total":8700000,"treated_as":"initial"}' \
    fee initial
ok 0 '{"audit":4800000,"annual":1500000,"total":6300000,"treated_as":"maintenance"}' \
    fee maintenance 2026-08-31 2026-02-28
ok 0 '{"audit":4800000,"annual":1500000,"total":6300000,"treated_as":"maintenance"}' \
    fee maintenance 2026-08-31 2027-02-28
ok 0 '{"audit":7200000,"annual":1500000,"total":8700000,"treated_as":"initial"}' \
    fee maintenance 2026-08-31 2027-03-01

# Maintenance window: each class on and either side of its boundary.
ok 0 '{"class":"on_time","on_time_until":"2026-02-28","fee_total":6300000}' \
    window 2026-08-31 2026-02-27
ok 0 '{"class":"on_time","on_time_until":"2026-02-28","fee_total":6300000}' \
    window 2026-08-31 2026-02-28
ok 0 '{"class":"late","on_time_until":"2026-02-28","fee_total":6300000}' \
    window 2026-08-31 2026-03-01
ok 0 '{"class":"late","on_time_until":"2026-02-28","fee_total":6300000}' \
    window 2026-08-31 2027-02-28
ok 0 '{"class":"initial","on_time_until":"2026-02-28","fee_total":8700000}' \
    window 2026-08-31 2027-03-01
ok 0 '{"class":"on_time","on_time_until":"2028-02-29","fee_total":6300000}' \
    window 2028-08-31 2028-02-29
ok 0 '{"class":"initial","on_time_until":"2027-02-28","fee_total":8700000}' \
    window 2027-08-31 2028-03-01

# Supplement deadline, validity, retention.
ok 0 '{"due":"2026-02-28"}' deadline 2026-01-31
ok 0 '{"due":"2028-02-29"}' deadline 2028-01-31
ok 0 '{"due":"2027-01-31"}' deadline 2026-12-31
ok 0 '{"expires":"2029-03-14"}' validity 2026-03-15
ok 0 '{"expires":"2028-02-29"}' validity 2025-03-01
ok 0 '{"expires":"2027-02-27"}' validity 2024-02-29
ok 0 '{"dispose_from":"2032-03-15"}' retention 2026-03-15
ok 0 '{"dispose_from":"2030-02-28"}' retention 2024-02-29

# CISP minimum.
ok 0 '{"min_cisp":6}' cisp 0
ok 0 '{"min_cisp":6}' cisp 50
ok 0 '{"min_cisp":6}' cisp 60
ok 0 '{"min_cisp":7}' cisp 61
ok 0 '{"min_cisp":8}' cisp 75

# The case clock (submitted 2026-01-10: target 2026-04-10, limit
# 2026-07-10, at risk once net days > 60).
ok 0 '{"net_days":60,"paused_days":0,"target":"2026-04-10","limit":"2026-07-10","state":"on_track"}' \
    clock 2026-01-10 2026-03-11
ok 0 '{"net_days":61,"paused_days":0,"target":"2026-04-10","limit":"2026-07-10","state":"at_risk"}' \
    clock 2026-01-10 2026-03-12
ok 0 '{"net_days":91,"paused_days":0,"target":"2026-04-10","limit":"2026-07-10","state":"over_target"}' \
    clock 2026-01-10 2026-04-11
ok 0 '{"net_days":182,"paused_days":0,"target":"2026-04-10","limit":"2026-07-10","state":"over_limit"}' \
    clock 2026-01-10 2026-07-11
ok 0 '{"net_days":90,"paused_days":9,"target":"2026-04-19","limit":"2026-07-19","state":"at_risk"}' \
    clock 2026-01-10 2026-04-19 2026-01-25..2026-02-03
ok 0 '{"net_days":91,"paused_days":20,"target":"2026-04-30","limit":"2026-07-30","state":"over_target"}' \
    clock 2026-01-10 2026-05-01 2026-01-20..2026-02-05 2026-02-27..2026-03-02 2026-03-31..2026-04-01
ok 0 '{"net_days":34,"paused_days":35,"target":"2026-05-15","limit":"2026-08-14","state":"on_track"}' \
    clock 2026-01-10 2026-03-20 2026-01-20..2026-02-05 2026-03-01..

# 统一社会信用代码: exit 0 valid, 1 invalid.
ok 0 '{"valid":true,"reason":null}' uscc 91350100M000100Y43
ok 0 '{"valid":true,"reason":null}' uscc 913101150000000700
ok 1 '{"valid":false,"reason":"check"}' uscc 91350100M000100Y44
ok 1 '{"valid":false,"reason":"length"}' uscc 91350100M000100Y4
ok 1 '{"valid":false,"reason":"alphabet"}' uscc 91350100I000100Y43
ok 1 '{"valid":false,"reason":"lowercase"}' uscc 91350100m000100y43
ok 1 '{"valid":false,"reason":"empty"}' uscc ''

# Usage and malformed arguments: exit 2, message on stderr.
bad
bad frobnicate
bad fee
bad fee initial extra
bad fee maintenance 2026-08-31
bad fee renewal 2026-08-31 2026-02-28
bad fee maintenance 2026-02-30 2026-02-28
bad window 2026-08-31
bad window 2026-8-31 2026-02-28
bad window 2026-08-31 2026-02-28x
bad deadline
bad deadline 2026-02-30
bad deadline 1899-12-31
bad validity 31/01/2026
bad retention ''
bad cisp
bad cisp -1
bad cisp 6.5
bad cisp 1e3
bad cisp 10000000000
bad clock 2026-01-10
bad clock 2026-01-10 2026-01-09
bad clock 2026-01-10 2026-03-01 2026-01-20
bad clock 2026-01-10 2026-03-01 2026-01-20..2026-02-30
bad clock 2026-01-10 2026-03-01 2026-01-09..2026-01-20
bad clock 2026-01-10 2026-03-01 2026-01-20..2026-01-19
bad clock 2026-01-10 2026-03-01 2026-01-20..2026-02-05 2026-02-01..2026-02-10
bad clock 2026-01-10 2026-03-01 2026-01-20.. 2026-02-01..2026-02-05
bad clock 2026-01-10 2026-03-01 ..2026-02-05
bad uscc
bad uscc 91350100M000100Y43 extra

echo "rules cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
