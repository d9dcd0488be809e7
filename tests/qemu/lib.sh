#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tests/qemu/lib.sh - what every QEMU test script does: take its options, boot hv.efi
# (in the foreground or in the background), read back a boot's log and status, tell
# whether a run ended by itself, and turn a self-test's "PREFIX: ok|FAIL - ..." lines into
# TAP lines. Sourced after tests/lib/tap.sh; the caller sets root (the repo).

# qemu_test_args NAME DEFAULT_TIMEOUT [ARGS...]: --efi FILE, --timeout S (per boot) and
# --model FILE (test-diff's hosted half) into efi, per_boot_timeout and model; qemu_dir
# made. Exits 2 on an unknown option or a missing hv.efi.
qemu_test_args()
{
	local name="$1"

	efi="$root/build/hv.efi"
	model="$root/build/unit/diff_model"
	per_boot_timeout="$2"
	shift 2
	while [ $# -gt 0 ]; do
		case "$1" in
		--efi) efi="$2"; shift 2 ;;
		--timeout) per_boot_timeout="$2"; shift 2 ;;
		--model) model="$2"; shift 2 ;;
		*) echo "$name: unknown option $1" >&2; exit 2 ;;
		esac
	done
	[ -r "$efi" ] || { echo "$name: no $efi" >&2; exit 2; }
	qemu_dir="$root/build/qemu"
	mkdir -p "$qemu_dir"
}

# qemu_boot NAME IOMMU_OPTS CMDLINE [run-qemu.sh options...]: one run; the serial log
# without CRs and escape sequences in $qemu_dir/NAME.log, QEMU's exit status in
# NAME.status, then qemu_load NAME. Runs in the background when the caller adds '&'
# (call qemu_load NAME after 'wait').
qemu_boot()
{
	local name="$1" iommu="$2" cmd="$3" s=0
	shift 3

	"$root/tests/qemu/run-qemu.sh" --efi "$efi" --name "$name" \
		--log "$qemu_dir/$name.raw.log" --cmdline "$cmd" --iommu "$iommu" \
		--timeout "$per_boot_timeout" "$@" 2>"$qemu_dir/$name.stderr" || s=$?
	tr -d '\r' <"$qemu_dir/$name.raw.log" | sed 's/\x1b\[[0-9;=?]*[A-Za-z]//g' \
		>"$qemu_dir/$name.log"
	echo "$s" >"$qemu_dir/$name.status"
	qemu_load "$name"
}

# qemu_load NAME: log, status and run_name of a finished boot.
qemu_load()
{
	run_name="$1"
	log="$qemu_dir/$1.log"
	status=$(cat "$qemu_dir/$1.status" 2>/dev/null || echo 1)
}

# qemu_ended LABEL: the loaded run ended by itself (firmware shutdown after
# "efi: poweroff", exit status 0), not by the timeout, a triple fault or a crash.
qemu_ended()
{
	local desc="${1:+$1: }run ended by itself"

	if [ "$status" -eq 0 ] && grep -q '^efi: poweroff' "$log"; then
		tap_ok "$desc (poweroff, exit status 0)"
	elif [ "$status" -eq 124 ]; then
		tap_fail "$desc" "killed after ${per_boot_timeout}s; log $log" "$(tail -n 5 "$log")"
	elif grep -q 'Triple fault' "$qemu_dir/$run_name/qemu.log" 2>/dev/null; then
		tap_fail "$desc" "triple fault; CPU state at the reset in" \
			"$qemu_dir/$run_name/qemu.log, log $log" "$(tail -n 3 "$log")"
	else
		tap_fail "$desc" "QEMU exit status $status; log $log" "$(tail -n 5 "$log")"
	fi
}

# qemu_selftest_lines LABEL PREFIX: each "PREFIX: ok|FAIL - what" line of the loaded log
# as one TAP line ("LABEL: what"), a failure when there is none, and the self-test's
# "PREFIX: N passed, 0 failed" summary.
qemu_selftest_lines()
{
	local label="${1:+$1: }" prefix="$2" line

	if ! grep -Eq "^$prefix: (ok|FAIL) - " "$log"; then
		tap_fail "${label}the self-test printed its checks" "no $prefix: lines in $log" \
			"$(tail -n 5 "$log")"
	fi
	while IFS= read -r line; do
		case "$line" in
		"$prefix: ok - "*) tap_ok "$label${line#"$prefix: ok - "}" ;;
		*) tap_fail "$label${line#"$prefix: FAIL - "}" "see $log" ;;
		esac
	done < <(grep -E "^$prefix: (ok|FAIL) - " "$log")
	tap_check_log "$log" "^$prefix: [0-9]+ passed, 0 failed$" "${label}self-test summary, 0 failed"
}
