#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tests/bochs/lib.sh - what every Bochs test script does with a run: start it in the
# background, tell whether it ended by itself, and check that a line is absent.
# Sourced after tests/lib/tap.sh by a script that sets: root (repo), dir (logs),
# elf (the core image) and timeout_s (seconds per run); the guest tests set those
# through guest_test_args.

# boot NAME CMDLINE [RUN-BOCHS OPTIONS]: start one run in the background; its status goes
# to NAME.status.
boot()
{
	local name="$1" cmdline="$2"
	shift 2

	rm -f "$dir/$name.log" "$dir/$name.status"
	(
		"$root/tests/bochs/run-bochs.sh" --elf "$elf" --log "$dir/$name.log" \
			--cmdline "$cmdline" --timeout "$timeout_s" "$@" >"$dir/$name.out" 2>&1
		echo $? >"$dir/$name.status"
	) &
}

# check_ended NAME: the run ended by itself: the core stopped Bochs with the magic
# breakpoint (hv_halt, or entry32.asm's fatal path), not the timeout, a panic or a crash.
check_ended()
{
	local name="$1" status

	status=$(cat "$dir/$name.status" 2>/dev/null || echo missing)
	if [ "$status" = 124 ]; then
		tap_fail "$name: run ends by itself" "killed after ${timeout_s} s; last COM1 lines:" \
			"$(tr -d '\r' <"$dir/$name.log" | tail -n 5)"
	elif [ "$status" = missing ] || [ "$status" = 2 ]; then
		tap_fail "$name: run ends by itself" "run-bochs failed to start Bochs:" \
			"$(tail -n 5 "$dir/$name.out")"
	elif ! grep -q 'Magic breakpoint' "$dir/$name.log.bochs-out.txt" 2>/dev/null; then
		tap_fail "$name: run ends by itself" \
			"Bochs stopped (status $status) without the core's magic breakpoint:" \
			"$(grep -E '^[0-9]+[ep]\[' "$dir/$name.log.bochs.txt" 2>/dev/null | tail -n 3)"
	else
		tap_ok "$name: run ends by itself"
	fi
}

# check_absent NAME REGEX DESC: no line of the COM1 log matches REGEX.
check_absent()
{
	local log="$dir/$1.log" re="$2" desc="$3"

	if [ -r "$log" ] && ! tr -d '\r' <"$log" | grep -E -- "$re" >/dev/null; then
		tap_ok "$desc"
	else
		tap_fail "$desc" "unexpected line in $log:" \
			"$(tr -d '\r' <"$log" 2>/dev/null | grep -E -m 3 -- "$re")"
	fi
}

# guest_test_args NAME HINT [ARGS...]: the options every test-guest script takes
# (--elf, --guest, --dir, --timeout) into elf, guest, dir and timeout_s (their defaults
# set by the caller first); guest_args is the test guest's command line. Makes dir and
# exits 2 when an image is missing (HINT says how to build it).
guest_test_args()
{
	local name="$1" hint="$2" f
	shift 2

	guest="${guest:-$root/build/guest/test-guest.elf}"
	guest_args="tap-guest probe=hv"
	while [ $# -gt 0 ]; do
		case "$1" in
		--elf) elf="$2"; shift 2 ;;
		--guest) guest="$2"; shift 2 ;;
		--dir) dir="$2"; shift 2 ;;
		--timeout) timeout_s="$2"; shift 2 ;;
		*) echo "$name: unknown option $1" >&2; exit 2 ;;
		esac
	done
	mkdir -p "$dir"
	for f in "$elf" "$guest"; do
		[ -r "$f" ] || { echo "$name: $f missing ($hint)" >&2; exit 2; }
	done
}
