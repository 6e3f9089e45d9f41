#!/bin/sh
# The benchmark of issues 8 and 18 (run by `make bench`; docs/performance.md).
#
#   sh tests/bench/bench.sh BUILD_DIR
#
# One private nginx (the documented site file, docs/nginx/zizhi-site.conf,
# twice: once in front of `zizhi fcgi`, once in front of the floor,
# tests/bench/floor.c), BENCH_WORKERS worker processes each, wrk at
# BENCH_CONNECTIONS connections, for every database size in BENCH_CASES
# (seeded with `zizhi seed`, all before the first round). BENCH_ROUNDS
# rounds follow; in each, every size in turn runs the floor and then every
# page for BENCH_SECONDS each, and a last floor run closes the rounds, so
# every page set has a floor run just before it and just after it, and
# the sizes of a round are measured side by side (BENCH_DB_DIR, when
# set, keeps the seeded databases there for the next run). A page's figure is the
# median of its rounds, its ratio the median of its ratios to the mean of
# those two floor runs, and the spread the range of those ratios; the
# share a page keeps from the first size to a larger one is the median of
# the two sizes' ratios paired by round. Prints Markdown tables. Everything lives in a temporary
# directory and is stopped by PID at the end.
set -eu
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/pages.sh"
build=${1:-build}
top=$(pwd)
zizhi="$top/$build/zizhi"
floor="$top/$build/bench/floor"
sizes=${BENCH_CASES:-1000 10000 100000}
secs=${BENCH_SECONDS:-5}
rounds=${BENCH_ROUNDS:-3}
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
[ -x /usr/bin/time ] || fail "/usr/bin/time is missing (make bench installs it)"
command -v sqlite3 > /dev/null || fail "sqlite3 is missing (make bench installs it)"




site() {	# site PORT SOCKET: the documented site file, filled in
	sed -e "s|@LISTEN@|127.0.0.1:$1|" -e "s|@SOCKET@|$2|" \
	    -e "s|@SHARE@|$top|" -e "s|@MAX_BODY@|66m|" docs/nginx/zizhi-site.conf
}

# ---- nginx and the floor, up for the whole run --------------------------
"$floor" "$tmp/floor.sock" "$workers" 2> "$tmp/floor.log" &
floor_pid=$!
pids="$pids $floor_pid"
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
		nginx_pid=$npid
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


# The CPU time (clock ticks, user and system) the children of the PIDs
# have used so far: nginx's workers, the floor's or zizhi's workers.
ticks() {
	for pp in "$@"; do
		for c in $(ps -o pid= --ppid "$pp"); do
			awk '{ print $14 + $15 }' "/proc/$c/stat" 2>/dev/null || echo 0
		done
	done | awk '{ t += $1 } END { print t + 0 }'
}

# run ROUND SIZE NAME URL EXPECT [COOKIE [BODY]]: one wrk run, one row of
# $tmp/rows (round, size, name, req/s, p50, p99, bytes, bad, errors, CPU
# microseconds per request of nginx, the backend and wrk together, and of
# the backend alone). The CPU time does not depend on the machine's other
# work as much as the rate does: it is what a request costs.
run() {
	rround=$1
	shift
	rsize=$1 rname=$2 rurl=$3 expect=$4 cookie=${5:-} body=${6:-}
	if [ -n "$body" ]; then
		code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" \
		    -H "Origin: $url" --data "$body" "$rurl")
	else
		code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$rurl")
	fi
	[ "$code" = "$expect" ] || fail "$rname ($rurl) answered $code, not $expect"
	bytes=$(curl -s -H "Cookie: $cookie" "$rurl" | wc -c)
	if [ "$rname" = floor ]; then backend=$floor_pid; else backend=$fcgi_pid; fi
	n0=$(ticks "$nginx_pid")
	b0=$(ticks "$backend")
	BENCH_COOKIE=$cookie BENCH_BODY=$body BENCH_ORIGIN=$url \
	    /usr/bin/time -f '%U %S' -o "$tmp/wrk.time" \
	    wrk -t"$threads" -c"$conns" -d"${secs}s" --latency \
	    -s "$top/tests/bench/session.lua" "$rurl" > "$tmp/wrk.out" 2>&1 ||
	    fail "wrk failed: $(cat "$tmp/wrk.out")"
	n1=$(ticks "$nginx_pid")
	b1=$(ticks "$backend")
	tck=$(getconf CLK_TCK)
	cpu=$(awk -v n=$((n1 - n0)) -v b=$((b1 - b0)) -v hz="$tck" '
		NR == 1 { w = $1 + $2 }
		END { printf "%.6f %.6f", (n + b) / hz + w, b / hz }' "$tmp/wrk.time")
	# Latencies in ms; wrk prints us, ms or s.
	awk -v round="$rround" -v size="$rsize" -v name="$rname" -v bytes="$bytes" \
	    -v cpu="$cpu" '
		function ms(v) {
			if (v ~ /us$/) return v / 1000
			if (v ~ /ms$/) return v + 0
			if (v ~ /s$/) return v * 1000
			return v + 0
		}
		$1 == "50%" { p50 = ms($2) }
		$1 == "99%" { p99 = ms($2) }
		/^Requests\/sec:/ { rps = $2 }
		/ requests in / { nreq = $1 }
		/Non-2xx or 3xx responses:/ { bad = $NF }
		/Socket errors:/ { err = $0 }
		END {
			split(cpu, c, " ")
			printf "%s\t%s\t%s\t%.0f\t%.2f\t%.2f\t%d\t%d\t%s\t%.1f\t%.1f\n",
			    round, size, name, rps, p50, p99, bytes, bad + 0, err,
			    (nreq > 0 ? c[1] * 1e6 / nreq : 0),
			    (nreq > 0 ? c[2] * 1e6 / nreq : 0)
		}' "$tmp/wrk.out" >> "$tmp/rows"
	echo "bench: $rsize cases, round $rround, $rname: $(tail -n 1 "$tmp/rows" | cut -f4) req/s" >&2
}

: > "$tmp/rows"
: > "$tmp/rss"
: > "$tmp/login_rss"
: > "$tmp/seedtime"
# ---- every size seeded, its pages chosen, its sessions opened -----------
for n in $sizes; do
	# BENCH_DB_DIR keeps each size's seeded database (DIR/N/zizhi.db,
	# with a "seeded" mark once the seed is complete) for the next run:
	# seeding 100,000 cases takes twenty minutes.
	if [ -n "${BENCH_DB_DIR:-}" ]; then
		ddir="$BENCH_DB_DIR/$n"
	else
		ddir="$tmp/db$n"
	fi
	db="$ddir/zizhi.db"
	if [ -n "${BENCH_DB_DIR:-}" ] && [ -f "$ddir/seeded" ]; then
		echo "bench: $n cases seeded by an earlier run, in $ddir" >&2
		echo "$n	an earlier run's seed" >> "$tmp/seedtime"
		# Seeded by an older zizhi: its schema upgraded as a user's is.
		"$zizhi" init --db "$db" > "$tmp/init.log" 2>&1 ||
		    fail "zizhi init failed to upgrade $db"
	else
		rm -rf "$ddir"
		mkdir -p "$ddir"
		"$zizhi" init --db "$db" > "$tmp/init.log" 2>&1 ||
		    fail "zizhi init failed"
		echo "bench: seeding $n cases" >&2
		t0=$(date +%s)
		"$zizhi" seed --db "$db" --cases "$n" > "$tmp/seed$n.log" \
		    2>&1 || fail "zizhi seed failed"
		echo "$n	$(( $(date +%s) - t0 ))" >> "$tmp/seedtime"
		grep "cases, " "$tmp/seed$n.log" >&2
		[ -z "${BENCH_DB_DIR:-}" ] || : > "$ddir/seeded"
	fi
	# Let the seed's writes reach the disk before anything is measured.
	sync

	pick_pages || fail "the seeded database lacks a page to measure"
	echo "bench: certificate $cert; case $big ($big_ev events, $big_mat materials); case $review in intake review; applicant $applicant" >&2

	start_workers
	lead=$(login seed-lead-1@seed.zizhi.test)
	appl=$(login "$applicant")
	csrf=$(curl -s -H "Cookie: $lead" "$url/cases/$review/review" |
	    sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
	[ -n "$csrf" ] || fail "no CSRF token on /cases/$review/review"
	# A login checks an argon2id hash with 64 MiB of memory, freed at
	# once; note that peak. The rounds start fresh workers (the sessions
	# are in the database), so the RSS column shows what the pages need.
	echo "$n	$(worker_rss)" >> "$tmp/login_rss"
	stop_workers
	{
		echo "db='$db'"
		echo "cert='$cert' big='$big' review='$review'"
		echo "lead='$lead' appl='$appl' csrf='$csrf'"
	} > "$tmp/pages$n"
done

# ---- the rounds: in each, every size, the floor before its pages --------
# Sizes measured minutes apart would compare the machine's load at two
# moments; within a round they are measured side by side.
r=1
while [ $r -le "$rounds" ]; do
	for n in $sizes; do
		. "$tmp/pages$n"	# db, the pages and the sessions
		start_workers
		run $r "$n" floor "$furl/" 200
		run $r "$n" verify "$url/verify/$cert" 200
		run $r "$n" case "$url/cases/$big" 200 "$lead"
		run $r "$n" queue "$url/queue" 200 "$lead"
		run $r "$n" cases "$url/cases" 200 "$appl"
		run $r "$n" post "$url/cases/$review/review/findings" 303 \
		    "$lead" "csrf=$csrf&$findings_body"
		# The workers' peak RSS while serving the pages.
		echo "$n	$(worker_rss)" >> "$tmp/rss"
		stop_workers
	done
	r=$((r + 1))
done
run $r - floor "$furl/" 200
for n in $sizes; do rm -f "$tmp/db$n/zizhi.db"*; done

# ---- the tables ---------------------------------------------------------
echo
echo "zizhi benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d ' ' -f 1-3 /proc/loadavg) at the end, $(nproc) cores, nginx $(/usr/sbin/nginx -v 2>&1 | sed 's|.*/||'), $workers workers, wrk -t$threads -c$conns -d${secs}s, $rounds rounds"
echo
awk -F '\t' -v rssf="$tmp/rss" -v seedf="$tmp/seedtime" '
	function median(list, n,    a, i, j, t) {
		n = split(list, a, " ")
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		if (n == 0) return 0
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	function lo(list,    a, i, n, m) {
		n = split(list, a, " "); m = a[1]
		for (i = 2; i <= n; i++) if (a[i] + 0 < m + 0) m = a[i]
		return m
	}
	function hi(list,    a, i, n, m) {
		n = split(list, a, " "); m = a[1]
		for (i = 2; i <= n; i++) if (a[i] + 0 > m + 0) m = a[i]
		return m
	}
	# The kept share of a page at size s, paired by round with the
	# first size; in r the ratios (by rate or by CPU) by round.
	function kept(r, s, name,    i, l, k) {
		l = ""
		for (i = 1; i <= nround; i++)
			if (r[sz[1], name, i] > 0 && r[s, name, i] > 0)
				l = l " " r[s, name, i] / r[sz[1], name, i]
		if (l == "") return
		k = median(l)
		printf " %s %.0f%%%s", name, 100 * k, (k >= 0.9 ? "" : " (MISSED)")
	}
	BEGIN {
		while ((getline line < rssf) > 0) {
			split(line, f, "\t")
			if (f[2] + 0 > rss[f[1]] + 0) rss[f[1]] = f[2]
		}
		while ((getline line < seedf) > 0) { split(line, f, "\t"); seeded[f[1]] = f[2] }
		label["floor"] = "floor (libfcgi, 8 KB)"
		label["verify"] = "verification page"
		label["case"] = "staff case page"
		label["queue"] = "work queue, first page"
		label["cases"] = "applicant case list"
		label["post"] = "findings POST"
		minr["verify"] = 0.70; minr["case"] = 0.50; minr["queue"] = 0.30
		minr["cases"] = 0.60; minr["post"] = 0.40
		np = split("floor verify case queue cases post", page, " ")
	}
	{
		rnd = $1; size = $2; name = $3
		if (rnd > nround) nround = rnd
		if (name == "floor") { nf++; frate[nf] = $4; fcpu[nf] = $10 }
		if (size == "-") next
		if (!(size in seen)) { seen[size] = 1; sz[++nsz] = size }
		rps[size, name] = rps[size, name] " " $4
		p50[size, name] = p50[size, name] " " $5
		p99[size, name] = p99[size, name] " " $6
		cpu[size, name] = cpu[size, name] " " $10
		own[size, name] = own[size, name] " " $11
		bytes[size, name] = $7
		if ($8 > 0) bad[size, name] += $8
		if ($9 != "") err[size, name] = $9
		if (name != "floor") {
			# against the floor run before this page and after it
			n++; prate[n] = $4; pcpu[n] = $10; pf[n] = nf
			pkey[n] = size SUBSEP name SUBSEP rnd
		}
	}
	END {
		for (i = 1; i <= n; i++) {
			k = pf[i]
			fr = (k + 1 in frate) ? (frate[k] + frate[k + 1]) / 2 : frate[k]
			fc = (k + 1 in fcpu) ? (fcpu[k] + fcpu[k + 1]) / 2 : fcpu[k]
			if (fr > 0) rr[pkey[i]] = prate[i] / fr
			if (pcpu[i] > 0) cr[pkey[i]] = fc / pcpu[i]
		}
		print "| cases | page | req/s | p50 ms | p99 ms | vs floor | spread of the ratio | bytes | worker max RSS MB | target | CPU µs/req | backend µs/req | vs floor by CPU |"
		print "|---:|---|---:|---:|---:|---:|---|---:|---:|---|---:|---:|---:|"
		for (s = 1; s <= nsz; s++) {
			size = sz[s]
			for (p = 1; p <= np; p++) {
				name = page[p]
				if (!((size, name) in rps)) continue
				rl = ""; cl = ""
				if (name == "floor") { rl = "1"; cl = "1" }
				else for (r = 1; r <= nround; r++) {
					if ((size, name, r) in rr) rl = rl " " rr[size, name, r]
					if ((size, name, r) in cr) cl = cl " " cr[size, name, r]
				}
				ratio = median(rl)
				t = ""
				if (name in minr)
					t = sprintf("≥ %.2f: %s", minr[name],
					    ratio >= minr[name] ? "met" : "MISSED")
				if (bad[size, name] > 0) t = t " (" bad[size, name] " non-2xx/3xx!)"
				if ((size, name) in err) t = t " (" err[size, name] ")"
				if (name == "floor")
					sp = sprintf("req/s %d–%d", lo(rps[size, name]),
					    hi(rps[size, name]))
				else
					sp = sprintf("%.2f–%.2f", lo(rl), hi(rl))
				printf "| %s | %s | %d | %.2f | %.2f | %.2f | %s | %d | %s | %s | %.0f | %.0f | %.2f |\n",
				    size, label[name], median(rps[size, name]),
				    median(p50[size, name]), median(p99[size, name]),
				    ratio, sp, bytes[size, name],
				    (name == "floor" ? "-" : rss[size]), t,
				    median(cpu[size, name]), median(own[size, name]),
				    median(cl)
			}
		}
		for (s = 2; s <= nsz; s++) {
			printf "\nKept at %s cases of the rate at %s (the ratio to the floor, paired by round; target ≥ 90%%):", sz[s], sz[1]
			for (p = 2; p <= np; p++)
				kept(rr, sz[s], page[p])
			printf "\n  by CPU per request:"
			for (p = 2; p <= np; p++)
				kept(cr, sz[s], page[p])
			printf "\n"
		}
		printf "\nSeeding took:"
		for (s = 1; s <= nsz; s++)
			printf " %s%s for %s cases;", seeded[sz[s]],
			    (seeded[sz[s]] ~ /^[0-9]+$/ ? " s" : ""), sz[s]
		printf "\nWorker RSS target: under 16 MB while serving pages:"
		for (s = 1; s <= nsz; s++)
			printf " %s MB at %s cases (%s);", rss[sz[s]], sz[s], (rss[sz[s]] + 0 < 16 ? "met" : "MISSED")
		printf "\n"
	}' "$tmp/rows"
awk -F '\t' 'NR == 1 { printf "\nWorker peak RSS right after the logins (argon2id takes 64 MiB, freed at once):" } { printf " %s MB at %s cases;", $2, $1 } END { if (NR) printf "\n" }' "$tmp/login_rss"
