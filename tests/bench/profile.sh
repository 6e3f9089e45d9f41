#!/bin/sh
# The benchmark's pages in instructions (issue 18; docs/performance.md).
#
#   sh tests/bench/profile.sh BUILD_DIR
#
# For every database size in PROFILE_CASES (seeded with `zizhi seed`),
# each page of the benchmark (tests/bench/pages.sh) is requested through
# nginx from one `zizhi fcgi` worker running under valgrind's callgrind:
# once 5 times, once 5 + PROFILE_REQUESTS times; the difference over
# PROFILE_REQUESTS is what one request costs the worker, the FastCGI door
# included (nginx and the kernel are not counted). Unlike req/s, the
# count does not depend on what else the machine is doing. Prints one
# Markdown table: thousands of instructions per request, by size.
set -eu
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/pages.sh"
build=${1:-build}
top=$(pwd)
zizhi="$top/$build/zizhi"
sizes=${PROFILE_CASES:-1000 10000 100000}
nreq=${PROFILE_REQUESTS:-20}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/zizhi-profile.XXXXXX")
pids=""

cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	for p in $pids; do wait "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

fail() {
	echo "profile: $*" >&2
	exit 1
}

[ -x "$zizhi" ] || fail "$zizhi is missing (make builds it)"
for t in valgrind callgrind_annotate sqlite3 curl; do
	command -v $t > /dev/null || fail "$t is missing"
done

# count PATH WHO REQUESTS [BODY [CSRF_PAGE]]: the instructions the worker
# executed from its start to its exit, having answered REQUESTS requests.
count() {
	cpath=$1 cwho=$2 creq=$3 cbody=${4:-} cform=${5:-}
	run="$tmp/run"
	rm -rf "$run"
	mkdir -p "$run"
	port=$(free_port)
	sed -e "s|@LISTEN@|127.0.0.1:$port|" -e "s|@SOCKET@|$run/fcgi.sock|" \
	    -e "s|@SHARE@|$top|" -e "s|@MAX_BODY@|66m|" \
	    docs/nginx/zizhi-site.conf > "$run/site.conf"
	user=""
	[ "$(id -u)" -eq 0 ] && user="user root;"
	sed -e "s|@TMP@|$run|g" -e "s|@USER@|$user|" tests/nginx-test.conf.in \
	    > "$run/nginx.conf"
	/usr/sbin/nginx -p "$run" -c "$run/nginx.conf" -e "$run/nginx-error.log" \
	    2>> "$run/nginx-error.log" &
	npid=$!
	url="http://127.0.0.1:$port"
	valgrind --tool=callgrind --callgrind-out-file="$run/cg.%p" "$zizhi" \
	    fcgi --socket "$run/fcgi.sock" --workers 1 --db "$db" \
	    --public-url "$url" 2> "$run/fcgi.log" &
	fpid=$!
	pids="$npid $fpid"
	wait_for "$run/fcgi.sock" || fail "zizhi fcgi did not start"
	wait_for "$url/" || fail "nginx does not reach zizhi fcgi"
	cookie=""
	if [ "$cwho" != - ]; then
		curl -s -o /dev/null -c "$run/jar" -H "Origin: $url" \
		    --data-urlencode "email=$cwho" \
		    --data-urlencode "password=zizhi-seed-password" "$url/login"
		cookie=$(awk '$6 == "zizhi" { printf "zizhi=%s", $7 }' "$run/jar")
	fi
	if [ -n "$cform" ]; then
		csrf=$(curl -s -H "Cookie: $cookie" "$url$cform" |
		    sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
		cbody="csrf=$csrf&$cbody"
	fi
	i=0
	while [ $i -lt "$creq" ]; do
		if [ -n "$cbody" ]; then
			curl -s -o /dev/null -H "Cookie: $cookie" -H "Origin: $url" \
			    --data "$cbody" "$url$cpath"
		else
			curl -s -o /dev/null -H "Cookie: $cookie" "$url$cpath"
		fi
		i=$((i + 1))
	done
	wpid=$(ps -o pid= --ppid "$fpid" | head -n 1 | tr -d ' ')
	kill "$fpid"
	wait "$fpid" 2> /dev/null || true
	kill "$npid"
	wait "$npid" 2> /dev/null || true
	pids=""
	callgrind_annotate --threshold=100 "$run/cg.$wpid" 2> /dev/null |
	    awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }'
}

# per PATH WHO [BODY [CSRF_PAGE]]: instructions per request, in thousands.
per() {
	a=$(count "$1" "$2" 5 "${3:-}" "${4:-}")
	b=$(count "$1" "$2" $((5 + nreq)) "${3:-}" "${4:-}")
	echo $(( (b - a) / nreq / 1000 ))
}

: > "$tmp/rows"
for n in $sizes; do
	db="$tmp/db$n/zizhi.db"
	mkdir -p "$tmp/db$n"
	"$zizhi" init --db "$db" > /dev/null 2>&1 || fail "zizhi init failed"
	echo "profile: seeding $n cases" >&2
	"$zizhi" seed --db "$db" --cases "$n" > "$tmp/seed.log" 2>&1 ||
	    fail "zizhi seed failed"
	pick_pages || fail "the seeded database lacks a page to measure"
	lead=seed-lead-1@seed.zizhi.test
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" \
	    "$(per "/verify/$cert" -)" "$(per "/cases/$big" $lead)" \
	    "$(per /queue $lead)" "$(per /cases "$applicant")" \
	    "$(per "/cases/$review/review/findings" $lead "$findings_body" \
	    "/cases/$review/review")" >> "$tmp/rows"
	echo "profile: $n cases: $(tail -n 1 "$tmp/rows")" >&2
	rm -rf "$tmp/db$n"
done
echo
echo "zizhi profile: $(date -u +%Y-%m-%d), thousands of instructions per request of one fcgi worker (callgrind, $nreq requests)"
echo
awk -F '\t' '
	{ n[NR] = $1; for (i = 2; i <= 6; i++) v[NR, i] = $i }
	END {
		split("verification page|staff case page|work queue, first page|applicant case list|findings POST", name, "|")
		printf "| page |"
		for (r = 1; r <= NR; r++) printf " %s cases |", n[r]
		printf "\n|---|"
		for (r = 1; r <= NR; r++) printf "---:|"
		printf "\n"
		for (i = 2; i <= 6; i++) {
			printf "| %s |", name[i - 1]
			for (r = 1; r <= NR; r++) printf " %s |", v[r, i]
			printf "\n"
		}
	}' "$tmp/rows"
