#!/usr/bin/env bash
# Fails when an ELF contains SSE/AVX/x87 instructions. The core runs with the guest's
# FPU state live and never saves it, so one such instruction corrupts the guest
# (VMX instructions -- vmread, vmwrite, vmlaunch, ... -- are not AVX and are allowed)
# (platforms.md; the core is built -mgeneral-regs-only, this proves the link too).
set -euo pipefail
elf=$1
bad=$(objdump -d --no-show-raw-insn "$elf" |
	grep -P '%[xyz]mm[0-9]|%st\b|%k[0-7]\b|\t(f[a-z0-9]+|[ls]dmxcsr|v(?!(mread|mwrite|mlaunch|mresume|mxon|mxoff|mclear|mptrld|mptrst|mcall|mfunc)\b)[a-z0-9]+|xsave[a-z]*|xrstor[a-z]*)(\s|$)' ||
	true)
if [ -n "$bad" ]; then
	echo "check-no-fpu: $elf uses SSE/x87:" >&2
	echo "$bad" | head -n 20 >&2
	exit 1
fi
