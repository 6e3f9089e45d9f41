#!/bin/sh
# The documented deployment, tested (make check; docs/deploy.md):
#
#  1. `make install DESTDIR=$tmp/dest PREFIX=/usr` into a temporary directory;
#  2. the nginx site exactly as docs/deploy.md gives it (read from the
#     installed copy), changing only the listen ports, the socket path and
#     the paths under the private prefix (share dir, TLS certificate, logs);
#     it must contain every line of the site template the integration
#     tests run (docs/nginx/zizhi-site.conf), filled in;
#  3. the workers with the command line of the installed
#     zizhi-fcgi.service, given the socket on fd 0 as systemd's socket unit
#     does (spawn-fcgi -n), from the installed binary, outside the source
#     tree;
#  4. a smoke journey over HTTPS: home page, a static file served by nginx
#     from the installed share dir, register, log out, log in, create a
#     case, the calculator, a 404 page, the port-80 redirect;
#  5. everything stopped by PID.
#
#   sh tests/deploy_test.sh BUILD_DIR
set -eu
. "$(dirname "$0")/lib.sh"
build=${1:-build}
top=$(pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/zizhi-deploy.XXXXXX")
pids=""
start=$(date +%s)

cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	for p in $pids; do wait "$p" 2>/dev/null || true; done
	if [ "${keep:-0}" = 1 ]; then echo "deploy test: files kept in $tmp" >&2
	else rm -rf "$tmp"; fi
}
trap cleanup EXIT INT TERM

fail() {
	echo "deploy test: FAILED: $*" >&2
	for f in "$tmp"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 20 "$f"; } >&2; done
	keep=1
	exit 1
}




# ---- 1. install ---------------------------------------------------------
dest="$tmp/dest"
${MAKE:-make} -s --no-print-directory install BUILD="$build" DESTDIR="$dest" PREFIX=/usr \
    > "$tmp/install.log" 2>&1 || fail "make install failed"
prefix="$dest/usr"
bin="$prefix/bin/zizhi"
share="$prefix/share/zizhi"
doc="$prefix/share/doc/zizhi"
for f in "$bin" "$share/static/style.css" "$share/schema.sql" "$doc/deploy.md" \
    "$doc/nginx/zizhi-site.conf" "$doc/deploy/zizhi-fcgi.service" \
    "$doc/deploy/zizhi-fcgi.socket" "$doc/deploy/zizhi-sweep.service" \
    "$doc/deploy/zizhi-sweep.timer" "$doc/deploy/zizhi.cron" \
    "$doc/deploy/smtp.conf.example"; do
	[ -f "$f" ] || fail "make install did not install $f"
done
[ -x "$bin" ] || fail "$bin is not executable"

# ---- 2. the documented site ---------------------------------------------
awk '/^# \/etc\/nginx\/sites-available\/zizhi$/ { on = 1 }
     on && /^```/ { exit }
     on { print }' "$doc/deploy.md" > "$tmp/site.documented"
[ -s "$tmp/site.documented" ] || fail "no nginx site block in deploy.md"

# The template, filled with the documented values, must be in it.
sed -e '/@LISTEN@/d' -e '/server_name/d' -e 's|@SOCKET@|/run/zizhi/fcgi.sock|' \
    -e 's|@SHARE@|/usr/local/share/zizhi|' -e 's|@MAX_BODY@|66m|' \
    "$doc/nginx/zizhi-site.conf" |
    sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' |
    grep -v '^$' > "$tmp/template.lines" || true
sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' \
    "$tmp/site.documented" > "$tmp/documented.lines"
while IFS= read -r line; do
	grep -qxF -- "$line" "$tmp/documented.lines" ||
	    fail "deploy.md's site lacks the template's line: $line"
done < "$tmp/template.lines"

# A self-signed certificate for 127.0.0.1.
mkdir -p "$tmp/ssl" "$tmp/run" "$tmp/data"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
    -keyout "$tmp/ssl/privkey.pem" -out "$tmp/ssl/fullchain.pem" \
    > "$tmp/openssl.log" 2>&1 || fail "openssl could not make a certificate"

# ---- 3. the workers, as the installed unit runs them --------------------
# The service's ExecStart, with the private prefix and data directory.
exec_start=$(sed -n 's/^ExecStart=//p' "$doc/deploy/zizhi-fcgi.service")
case "$exec_start" in
*" fcgi "*) ;;
*) fail "zizhi-fcgi.service does not run zizhi fcgi: $exec_start" ;;
esac
grep -qx 'StandardInput=socket' "$doc/deploy/zizhi-fcgi.service" ||
    fail "zizhi-fcgi.service does not take the socket on standard input"
grep -qx 'Restart=always' "$doc/deploy/zizhi-fcgi.service" ||
    fail "zizhi-fcgi.service is not restarted when it dies"
grep -qx 'ListenStream=/run/zizhi/fcgi.sock' "$doc/deploy/zizhi-fcgi.socket" &&
grep -qx 'SocketGroup=www-data' "$doc/deploy/zizhi-fcgi.socket" &&
grep -qx 'SocketMode=0660' "$doc/deploy/zizhi-fcgi.socket" ||
    fail "zizhi-fcgi.socket is not /run/zizhi/fcgi.sock, www-data, 0660"
cmd=$(echo "$exec_start" | sed -e "s|/usr/local/bin/|$prefix/bin/|" \
    -e "s|/var/lib/zizhi/|$tmp/data/|g")
db="$tmp/data/zizhi.db"
sock="$tmp/run/fcgi.sock"

# The documented site on two free loopback ports.
site() {
	sed -e "s|^\([[:space:]]*\)listen 443 ssl;|\1listen 127.0.0.1:$1 ssl;|" \
	    -e "s|^\([[:space:]]*\)listen 443 ssl default_server;|\1listen 127.0.0.1:$1 ssl default_server;|" \
	    -e "s|^\([[:space:]]*\)listen 80;|\1listen 127.0.0.1:$2;|" \
	    -e "s|^\([[:space:]]*\)listen 80 default_server;|\1listen 127.0.0.1:$2 default_server;|" \
	    -e "s|return 301 https://zizhi.example.cn|return 301 https://zizhi.example.cn:$1|" \
	    -e "s|/run/zizhi/fcgi.sock|$sock|g" \
	    -e "s|/usr/local/share/zizhi|$share|g" \
	    -e "s|/etc/ssl/zizhi/|$tmp/ssl/|g" \
	    -e "s|/var/log/nginx/|$tmp/|g" "$tmp/site.documented"
}
# The site answers only to its name: curl is told where that name is.
host=zizhi.example.cn
wait_site() {	# wait_site PORT
	i=0
	while [ $i -lt 100 ]; do
		curl -sk -o /dev/null --resolve "$host:$1:127.0.0.1" \
		    "https://$host:$1/static/style.css" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
start_nginx "$tmp" site https wait_site ||
    fail "nginx did not start with the documented site"
pids="$pids $nginx_pid"
port=$nginx_port
hport=$nginx_port2

# From outside the source tree: the binary needs nothing from it. The
# unit's environment file gives the site's address.
cd "$tmp"
"$bin" init --db "$db" > "$tmp/init.log" 2>&1 || fail "zizhi init failed"
# spawn-fcgi -n opens the socket and execs zizhi fcgi with it on fd 0,
# as systemd's zizhi-fcgi.socket does; the PID is the supervisor's.
# shellcheck disable=SC2086
ZIZHI_PUBLIC_URL="https://$host:$port" \
    spawn-fcgi -n -s "$sock" -M 0660 -- $cmd > "$tmp/fcgi.log" 2>&1 &
pids="$pids $!"
wait_for "$sock" || fail "zizhi fcgi did not start"
i=0
until grep -q "workers on fd 0" "$tmp/fcgi.log"; do
	i=$((i + 1))
	[ $i -lt 50 ] || fail "zizhi fcgi did not start on the socket as fd 0"
	sleep 0.1
done

url="https://$host:$port"
resolve="$host:$port:127.0.0.1"
echo "deploy test: installed into $dest; nginx (documented site) at $url and :$hport"

# ---- 4. the smoke journey -----------------------------------------------
jar="$tmp/jar"
n=0
# get PATH [curl options...]: fetch into $tmp/body, headers into $tmp/head;
# sets code.
get() {
	p=$1; shift
	code=$(curl -sk --resolve "$resolve" -b "$jar" -c "$jar" \
	    -D "$tmp/head" -o "$tmp/body" -w '%{http_code}' "$@" "$url$p") ||
	    fail "curl $p failed"
}
post() {	# post PATH DATA...
	p=$1; shift
	for d in "$@"; do set -- "$@" --data-urlencode "$d"; shift; done
	get "$p" -H "Origin: $url" "$@"
}
expect() {	# expect CODE WHAT [TEXT-IN-BODY]
	n=$((n + 1))
	[ "$code" = "$1" ] || fail "$2: HTTP $code, expected $1"
	if [ $# -ge 3 ]; then
		grep -qF -- "$3" "$tmp/body" || fail "$2: the page lacks \"$3\""
	fi
}
header() {	# header NAME: the value of a response header
	tr -d '\r' < "$tmp/head" | sed -n "s/^$1: //Ip" | head -n 1
}
csrf() {
	sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$tmp/body" | head -n 1
}

get /
expect 200 "home page" "</html>"
[ -n "$(header Content-Security-Policy)" ] ||
    fail "home page: no Content-Security-Policy from the application"

# A static file from the installed share directory, by nginx: the marker
# added to the installed copy proves it is not the binary's embedded copy.
echo "/* deploy-test $$ */" >> "$share/static/style.css"
get /static/style.css
expect 200 "static file" "deploy-test $$"
[ "$(header Cache-Control)" = "public, max-age=3600" ] ||
    fail "static file: not nginx's Cache-Control header"
get /static/no-such-file.css
expect 404 "missing static file" "</html>"

email="deploy-$$@example.com"
pw="deploy-test-password-1"
get /register
expect 200 "registration form" 'name="org_name"'
post /register "org_name=部署测试信息技术有限公司" "name=测试联系人" \
    "email=$email" "password=$pw" "password2=$pw"
expect 303 "registration"
# Registering does not log in (the answer is the same for a taken
# address): log in.
post /login "email=$email" "password=$pw"
expect 303 "login after registration"
grep -q '__Host-zizhi' "$jar" || fail "login: no __Host-zizhi cookie over HTTPS"
get /cases
expect 200 "case list after registration"
token=$(csrf)
[ -n "$token" ] || fail "case list: no CSRF token"
post /logout "csrf=$token"
expect 303 "logout"
get /cases
[ "$code" = 303 ] || [ "$code" = 403 ] || fail "case list after logout: HTTP $code"
post /login "email=$email" "password=wrong-password-123"
expect 401 "login with a wrong password" "电子邮箱或密码不正确"
post /login "email=$email" "password=$pw"
expect 303 "login"
get /cases
expect 200 "case list after login"
token=$(csrf)
post /cases "csrf=$token"
expect 303 "new case"
loc=$(header Location)
case "$loc" in
*/cases/*/form/s1) ;;
*) fail "new case: redirected to \"$loc\", not to the form" ;;
esac
get "${loc#"$url"}"
expect 200 "the new case's form"
# A POST from another site's page is refused.
code=$(curl -sk --resolve "$resolve" -b "$jar" -o /dev/null \
    -w '%{http_code}' -H "Origin: https://evil.example" \
    --data "csrf=$token" "$url/cases")
expect 403 "POST with another site's Origin"

get /calculator
expect 200 "calculator" "</form>"
get /no/such/page
expect 404 "404 page" "页面不存在"

code=$(curl -s --resolve "$host:$hport:127.0.0.1" -o /dev/null \
    -w '%{http_code}' "http://$host:$hport/calculator")
expect 301 "port 80 redirect"

# HSTS on every answer over TLS: a page, a static file, the 404 of a
# missing static file (the @zizhi location), nginx's own 400.
for p in / /static/style.css /static/no-such-file.css /no/such/page; do
	get "$p"
	n=$((n + 1))
	[ "$(header Strict-Transport-Security)" = "max-age=31536000" ] ||
	    fail "$p (HTTP $code): no Strict-Transport-Security header"
done
code=$(curl -sk --resolve "$resolve" -D "$tmp/head" -o "$tmp/body" \
    -w '%{http_code}' --path-as-is "$url/%zz")
expect 400 "a request nginx finds malformed" "请求有误"
[ "$(header Strict-Transport-Security)" = "max-age=31536000" ] ||
    fail "nginx's 400: no Strict-Transport-Security header"

# A request naming another host never reaches the workers (reset-link
# poisoning), over TLS and over plain HTTP.
nout=$(sqlite3 "$db" "SELECT count(*) FROM outbox")
for scheme in https http; do
	[ $scheme = https ] && p=$port || p=$hport
	if curl -sk --resolve "$host:$p:127.0.0.1" -o /dev/null \
	    -H "Host: attacker.example" --data-urlencode "email=$email" \
	    "$scheme://$host:$p/password/forgot"; then
		fail "Host: attacker.example over $scheme was answered"
	fi
	n=$((n + 1))
done
[ "$(sqlite3 "$db" "SELECT count(*) FROM outbox")" = "$nout" ] ||
    fail "a request with a forged Host reached the application"
# The reset link, asked for properly, names the configured address.
post /password/forgot "email=$email"
sqlite3 "$db" "SELECT body FROM outbox ORDER BY id DESC LIMIT 1" \
    > "$tmp/mail.txt"
grep -qF "$url/password/reset?token=" "$tmp/mail.txt" ||
    fail "the reset e-mail does not link to $url"
n=$((n + 1))

# ---- 5. stop everything by PID ------------------------------------------
cd "$top"
for p in $pids; do
	kill "$p" 2>/dev/null || true
	wait "$p" 2>/dev/null || fail "a process (pid $p) did not exit cleanly"
done
pids=""
echo "deploy test: $n checks passed in $(( $(date +%s) - start )) s"
