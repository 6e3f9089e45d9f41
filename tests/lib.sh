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
