# SPDX-License-Identifier: MIT
# shellcheck shell=bash
#
# tap.sh - TAP (Test Anything Protocol) helpers for the emulator tests (tests/qemu,
# tests/bochs). Source it from bash; it defines functions only and sets no shell options.
#
#   . tests/lib/tap.sh
#   tap_init qemu                       # prefix for every description: "qemu: ..."
#   tap_ok "boot reaches core"          # ok 1 - qemu: boot reaches core
#   tap_fail "vmx off" "no such line"   # not ok 2 - qemu: vmx off, then "# no such line"
#   tap_check_log run.log '^hv: boot complete' "boot complete"
#   tap_done                            # "1..N", then "N passed, M failed"; status 1 if M > 0
#
# Each check prints one line as it runs (the plan line comes last, which TAP allows), so
# a slow emulator run shows progress. A failing check's detail goes on "# " lines after it.

TAP_NAME=""
TAP_COUNT=0
TAP_PASSED=0
TAP_FAILED=0

# tap_init NAME - start a new series; NAME prefixes every description ("NAME: ...").
tap_init()
{
	TAP_NAME="${1:-}"
	TAP_COUNT=0
	TAP_PASSED=0
	TAP_FAILED=0
}

# _tap_desc DESCRIPTION - the description with the series prefix.
_tap_desc()
{
	if [ -n "$TAP_NAME" ]; then
		printf '%s: %s' "$TAP_NAME" "$1"
	else
		printf '%s' "$1"
	fi
}

# tap_ok DESCRIPTION - record a passed check.
tap_ok()
{
	TAP_COUNT=$((TAP_COUNT + 1))
	TAP_PASSED=$((TAP_PASSED + 1))
	printf 'ok %d - %s\n' "$TAP_COUNT" "$(_tap_desc "$1")"
	return 0
}

# tap_fail DESCRIPTION [DETAIL...] - record a failed check; each DETAIL line is printed
# as a TAP diagnostic ("# ...").
tap_fail()
{
	local desc="$1"
	shift
	TAP_COUNT=$((TAP_COUNT + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	printf 'not ok %d - %s\n' "$TAP_COUNT" "$(_tap_desc "$desc")"
	local line
	for line in "$@"; do
		printf '%s\n' "$line" | sed 's/^/# /'
	done
	return 0
}

# tap_check COND_STATUS DESCRIPTION [DETAIL...] - ok when COND_STATUS is 0, else fail.
tap_check()
{
	local status="$1"
	shift
	if [ "$status" -eq 0 ]; then
		tap_ok "$1"
	else
		tap_fail "$@"
	fi
}

# tap_check_log LOGFILE REGEX DESCRIPTION - ok when a line of LOGFILE matches the
# extended regular expression REGEX (grep -E). Carriage returns are ignored, since UEFI
# consoles end lines with CR LF. On failure the last lines of the log are shown.
tap_check_log()
{
	local log="$1" re="$2" desc="$3"

	if [ ! -r "$log" ]; then
		tap_fail "$desc" "log $log missing"
		return 0
	fi
	if tr -d '\r' <"$log" | grep -E -- "$re" >/dev/null; then
		tap_ok "$desc"
	else
		tap_fail "$desc" "no line matches /$re/ in $log; its last lines:" \
			"$(tr -d '\r' <"$log" | tail -n 5)"
	fi
}

# tap_done - print the plan line and the summary line "N passed, M failed"; returns 1
# when a check failed or none ran, else 0.
tap_done()
{
	printf '1..%d\n' "$TAP_COUNT"
	printf '%d passed, %d failed\n' "$TAP_PASSED" "$TAP_FAILED"
	[ "$TAP_FAILED" -eq 0 ] && [ "$TAP_COUNT" -gt 0 ]
}
