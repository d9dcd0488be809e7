#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# test-boot.sh - boot hv.efi under QEMU 10 + OVMF six times and check each COM1 log,
# one TAP line per check (tests/lib/tap.sh). Pass/fail comes from the serial log (and
# QEMU's exit status for "ended by itself").
#
#   1. scalable-mode intel-iommu (x-scalable-mode=on): the whole boot, line by line;
#   2. legacy-mode intel-iommu (no x-scalable-mode): smoke, boots to "hv: boot complete";
#   3. scalable mode with first-level translation (x-flts=on, aw-bits=48): smoke;
#   4. a bad loader option (pool=1K): the loader refuses it and the run still ends;
#   5. hv.efi started from the UEFI shell: the command line comes from LoadOptions;
#   6. hv.efi with its embedded hv.elf corrupted (e_machine): refused, the run ends.
#
# Usage: tests/qemu/test-boot.sh [--efi FILE] [--timeout S per boot]
# Logs: build/qemu/boot-{scalable,legacy,flts,badopt,shell,badelf}.log.
# Exit status 0 when every check passed.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lib/tap.sh
. "$root/tests/lib/tap.sh"
# shellcheck source=tests/qemu/lib.sh
. "$root/tests/qemu/lib.sh"
qemu_test_args test-boot 40 "$@"

# "poweroff": hv.efi shuts the machine down after the core returns, so every run ends by
# itself. "debugexit=0xf4": a core that gives up (hv_halt) ends the run through QEMU's
# isa-debug-exit instead of halting until the timeout.
cmdline="poweroff debugexit=0xf4"

# boot NAME IOMMU_OPTS [CMDLINE [run-qemu.sh options...]]: one run (qemu_boot), with the
# default command line unless one is given.
boot()
{
	local name="$1" iommu="$2" cmd="${3:-$cmdline}"

	shift $(($# < 3 ? $# : 3))
	qemu_boot "$name" "$iommu" "$cmd" "$@"
}


tap_init qemu
start=$(date +%s)

# ---- 1. scalable mode: every step of the boot ----
boot boot-scalable "x-scalable-mode=on"
tap_check_log "$log" '^efi: hv\.efi loader' "loader banner"
tap_check_log "$log" '^efi: acpi: RSDP at 0x[0-9A-Fa-f]+' "loader finds the ACPI RSDP"
tap_check_log "$log" '^efi: core loaded: ' "loader validates and loads hv.elf"
tap_check_log "$log" '^efi: pool 64 MiB at 0x' "loader allocates the default 64-MiB pool"
tap_check_log "$log" '^efi: cpus: 2 enabled of 2' "loader lists both CPUs (MP services)"
tap_check_log "$log" '^efi: calling the core' "loader calls the core"
tap_check_log "$log" '^hv: ' "boot reaches core"
for stage in console memory paging cpu-tables acpi cpu; do
	tap_check_log "$log" "^hv: stage $stage: " "core stage $stage"
done
tap_check_log "$log" '^hv: boot complete' "core reports boot complete"
tap_check_log "$log" '^hv: vmx: not available' "core reports VMX absent under TCG"
tap_check_log "$log" '^efi: back from the core: status 0\b' "loader regains control, status 0"
qemu_ended "scalable"

# ---- 2. legacy mode (smoke) ----
boot boot-legacy "" "$cmdline pool=32M"
tap_check_log "$log" '^efi: pool 32 MiB at 0x' "loader honours pool=32M"
tap_check_log "$log" '^hv: boot complete' "legacy-mode intel-iommu: boot complete"
qemu_ended "legacy"

# ---- 3. scalable mode, first-level translation (smoke) ----
boot boot-flts "x-scalable-mode=on,x-flts=on,aw-bits=48"
tap_check_log "$log" '^hv: boot complete' "first-level intel-iommu: boot complete"
qemu_ended "flts"

# ---- 4. a bad loader option: refused before the core is touched, the run still ends ----
boot boot-badopt "x-scalable-mode=on" "$cmdline pool=1K"
tap_check_log "$log" '^efi: cmdline: pool= wants' "loader rejects pool=1K"
if grep -q '^efi: calling the core' "$log"; then
	tap_fail "loader does not call the core after a bad option" "see $log"
else
	tap_ok "loader does not call the core after a bad option"
fi
qemu_ended "bad option"

# ---- 5. from the UEFI shell: the command line as LoadOptions, argv[0] dropped ----
boot boot-shell "x-scalable-mode=on" "$cmdline pool=16M" --shell
tap_check_log "$log" '^efi: cmdline \(LoadOptions\): "poweroff debugexit=0xf4 pool=16M"$' \
	"loader takes the command line from LoadOptions (UEFI shell)"
tap_check_log "$log" '^hv: boot complete' "shell start: boot complete"
qemu_ended "shell"

# ---- 6. a corrupt core: hv.efi whose embedded ELF header says another machine ----
bad_efi="$qemu_dir/hv-badelf.efi"
if python3 - "$efi" "$bad_efi" <<'PY'; then
import sys
data = bytearray(open(sys.argv[1], "rb").read())
at = data.find(b"\x7fELF\x02\x01\x01")  # the embedded hv.elf; the PE has no ELF header
if at < 0:
    sys.exit(1)
data[at + 18] = 3  # e_machine = EM_386
open(sys.argv[2], "wb").write(data)
PY
	efi_saved="$efi"
	efi="$bad_efi"
	boot boot-badelf "x-scalable-mode=on"
	efi="$efi_saved"
	tap_check_log "$log" '^efi: elf: not an x86-64 ELF64 executable' \
		"loader rejects a corrupt hv.elf"
	if grep -q '^efi: calling the core' "$log"; then
		tap_fail "loader does not call a corrupt core" "see $log"
	else
		tap_ok "loader does not call a corrupt core"
	fi
	qemu_ended "corrupt core"
else
	tap_fail "loader rejects a corrupt hv.elf" "no embedded ELF header found in $efi"
fi

echo "# test-qemu: $(($(date +%s) - start)) s wall"
tap_done
