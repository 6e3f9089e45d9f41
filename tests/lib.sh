#!/bin/sh
# lib.sh: shell functions the test and benchmark scripts share (sourced).

# A TCP port nobody listens on (nginx cannot pick one itself).
free_port() {
	while :; do
		p=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 ))
		ss -Hltn "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
	done
}

# wait_for URL | SOCKET | FILE: up to 10 s until the URL answers (any
# status, certificates not checked), the socket exists, or the file (a
# port file) is not empty.
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		case "$1" in
		http*) curl -sk -o /dev/null "$1" && return 0 ;;
		*) { [ -S "$1" ] || [ -s "$1" ]; } && return 0 ;;
		esac
		sleep 0.1; i=$((i + 1))
	done
	return 1
}

# start_nginx DIR RENDER [SCHEME] [READY]: a private nginx, everything
# under DIR, on two free loopback ports. RENDER is a shell function that
# prints the site configuration for "RENDER PORT PORT2"; READY, if given,
# a function that returns 0 once the site answers on "READY PORT" (by
# default: SCHEME://127.0.0.1:PORT/static/style.css answers within 10 s).
# $NGINX_CONF_SED, if set, is a sed script applied to
# tests/nginx-test.conf.in (under $top). A port taken between free_port
# and nginx's bind is retried with another, up to five times. Sets
# nginx_pid, nginx_port and nginx_port2; returns 1 when nginx did not
# start.
start_nginx() {
	sn_dir=$1
	sn_render=$2
	sn_scheme=${3:-http}
	sn_ready=${4:-}
	sn_user=""
	[ "$(id -u)" -eq 0 ] && sn_user="user root;"
	sn_tries=0
	while [ $sn_tries -lt 5 ]; do
		nginx_port=$(free_port)
		nginx_port2=$(free_port)
		[ "$nginx_port" != "$nginx_port2" ] || continue
		"$sn_render" "$nginx_port" "$nginx_port2" > "$sn_dir/site.conf"
		sed -e "s|@TMP@|$sn_dir|g" -e "s|@USER@|$sn_user|" \
		    -e "${NGINX_CONF_SED:-s|^||}" "$top/tests/nginx-test.conf.in" \
		    > "$sn_dir/nginx.conf"
		/usr/sbin/nginx -p "$sn_dir" -c "$sn_dir/nginx.conf" \
		    -e "$sn_dir/nginx-error.log" 2>> "$sn_dir/nginx-error.log" &
		nginx_pid=$!
		if [ -n "$sn_ready" ]; then
			"$sn_ready" "$nginx_port" && return 0
		elif wait_for "$sn_scheme://127.0.0.1:$nginx_port/static/style.css"; then
			return 0
		fi
		kill "$nginx_pid" 2>/dev/null || true
		wait "$nginx_pid" 2>/dev/null || true
		sn_tries=$((sn_tries + 1))
	done
	return 1
}

# stop_pid PID [SECONDS]: SIGTERM to a child of this shell, then up to
# SECONDS (default 10) for it to end. Returns 0 when it ended with status
# 0, 2 when it ended otherwise, 1 when it did not end in time (it is then
# killed with SIGKILL).
stop_pid() {
	kill "$1" 2>/dev/null || true
	sp_i=0
	while kill -0 "$1" 2>/dev/null; do
		# A child that has ended stays a zombie until waited for.
		case "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null || true)" in
		Z|"") break ;;
		esac
		sp_i=$((sp_i + 1))
		if [ $sp_i -gt $((${2:-10} * 10)) ]; then
			kill -KILL "$1" 2>/dev/null || true
			wait "$1" 2>/dev/null || true
			return 1
		fi
		sleep 0.1
	done
	sp_st=0
	wait "$1" 2>/dev/null || sp_st=$?
	[ $sp_st -eq 0 ] || return 2
	return 0
}
