#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# test-boot.sh - boot hv.elf under Bochs (GRUB, Multiboot2, tigerlake) and check the COM1
# logs, one TAP line per fact (tests/lib/tap.sh).
#
#   tests/bochs/test-boot.sh [--elf build/hv.elf] [--dir build/bochs] [--timeout S]
#
# Four boots, run side by side (each is a single-threaded Bochs):
#   boot       default command line: GRUB reaches the core through Multiboot2, every
#              boot stage reports, VMX with EPT and VPID is found, the boot completes,
#              no exception, and the run ends by itself (hv_halt's magic breakpoint).
#   exception  selftest=exception: the core's exception handler prints its report
#              (vector, error code, RIP, CR2, general registers) and the run ends.
#   mbi        two module2 lines and pool=32M loglevel=3: the modules and the pool size
#              arrive in boot_info, the modules and the MBI are marked boot-data.
#   nolm       a CPU without long mode (Bochs p3_katmai): boot/mb2/entry32.asm says so on
#              COM1 and stops the run instead of faulting.
# Pass or fail comes from the COM1 logs (build/bochs/<name>.log), not from Bochs's exit
# status (platforms.md). Exit status: 0 when every check passed, 1 otherwise.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
elf="$root/build/hv.elf"
dir="$root/build/bochs"
timeout_s=90

while [ $# -gt 0 ]; do
	case "$1" in
	--elf) elf="$2"; shift 2 ;;
	--dir) dir="$2"; shift 2 ;;
	--timeout) timeout_s="$2"; shift 2 ;;
	*) echo "test-boot: unknown option $1" >&2; exit 2 ;;
	esac
done

# shellcheck source=tests/lib/tap.sh
. "$root/tests/lib/tap.sh"
# shellcheck source=tests/bochs/lib.sh
. "$root/tests/bochs/lib.sh"
mkdir -p "$dir"


# bochs_evidence NAME FAILED_BEFORE: when checks of run NAME failed, show what Bochs itself
# said: errors, panics and failed VM-entry checks (platforms.md: the log names them).
bochs_evidence()
{
	local name="$1" before="$2" blog="$dir/$1.log.bochs.txt"

	[ "$TAP_FAILED" -gt "$before" ] || return 0
	echo "# $name: Bochs log $blog; its errors, panics and VM-entry failures:"
	grep -E '^[0-9]+[ep]\[|VMENTER|VMFAIL|PANIC|triple' "$blog" 2>/dev/null |
		tail -n 8 | sed 's/^/#   /'
}

if [ ! -r "$elf" ]; then
	echo "test-boot: no core at $elf (make build/hv.elf)" >&2
	exit 2
fi

start=$(date +%s)
boot boot ""
boot exception "selftest=exception"
printf 'first module\n' >"$dir/mod-a.txt"
printf 'second module, a little longer\n' >"$dir/mod-b.txt"
boot mbi "pool=32M loglevel=3" --module "$dir/mod-a.txt:guest kernel args" \
	--module "$dir/mod-b.txt"
boot nolm "" --cpu-model p3_katmai
wait

tap_init bochs

# --- the image itself ---------------------------------------------------------------------
if grub-file --is-x86-multiboot2 "$elf"; then
	tap_ok "image: GRUB accepts hv.elf as Multiboot2 (grub-file)"
else
	tap_fail "image: GRUB accepts hv.elf as Multiboot2 (grub-file)" \
		"grub-file --is-x86-multiboot2 $elf failed: boot/mb2/header.asm"
fi

# --- boot: the normal path -------------------------------------------------------------
log="$dir/boot.log"
failed=$TAP_FAILED
check_ended boot
tap_check_log "$log" \
	'^mb2: boot information at 0x[0-9a-f]+ \([0-9]+ bytes\): [1-9][0-9]* memory ranges' \
	"boot: GRUB hands over Multiboot2 boot information"
tap_check_log "$log" '^hv: boot: .*Multiboot2' "boot: core reports the Multiboot2 boot path"
for stage in console memory paging cpu-tables acpi cpu; do
	tap_check_log "$log" "^hv: stage $stage:" "boot: stage $stage reports"
done
tap_check_log "$log" '^hv: stage cpu: .*VMX present' "boot: VMX reported present"
tap_check_log "$log" '^[a-z]+: vmx: VMCS revision 0x4,' "boot: VMCS revision 4 (tigerlake)"
tap_check_log "$log" '^[a-z]+: vmx: secondary controls yes: .*EPT yes' \
	"boot: EPT reported with VMX (tigerlake)"
tap_check_log "$log" '^[a-z]+: vmx: secondary controls yes: .*VPID yes' \
	"boot: VPID reported with VMX (tigerlake)"
tap_check_log "$log" '^hv: boot complete' "boot: boot completes"
check_absent boot 'EXCEPTION' "boot: no exception"
bochs_evidence boot "$failed"

# --- exception: the handler's report ---------------------------------------------------
log="$dir/exception.log"
failed=$TAP_FAILED
check_ended exception
# selftest=exception raises #UD (ud2) in the core, after the IDT is loaded.
tap_check_log "$log" '^hv: EXCEPTION #UD \(vector 6\) error code 0x[0-9a-f]+' \
	"exception: vector and error code reported"
tap_check_log "$log" '^hv: EXCEPTION RIP 0xffffffff81[0-9a-f]{6} ' \
	"exception: RIP reported, inside the core's image"
tap_check_log "$log" '^hv: EXCEPTION .*CR2 0x[0-9a-f]{16}' "exception: CR2 reported"
tap_check_log "$log" '^hv: EXCEPTION RAX 0x[0-9a-f]{16} RBX 0x[0-9a-f]{16}' \
	"exception: general registers reported"
tap_check_log "$log" '^hv: EXCEPTION .*CPU stopped' "exception: CPU stopped after the report"
check_absent exception '^hv: boot complete' "exception: boot does not go on after it"
bochs_evidence exception "$failed"

# --- mbi: modules, pool size, memory map -------------------------------------------------
log="$dir/mbi.log"
failed=$TAP_FAILED
check_ended mbi
tap_check_log "$log" '^mb2: boot information .*: [0-9]+ memory ranges, 2 modules,' \
	"mbi: both modules reach boot_info"
tap_check_log "$log" '^mb2: boot information .*, HV pool 0x[0-9a-f]*00000\+32 MiB$' \
	"mbi: pool=32M gives a 2-MiB aligned 32 MiB pool"
tap_check_log "$log" '^hv: stage memory: .*hv pool 32 MiB' "mbi: core sees the 32 MiB pool"
tap_check_log "$log" '^hv: +mem \[0x[0-9a-f]+-0x[0-9a-f]+\) boot-data' \
	"mbi: MBI and modules are boot-data in the memory map"
tap_check_log "$log" '^hv: +mem \[0x0*1000000-0x[0-9a-f]+\) hv-image' \
	"mbi: the image at 16 MiB is hv-image in the memory map"
tap_check_log "$log" '^hv: boot complete' "mbi: boot completes"
bochs_evidence mbi "$failed"

# --- nolm: the 32-bit entry's CPU check ---------------------------------------------------
log="$dir/nolm.log"
failed=$TAP_FAILED
check_ended nolm
tap_check_log "$log" '^mb2: this CPU has no long mode' "nolm: missing long mode reported on COM1"
bochs_evidence nolm "$failed"

echo "# bochs: COM1 logs in $dir (boot.log, exception.log, mbi.log, nolm.log);" \
	"wall time $(($(date +%s) - start)) s"
tap_done
