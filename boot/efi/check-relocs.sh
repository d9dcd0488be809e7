#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# check-relocs.sh SO - fail unless every dynamic relocation in the GNU-EFI shared object
# SO is R_X86_64_RELATIVE. gnu-efi's self-relocator (_relocate, reloc_x86_64.c) applies
# those and silently skips any other kind, which would leave a pointer unrelocated in
# hv.efi (platforms.md). Also fails on an undefined dynamic symbol.
set -euo pipefail

so="$1"
bad=$(readelf -rW "$so" | awk '/^[0-9a-f]+ +[0-9a-f]+ +R_/ && $3 != "R_X86_64_RELATIVE"')
if [ -n "$bad" ]; then
	echo "check-relocs: $so has relocations gnu-efi does not apply:" >&2
	echo "$bad" >&2
	exit 1
fi
undef=$(nm -D --undefined-only "$so" 2>/dev/null || true)
if [ -n "$undef" ]; then
	echo "check-relocs: $so has undefined dynamic symbols:" >&2
	echo "$undef" >&2
	exit 1
fi
exit 0
