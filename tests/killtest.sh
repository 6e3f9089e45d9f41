#!/bin/sh
# The crash-safety test: nginx in front of `zizhi fcgi --workers 3` on a
# fresh database; tests/killtest_driver.c sends concurrent uploads, form
# saves and submissions while this script kills a random live worker with
# SIGKILL at random moments, ROUNDS times (the supervisor replaces each at
# once). Then the driver checks that every acknowledged request is in the
# database whole, nothing is half-written and integrity_check is ok;
# `zizhi verify` checks the events' hash chain; the supervisor must have
# seen exactly one death per kill and nothing else, and must stop within
# 10 s of SIGTERM.
#
#   sh tests/killtest.sh BUILD_DIR [ROUNDS]
#
#   KILL_REPEAT=N  the whole test N times in a row, each on a fresh
#                  database; stops at the first failure
#   KILL_FAULT=1   the proof that the test can fail: run it against
#                  BUILD_DIR/zizhi-fault, a test build that, while the
#                  file $ZIZHI_FAULT_FILE exists, rolls back one commit in
#                  twenty yet answers as if it had committed. The driver
#                  must then report acknowledged work as lost; this script
#                  exits 0 when it does and 1 when the loss went unseen.
set -eu
. "$(dirname "$0")/lib.sh"
build=${1:-build}
rounds=${2:-20}
repeat=${KILL_REPEAT:-1}
fault=${KILL_FAULT:-0}
top=$(pwd)
zizhi="$top/$build/zizhi"
[ "$fault" = 1 ] && zizhi="$top/$build/zizhi-fault"
driver="$top/$build/tests/killtest_driver"

# A random number in [0, $1).
rnd() {
	echo $(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % $1 ))
}

# The live workers of supervisor $1 (a killed worker stays a zombie until
# the supervisor reaps it; it must not be chosen, or counted, again).
live_workers() {
	ps -o pid=,stat= --ppid "$1" | awk '$2 !~ /^Z/ { print $1 }'
}

# What every worker is doing, and the socket's queue: printed when the
# test fails, to say where a request waited.
workers_state() {
	echo "--- workers of supervisor $1 at $(date +%T.%N)"
	for w in $(ps -o pid= --ppid "$1"); do
		echo "worker $w: $(awk '{ print "state", $3 }' "/proc/$w/stat" 2>/dev/null) syscall $(cut -d' ' -f1 "/proc/$w/syscall" 2>/dev/null) wchan $(cat "/proc/$w/wchan" 2>/dev/null)"
		sed 's/^/    /' "/proc/$w/stack" 2>/dev/null || true
	done
	echo "listening socket (Recv-Q: connections waiting to be accepted):"
	ss -xl 2>/dev/null | grep -F "$2" || true
}

# One run of the test on a fresh database, in its own directory.
one_run() {
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/zizhi-kill.XXXXXX")
	sup=""
	dpid=""
	keep=0

	cleanup() {
		[ -n "$dpid" ] && kill "$dpid" 2>/dev/null || true
		[ -n "$sup" ] && stop_pid "$sup" 5 || true
		[ -n "${nginx_pid:-}" ] && stop_pid "$nginx_pid" 5 || true
		if [ "$keep" = 1 ]; then echo "killtest: logs kept in $tmp"; else rm -rf "$tmp"; fi
	}
	trap cleanup EXIT INT TERM

	fail() {
		echo "killtest: $*" >&2
		[ -n "$sup" ] && workers_state "$sup" "$tmp/fcgi.sock" >&2
		for f in "$tmp"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 20 "$f"; } >&2; done
		keep=1
		exit 1
	}

	site() {
		sed -e "s|@LISTEN@|127.0.0.1:$1|" -e "s|@SOCKET@|$tmp/fcgi.sock|" \
		    -e "s|@SHARE@|$top|" -e "s|@MAX_BODY@|2m|" \
		    docs/nginx/zizhi-site.conf
	}

	start=$(date +%s)
	"$zizhi" init --db "$tmp/zizhi.db" > "$tmp/init.log" 2>&1 || fail "zizhi init failed"
	start_nginx "$tmp" site || fail "nginx did not start"
	url="http://127.0.0.1:$nginx_port"
	ZIZHI_FAULT_FILE="$tmp/fault" "$zizhi" fcgi --socket "$tmp/fcgi.sock" \
	    --workers 3 --db "$tmp/zizhi.db" --public-url "$url" \
	    2> "$tmp/fcgi.log" &
	sup=$!
	wait_for "$tmp/fcgi.sock" || fail "zizhi fcgi did not start"

	ZIZHI_DB="$tmp/zizhi.db" KILL_ROUNDS=$rounds "$driver" "$url" "$tmp" 4 2 \
	    > "$tmp/driver.log" 2>&1 &
	dpid=$!

	# The kill loop, once the cases are ready: a random live worker,
	# preferably one in the middle of a request, at a random moment (0 to
	# 0.39 s apart), $rounds times.
	i=0
	while [ ! -e "$tmp/ready" ]; do
		kill -0 "$dpid" 2>/dev/null || fail "the driver stopped before the load"
		sleep 0.1
		i=$((i + 1))
		[ $i -lt 900 ] || fail "the driver did not get ready"
	done
	[ "$fault" = 1 ] && touch "$tmp/fault"
	killed=0
	midway=0
	echo "killtest: cases ready after $(( $(date +%s) - start )) s; killing"
	while [ $killed -lt "$rounds" ]; do
		sleep "0.$(rnd 4)$(rnd 10)"
		workers=$(live_workers "$sup")
		# Busy: not waiting in accept (x86-64 syscalls 43 and 288).
		busy=""
		for w in $workers; do
			sc=$(cut -d' ' -f1 "/proc/$w/syscall" 2>/dev/null || echo 43)
			case "$sc" in 43|288) ;; *) busy="$busy $w" ;; esac
		done
		pool=${busy:-$workers}
		n=$(echo $pool | wc -w)
		[ "$n" -gt 0 ] || continue
		victim=$(echo $pool | tr ' ' '\n' | sed -n "$(( $(rnd "$n") + 1 ))p")
		if kill -KILL "$victim" 2>/dev/null; then
			killed=$((killed + 1))
			echo $killed > "$tmp/kills.new" && mv "$tmp/kills.new" "$tmp/kills"
			[ -z "$busy" ] || midway=$((midway + 1))
		fi
	done
	touch "$tmp/stop"
	status=0
	wait "$dpid" || status=$?
	dpid=""
	cat "$tmp/driver.log"
	if [ "$fault" = 1 ]; then
		grep -q "LOST OR BROKEN" "$tmp/driver.log" ||
		    fail "the fault build lost acknowledged commits and the test did not see it"
		echo "killtest: the fault build lost $(grep -c 'LOST OR BROKEN' "$tmp/driver.log") acknowledged requests, and the test saw it"
		return 0
	fi
	[ $status -eq 0 ] || fail "acknowledged work was lost or broken"
	# One death per kill, each by our SIGKILL, each replaced.
	i=0
	while [ "$(grep -c 'restarting' "$tmp/fcgi.log" || true)" -lt "$killed" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	restarts=$(grep -c "restarting" "$tmp/fcgi.log" || true)
	[ "$restarts" -eq "$killed" ] ||
	    fail "$restarts worker restarts for $killed kills"
	others=$(grep "ended" "$tmp/fcgi.log" | grep -vc "(signal 9)" || true)
	[ "$others" -eq 0 ] || fail "$others workers ended by themselves"
	# The events' hash chain survived the kills too.
	"$zizhi" verify --db "$tmp/zizhi.db" > "$tmp/verify.log" 2>&1 ||
	    fail "the events' hash chain is broken"
	curl -sf -o /dev/null "$url/" || fail "nginx+fcgi stopped answering"
	# A stop while idle must not be missed (a worker blocked in accept).
	p=$sup
	sup=""
	stop_pid "$p" 10 || { sup=$p; fail "zizhi fcgi did not stop cleanly within 10 s of SIGTERM"; }
	echo "killtest: $killed workers killed with SIGKILL ($midway of them busy, $restarts restarts), nothing acknowledged lost, in $(( $(date +%s) - start )) s"
}

run=1
while [ $run -le "$repeat" ]; do
	[ "$repeat" -eq 1 ] || echo "killtest: run $run of $repeat"
	( one_run ) || { [ "$repeat" -eq 1 ] || echo "killtest: run $run of $repeat failed" >&2; exit 1; }
	run=$((run + 1))
done
[ "$repeat" -eq 1 ] || echo "killtest: $repeat runs in a row passed"
