#!/bin/sh
# The crash-safety test (issue 7): nginx in front of `zizhi fcgi --workers
# 3` on a fresh database; tests/killtest_driver.c sends concurrent uploads,
# form saves and submissions while this script kills a random worker with
# SIGKILL at random moments, ROUNDS times (the supervisor restarts them).
# Then the driver checks that every acknowledged request is in the
# database whole, nothing is half-written and integrity_check is ok, and
# `zizhi verify` checks the events' hash chain.
#
#   sh tests/killtest.sh BUILD_DIR [ROUNDS]
set -eu
. "$(dirname "$0")/lib.sh"
build=${1:-build}
rounds=${2:-20}
top=$(pwd)
zizhi="$top/$build/zizhi"
driver="$top/$build/tests/killtest_driver"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/zizhi-kill.XXXXXX")
pids=""
dpid=""

cleanup() {
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null || true
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	for p in $pids; do wait "$p" 2>/dev/null || true; done
	if [ "${keep:-0}" = 1 ]; then echo "killtest: logs kept in $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT INT TERM

fail() {
	echo "killtest: $*" >&2
	for f in "$tmp"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 20 "$f"; } >&2; done
	keep=1
	exit 1
}





# A random number in [0, $1).
rnd() {
	echo $(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % $1 ))
}

start=$(date +%s)
"$zizhi" init --db "$tmp/zizhi.db" > "$tmp/init.log" 2>&1 || fail "zizhi init failed"
"$zizhi" fcgi --socket "$tmp/fcgi.sock" --workers 3 --db "$tmp/zizhi.db" \
	2> "$tmp/fcgi.log" &
sup=$!
pids="$pids $sup"
wait_for "$tmp/fcgi.sock" || fail "zizhi fcgi did not start"

user=""
[ "$(id -u)" -eq 0 ] && user="user root;"
tries=0
while :; do
	port=$(free_port)
	sed -e "s|@LISTEN@|127.0.0.1:$port|" -e "s|@SOCKET@|$tmp/fcgi.sock|" \
	    -e "s|@SHARE@|$top|" -e "s|@MAX_BODY@|2m|" \
	    docs/nginx/zizhi-site.conf > "$tmp/site.conf"
	sed -e "s|@TMP@|$tmp|g" -e "s|@USER@|$user|" tests/nginx-test.conf.in \
	    > "$tmp/nginx.conf"
	/usr/sbin/nginx -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/nginx-error.log" \
	    2>> "$tmp/nginx-error.log" &
	npid=$!
	if wait_for "http://127.0.0.1:$port/static/style.css"; then
		pids="$pids $npid"
		break
	fi
	kill $npid 2>/dev/null || true
	tries=$((tries + 1))
	[ $tries -lt 5 ] || fail "nginx did not start"
done
url="http://127.0.0.1:$port"

ZIZHI_DB="$tmp/zizhi.db" KILL_ROUNDS=$rounds "$driver" "$url" "$tmp" 4 2 > "$tmp/driver.log" 2>&1 &
dpid=$!

# The kill loop, once the cases are ready: a random worker, a random
# moment (0 to 0.3 s apart), $rounds times.
i=0
while [ ! -e "$tmp/ready" ]; do
	kill -0 "$dpid" 2>/dev/null || fail "the driver stopped before the load"
	sleep 0.1
	i=$((i + 1))
	[ $i -lt 900 ] || fail "the driver did not get ready"
done
killed=0
echo "killtest: cases ready after $(( $(date +%s) - start )) s; killing"
midway=0
while [ $killed -lt "$rounds" ]; do
	sleep "0.$(rnd 3)$(rnd 10)"
	# Only the supervisor's own children: the workers.
	workers=$(ps -o pid= --ppid "$sup" | tr -d ' ')
	# Prefer a worker in the middle of a request: one not waiting in
	# accept (x86-64 syscalls 43 and 288) for the next.
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
[ $status -eq 0 ] || fail "acknowledged work was lost or broken"
restarts=$(grep -c "restarting" "$tmp/fcgi.log" || true)
[ "$restarts" -ge "$rounds" ] || fail "only $restarts worker restarts for $rounds kills"
# The events' hash chain survived the kills too.
"$zizhi" verify --db "$tmp/zizhi.db" || fail "the events' hash chain is broken"
curl -sf -o /dev/null "$url/" || fail "nginx+fcgi stopped answering"
echo "killtest: $killed workers killed with SIGKILL ($midway of them busy, $restarts restarts), nothing acknowledged lost, in $(( $(date +%s) - start )) s"
