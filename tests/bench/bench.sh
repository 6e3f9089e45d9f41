#!/bin/sh
# The benchmark of issue 8 (run by `make bench`; docs/performance.md).
#
#   sh tests/bench/bench.sh BUILD_DIR
#
# One private nginx (the documented site file, docs/nginx/zizhi-site.conf,
# twice: once in front of `zizhi fcgi`, once in front of the floor,
# tests/bench/floor.c), BENCH_WORKERS worker processes each, wrk at
# BENCH_CONNECTIONS connections for BENCH_SECONDS per page, for every
# database size in BENCH_CASES (seeded with `zizhi seed`). Prints one
# Markdown table. Everything lives in a temporary directory and is stopped
# by PID at the end.
set -eu
. "$(dirname "$0")/../lib.sh"
build=${1:-build}
top=$(pwd)
zizhi="$top/$build/zizhi"
floor="$top/$build/bench/floor"
sizes=${BENCH_CASES:-1000 100000}
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-32}
workers=${BENCH_WORKERS:-4}
threads=$(nproc 2>/dev/null || echo 2)
[ "$threads" -le "$conns" ] || threads=$conns
tmp=$(mktemp -d "${TMPDIR:-/tmp}/zizhi-bench.XXXXXX")
pids=""
fcgi_pid=""

cleanup() {
	for p in $pids $fcgi_pid; do kill "$p" 2>/dev/null || true; done
	for p in $pids $fcgi_pid; do wait "$p" 2>/dev/null || true; done
	if [ "${keep:-0}" = 1 ]; then echo "bench: logs kept in $tmp" >&2
	else rm -rf "$tmp"; fi
}
trap cleanup EXIT INT TERM

fail() {
	echo "bench: $*" >&2
	for f in "$tmp"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 20 "$f"; } >&2; done
	keep=1
	exit 1
}

for t in "$zizhi" "$floor"; do [ -x "$t" ] || fail "$t is missing (make bench builds it)"; done
command -v wrk > /dev/null || fail "wrk is missing (make bench installs it)"
command -v sqlite3 > /dev/null || fail "sqlite3 is missing (make bench installs it)"




site() {	# site PORT SOCKET: the documented site file, filled in
	sed -e "s|@LISTEN@|127.0.0.1:$1|" -e "s|@SOCKET@|$2|" \
	    -e "s|@SHARE@|$top|" -e "s|@MAX_BODY@|66m|" docs/nginx/zizhi-site.conf
}

# ---- nginx and the floor, up for the whole run --------------------------
"$floor" "$tmp/floor.sock" "$workers" 2> "$tmp/floor.log" &
pids="$pids $!"
wait_for "$tmp/floor.sock" || fail "the floor program did not start"

user=""
[ "$(id -u)" -eq 0 ] && user="user root;"
tries=0
while :; do
	port=$(free_port)
	fport=$(free_port)
	[ "$port" != "$fport" ] || continue
	{ site "$port" "$tmp/fcgi.sock"; site "$fport" "$tmp/floor.sock"; } > "$tmp/site.conf"
	# Production nginx runs a worker per core (worker_processes auto).
	sed -e "s|@TMP@|$tmp|g" -e "s|@USER@|$user|" \
	    -e "s|worker_processes 1;|worker_processes auto;|" \
	    -e "s|worker_connections 512;|worker_connections 1024;|" \
	    tests/nginx-test.conf.in > "$tmp/nginx.conf"
	/usr/sbin/nginx -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/nginx-error.log" \
	    2>> "$tmp/nginx-error.log" &
	npid=$!
	if wait_for "http://127.0.0.1:$fport/"; then
		pids="$pids $npid"
		break
	fi
	kill $npid 2>/dev/null || true
	tries=$((tries + 1))
	[ $tries -lt 5 ] || fail "nginx did not start"
done
url="http://127.0.0.1:$port"
furl="http://127.0.0.1:$fport"

# ---- helpers ------------------------------------------------------------
# The largest VmHWM (peak RSS) of the fcgi workers, in MB.
worker_rss() {
	m=0
	for w in $(ps -o pid= --ppid "$fcgi_pid"); do
		k=$(awk '/^VmHWM:/ { print $2 }' "/proc/$w/status" 2>/dev/null || echo 0)
		[ "${k:-0}" -gt "$m" ] && m=$k
	done
	awk -v k="$m" 'BEGIN { printf "%.1f\n", k / 1024 }'
}

start_workers() {
	"$zizhi" fcgi --socket "$tmp/fcgi.sock" --workers "$workers" --db "$db" \
	    --public-url "$url" \
	    2>> "$tmp/fcgi$n.log" &
	fcgi_pid=$!
	wait_for "$tmp/fcgi.sock" || fail "zizhi fcgi did not start"
	wait_for "$url/" || fail "nginx does not reach zizhi fcgi"
}

stop_workers() {
	kill "$fcgi_pid"
	wait "$fcgi_pid" || fail "zizhi fcgi did not exit cleanly"
	fcgi_pid=""
	rm -f "$tmp/fcgi.sock"
}

login() {	# login EMAIL: prints the Cookie header value
	rm -f "$tmp/jar"
	code=$(curl -s -o /dev/null -w '%{http_code}' -c "$tmp/jar" \
	    -H "Origin: $url" --data-urlencode "email=$1" \
	    --data-urlencode "password=zizhi-seed-password" "$url/login")
	[ "$code" = 303 ] || fail "login as $1 answered $code"
	awk '$6 == "zizhi" { printf "zizhi=%s", $7 }' "$tmp/jar"
}

sql() { sqlite3 -readonly "$db" "$1"; }

# run SIZE NAME URL EXPECT [COOKIE [BODY]]: one wrk run, one table row.
run() {
	rsize=$1 rname=$2 rurl=$3 expect=$4 cookie=${5:-} body=${6:-}
	if [ -n "$body" ]; then
		code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" \
		    -H "Origin: $url" --data "$body" "$rurl")
	else
		code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$rurl")
	fi
	[ "$code" = "$expect" ] || fail "$rname ($rurl) answered $code, not $expect"
	bytes=$(curl -s -H "Cookie: $cookie" "$rurl" | wc -c)
	BENCH_COOKIE=$cookie BENCH_BODY=$body BENCH_ORIGIN=$url \
	    wrk -t"$threads" -c"$conns" -d"${secs}s" --latency \
	    -s "$top/tests/bench/session.lua" "$rurl" > "$tmp/wrk.out" 2>&1 ||
	    fail "wrk failed: $(cat "$tmp/wrk.out")"
	# Latencies in ms; wrk prints us, ms or s.
	awk -v size="$rsize" -v name="$rname" -v bytes="$bytes" '
		function ms(v) {
			if (v ~ /us$/) return v / 1000
			if (v ~ /ms$/) return v + 0
			if (v ~ /s$/) return v * 1000
			return v + 0
		}
		$1 == "50%" { p50 = ms($2) }
		$1 == "99%" { p99 = ms($2) }
		/^Requests\/sec:/ { rps = $2 }
		/Non-2xx or 3xx responses:/ { bad = $NF }
		/Socket errors:/ { err = $0 }
		END {
			printf "%s\t%s\t%.0f\t%.2f\t%.2f\t%d\t%d\t%s\n", size, name,
			    rps, p50, p99, bytes, bad + 0, err
		}' "$tmp/wrk.out" >> "$tmp/rows"
	echo "bench: $rsize cases, $rname: $(tail -n 1 "$tmp/rows" | cut -f3) req/s" >&2
	# The peak RSS so far, after this page.
	if [ "$rname" = floor ]; then echo "-" >> "$tmp/rss"
	else worker_rss >> "$tmp/rss"; fi
}

: > "$tmp/rows"
: > "$tmp/rss"
: > "$tmp/login_rss"
for n in $sizes; do
	db="$tmp/db$n/zizhi.db"
	mkdir -p "$tmp/db$n"
	"$zizhi" init --db "$db" > "$tmp/init.log" 2>&1 || fail "zizhi init failed"
	echo "bench: seeding $n cases" >&2
	"$zizhi" seed --db "$db" --cases "$n" > "$tmp/seed$n.log" 2>&1 ||
	    fail "zizhi seed failed"
	head -n 1 "$tmp/seed$n.log" >&2
	# Let the seed's writes reach the disk before anything is measured.
	sync

	# The pages: a certificate in the middle; the issued case with the
	# longest history (the seed makes every case by the product's steps:
	# about 10 to 20 events and 40 materials); a lead's queue; the
	# applicant with the most cases; a case in intake review (its lead
	# saves the review findings).
	cert=$(sql "SELECT no FROM certificate ORDER BY id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM certificate)")
	big=$(sql "SELECT c.id FROM cases c WHERE c.status = 'issued' ORDER BY (SELECT count(*) FROM event e WHERE e.case_id = c.id) DESC, c.id LIMIT 1")
	big_ev=$(sql "SELECT count(*) FROM event WHERE case_id = $big")
	big_mat=$(sql "SELECT count(*) FROM material WHERE case_id = $big")
	applicant=$(sql "SELECT a.email FROM account a JOIN cases c ON c.org_id = a.org_id WHERE a.role = 'applicant' GROUP BY a.id ORDER BY count(*) DESC, a.id LIMIT 1")
	review=$(sql "SELECT c.id FROM cases c JOIN account a ON a.id = c.lead_id WHERE c.status = 'intake_review' AND a.email = 'seed-lead-1@seed.zizhi.test' ORDER BY c.id LIMIT 1")
	[ -n "$cert" ] && [ -n "$big" ] && [ -n "$applicant" ] && [ -n "$review" ] ||
	    fail "the seeded database lacks a page to measure"
	echo "bench: certificate $cert; case $big ($big_ev events, $big_mat materials); case $review in intake review; applicant $applicant" >&2

	start_workers
	lead=$(login seed-lead-1@seed.zizhi.test)
	appl=$(login "$applicant")
	csrf=$(curl -s -H "Cookie: $lead" "$url/cases/$review/review" |
	    sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
	[ -n "$csrf" ] || fail "no CSRF token on /cases/$review/review"
	# A login checks an argon2id hash with 64 MiB of memory, freed at
	# once; note that peak, then start fresh workers (the sessions are in
	# the database) so the column shows what the pages themselves need.
	echo "$n	$(worker_rss)" >> "$tmp/login_rss"
	stop_workers
	start_workers

	run "$n" floor "$furl/" 200
	run "$n" verify "$url/verify/$cert" 200
	run "$n" case "$url/cases/$big" 200 "$lead"
	run "$n" queue "$url/queue" 200 "$lead"
	run "$n" cases "$url/cases" 200 "$appl"
	run "$n" post "$url/cases/$review/review/findings" 303 "$lead" \
	    "csrf=$csrf&verdict_form=ok&comment_form=%E5%9F%BA%E5%87%86%E6%B5%8B%E8%AF%95"

	stop_workers
	rm -f "$db" "$db-wal" "$db-shm"
done

# ---- the table ----------------------------------------------------------
paste "$tmp/rows" "$tmp/rss" > "$tmp/table"
echo
echo "zizhi benchmark: $(date -u +%Y-%m-%d), $(nproc) cores, nginx $(/usr/sbin/nginx -v 2>&1 | sed 's|.*/||'), $workers workers, wrk -t$threads -c$conns -d${secs}s"
echo
awk -F '\t' '
	BEGIN {
		label["floor"] = "floor (libfcgi, 8 KB)"
		label["verify"] = "verification page"
		label["case"] = "staff case page"
		label["queue"] = "work queue, first page"
		label["cases"] = "applicant case list"
		label["post"] = "transition POST (findings)"
		minr["verify"] = 0.6; maxp["verify"] = 5
		minr["case"] = 0.4; maxp["case"] = 10
		minr["queue"] = 0.25; maxp["queue"] = 20
		minr["post"] = 0.05; maxp["post"] = 50
		print "| cases | page | req/s | p50 ms | p99 ms | vs floor | bytes | worker max RSS MB | target |"
		print "|---:|---|---:|---:|---:|---:|---:|---:|---|"
	}
	{
		size = $1; name = $2; rps = $3
		if (name == "floor") fl[size] = rps
		ratio = fl[size] > 0 ? rps / fl[size] : 0
		rate[size, name] = rps
		t = ""
		if (name in minr) {
			t = sprintf("≥ %.2f, ≤ %d ms: %s", minr[name], maxp[name],
			    (ratio >= minr[name] && $5 <= maxp[name]) ? "met" : "MISSED")
		}
		if ($7 > 0) t = t " (" $7 " non-2xx/3xx!)"
		if ($8 != "") t = t " (" $8 ")"
		printf "| %s | %s | %d | %.2f | %.2f | %.2f | %d | %s | %s |\n",
		    size, label[name], rps, $4, $5, ratio, $6, $9, t
		sizes[size] = 1; order[++nrow] = size SUBSEP name
		if (!(size in seen)) { seen[size] = 1; sz[++nsz] = size }
	}
	END {
		if (nsz < 2) exit
		lo = sz[1]; hi = sz[nsz]
		printf "\nRate kept at %s cases relative to %s (target ≥ 80%%):", hi, lo
		split("verify case queue cases post", p, " ")
		for (i = 1; i <= 5; i++)
			if (rate[lo, p[i]] > 0)
				printf(" %s %.0f%%%s", p[i], 100 * rate[hi, p[i]] / rate[lo, p[i]],
				    (rate[hi, p[i]] / rate[lo, p[i]] >= 0.8) ? "" : " (MISSED)")
		printf "\n"
	}' "$tmp/table"
awk -F '\t' 'NR == 1 { printf "\nWorker peak RSS right after the logins (argon2id takes 64 MiB, freed at once):" } { printf " %s MB at %s cases;", $2, $1 } END { if (NR) printf "\n" }' "$tmp/login_rss"
