#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seed corpora of the fuzz targets (tests/fuzz/fuzz.mk): a few small, valid
inputs per target, so libFuzzer starts past the first length and signature checks.
Usage: gen_seeds.py DIR  (writes DIR/<target>/<name>)."""
import os
import struct
import sys


def csum_fix(b, at):
    b = bytearray(b)
    b[at] = 0
    b[at] = (-sum(b)) & 0xff
    return bytes(b)


def acpi_header(sig, body, rev=1):
    h = struct.pack('<4sIBB6s8sIII', sig, 36 + len(body), rev, 0, b'FUZZER', b'SEEDTBL ',
                    1, 0x5a5a5a5a, 1)
    return csum_fix(h + body, 9)


# ---- DMAR (VT-d §8) ------------------------------------------------------------------
def scope(typ, bus, path, enum_id=0):
    p = b''.join(struct.pack('<BB', d, f) for d, f in path)
    return struct.pack('<BBBBBB', typ, 6 + len(p), 0, 0, enum_id, bus) + p


def drhd(flags, seg, base, scopes=b''):
    return struct.pack('<HHBBHQ', 0, 16 + len(scopes), flags, 0, seg, base) + scopes


def rmrr(seg, base, limit, scopes):
    return struct.pack('<HHHHQQ', 1, 24 + len(scopes), 0, seg, base, limit) + scopes


def atsr(flags, seg, scopes=b''):
    return struct.pack('<HHBBH', 2, 8 + len(scopes), flags, 0, seg) + scopes


def rhsa(base, dom):
    return struct.pack('<HHIQI', 3, 20, 0, base, dom)


def satc(flags, seg, scopes):
    return struct.pack('<HHBBH', 5, 8 + len(scopes), flags, 0, seg) + scopes


def dmar(structs, haw=46, flags=1):
    return acpi_header(b'DMAR', struct.pack('<BB10x', haw - 1, flags) + structs)


DMAR_FULL = dmar(
    drhd(0, 0, 0xfed90000, scope(1, 0, [(2, 0)]) + scope(1, 0, [(0x1c, 0), (0, 0)])) +
    drhd(1, 0, 0xfed91000, scope(3, 0xf0, [(0x1f, 0)], 2) + scope(4, 0, [(0x1f, 0)], 0)) +
    rmrr(0, 0x3e000000, 0x3e7fffff, scope(1, 0, [(0x14, 0)])) +
    atsr(0, 0, scope(2, 0, [(0x1c, 0)])) + rhsa(0xfed90000, 0) +
    satc(1, 0, scope(1, 0, [(2, 0)])))
DMAR_QEMU = dmar(drhd(1, 0, 0xfed90000), haw=39)

# ---- ACPI: flags byte + memory image at HPA 0x10000, RSDP at its start ---------------
MEM = 0x10000


def acpi_image(fix):
    facp = acpi_header(b'FACP', bytes(80), 6)
    apic = acpi_header(b'APIC', struct.pack('<II', 0xfee00000, 1) +
                       struct.pack('<BBBBI', 0, 8, 0, 0, 1))
    tables = [facp, apic, DMAR_QEMU]
    off = 48 + 64 + 64  # RSDP (padded), XSDT and RSDT slots
    addrs, blob = [], b''
    for t in tables:
        addrs.append(MEM + off + len(blob))
        blob += t + bytes((-len(t)) % 8)
    xsdt = acpi_header(b'XSDT', b''.join(struct.pack('<Q', a) for a in addrs))
    rsdt = acpi_header(b'RSDT', b''.join(struct.pack('<I', a) for a in addrs))
    rsdp = struct.pack('<8sB6sBIIQB3x', b'RSD PTR ', 0, b'FUZZER', 2, MEM + 48 + 64, 36,
                       MEM + 48, 0)
    rsdp = csum_fix(rsdp[:20], 8) + rsdp[20:]
    rsdp = csum_fix(rsdp, 32)
    img = rsdp.ljust(48, b'\0') + xsdt.ljust(64, b'\0') + rsdt.ljust(64, b'\0') + blob
    return bytes([1 if fix else 0]) + img


# ---- Multiboot2 information ------------------------------------------------------------
def tag(typ, body):
    t = struct.pack('<II', typ, 8 + len(body)) + body
    return t + bytes((-len(t)) % 8)


def mbi(cmdline=b'loglevel=3 pool=64M', modules=1):
    tags = tag(1, cmdline + b'\0')
    for i in range(modules):
        tags += tag(3, struct.pack('<II', 0x800000 + i * 0x100000, 0x880000 + i * 0x100000) +
                    b'guest.elf\0')
    ents = [(0, 0x9f000, 1), (0x9f000, 0x61000, 2), (0x100000, 0x7ff00000, 1),
            (0x7fff0000, 0x10000, 3), (0xfec00000, 0x1000, 2), (0x100000000, 0x40000000, 1)]
    tags += tag(6, struct.pack('<II', 24, 0) +
                b''.join(struct.pack('<QQII', b, l, t, 0) for b, l, t in ents))
    tags += tag(15, acpi_image(False)[1:37])
    tags += tag(0, b'')
    return struct.pack('<II', 8 + len(tags), 0) + tags


# ---- memmap_add records: type (bit 7: small addresses), base, size -----------------------
def rec(typ, base, size, small=False):
    return struct.pack('<BQQ', typ | (0x80 if small else 0), base, size)


MEMMAP = [
    rec(1, 0, 0x9fc00) + rec(2, 0x9fc00, 0x400) + rec(1, 0x100000, 0x7ff00000) +
    rec(8, 0x200000, 0x100000) + rec(9, 0x1000000, 0x4000000) + rec(3, 0x7fff0000, 0x10000),
    rec(1, 0x1234, 0x5678, True) + rec(10, 0x3000, 0x10, True) + rec(1, 0x2000, 0x8000, True) +
    rec(11, 0x4fff, 2, True),
    rec(1, 0xfffffffffffff000, 0x1000) + rec(5, 0xffffffffffff0000, 0x10000),
]

# ---- hypercalls: RAX, RBX, RCX, RDX, RSI, then guest RAM ------------------------------
# An argument with bits 63:62 = 0 is a GPA: 0x2000 is guest RAM's first byte.
def hc(nr, a0, ram=b''):
    return struct.pack('<QQQQQ', nr, a0, 0, 0, 0) + ram


HYPERCALL = [
    hc(0, 0),
    hc(1, 0),
    hc(2, 0x2000 + 0x100, bytes(0x100) + struct.pack('<I', 48)),
    hc(3, 0x2000, struct.pack('<I', 4096)),
    hc(4, 0x2000 + 0x40),
]


# ---- vSVA (fuzz_vsva.c): config byte (bit 0: software nesting), then op records -----------
# Structures at GPA RAM_GPA: struct_gpa() offset 0x100; pages 1..5 hold a guest FL walk of
# GVA 0 -> page 5. Selectors: arg() 0 byte, 2 device (0 = A, 1 = B), 3 PASID (0 = first
# allocated); PASID/device selector bytes below 200/240 pick from history/table.
def v_call(nr, *args):
    return bytes([1, nr]) + b''.join(bytes(a) for a in args)


V_DEV_A = (2, 0)
V_DEV_B = (2, 1)
V_PASID = (3, 0)


def v_num(n):
    return (0, n)


V_FL = b''.join(bytes([5, 3, t]) + struct.pack('<H', 0) + bytes([t + 1, 7]) for t in (1, 2, 3, 4))
V_BIND_A = bytes([2]) + struct.pack('<H', 0x100) + bytes([0, 0, 0, 1, 0, 0, 0, 0])
V_BIND_B = bytes([2]) + struct.pack('<H', 0x100) + bytes([0, 0, 1, 1, 0, 0, 0, 0])
V_INV = bytes([3]) + struct.pack('<H', 0x100) + bytes([2, 0]) + bytes([1, 0, 0, 0]) * 3
V_XLT = bytes([4]) + struct.pack('<H', 0x100) + bytes([0, 0, 0, 0, 0])
V_LIFE = (v_call(7, V_DEV_A, v_num(0)) + v_call(5, v_num(0), v_num(0)) + V_FL + V_BIND_A +
          V_INV + V_XLT + bytes([5, 1]) + bytes([5, 0]) + v_call(6, V_PASID, v_num(0)))
V_SHARED = (v_call(7, V_DEV_A, v_num(0)) + v_call(7, V_DEV_B, v_num(0)) +
            v_call(5, v_num(1), v_num(0)) + V_FL + V_BIND_A + V_BIND_B + bytes([5, 1]) +
            v_call(8, V_DEV_A, v_num(0)) + bytes([5, 2]) + v_call(5, v_num(1), v_num(0)))
VSVA = {
    'lifecycle': b'\x00' + V_LIFE,
    'lifecycle-swnest': b'\x01' + V_LIFE,
    'shared-reset': b'\x00' + V_SHARED,
    'caps': (b'\x00' + bytes([0]) + struct.pack('<HBB', 0x100, 1, 160) +
             v_call(2, (1, 0x00, 0x21))),
}


# ---- virtual VT-d unit (fuzz_vvtd.c): config byte (bit 0: virtual commands), op records --
# Op bytes: 0 mmio write, 1 mmio read, 2 poke, 3 chain, 4 bring-up, 5 descriptors, 6 fault,
# 7 vcmd/reset. Register selectors below 200 index reg_offs[] (30 entries) in fuzz_vvtd.c;
# size selectors: 0 -> 4 bytes, 120 -> 8 bytes.
VV_REGS = [0x00, 0x08, 0x10, 0x18, 0x1c, 0x20, 0x28, 0x34, 0x38, 0x3c, 0x40, 0x80, 0x88,
           0x90, 0x9c, 0xa0, 0xa4, 0xa8, 0xb0, 0x100, 0x108, 0x200, 0x208, 0x20c, 0x218,
           0x27c, 0xe00, 0xe10, 0xe30, 0xffc]


def vv_wr(reg, val, size=8):
    return bytes([0, VV_REGS.index(reg), 120 if size == 8 else 0]) + \
        val.to_bytes(size, 'little')


def vv_rd(reg, size=8):
    return bytes([1, VV_REGS.index(reg), 120 if size == 8 else 0])


def vv_chain(dev, psel, tbl=0, pgtt_sel=0, fl=0, did=9):
    # dev 0 A, 1 B, 2 C; psel < 150: PASID psel % 9 (0: RID_PASID), 150..199: an allocated
    # one; pgtt_sel < 200: PGTT FL, else pgtt_sel & 7 (204: pass-through)
    return bytes([3, dev, psel, tbl, pgtt_sel, fl, 0, 0, did])


def vv_bringup(flags=0, seq=1):
    # flags: 1 QI off first, 2 128-bit descriptors, 4 8-KiB queue, 8 no root, 0x10 legacy
    # root, 0x20 no global flushes, 0x40 no TE (0xc0: TE off)
    return bytes([4, flags, seq])


def vv_desc(kind, g=0, s=9, sid_sel=0, psel=1, addr=0, am=0):
    # kind: 0 CC, 1 IOTLB, 2 DEVTLB, 3 IEC, 4 wait, 5 P_IOTLB, 6/7 PASID cache (g 0: PASID,
    # 2: domain, 3: global), 8 PASID devTLB, 9 raw
    return bytes([kind, g, s, sid_sel, psel, addr, am])


def vv_descs(descs, wait=True, intr=False):
    c = (len(descs) - 1) | (0x40 if wait else 0) | (0x20 if intr else 0)
    return bytes([5, c]) + b''.join(descs)


def vv_fault(sid_sel=0, psel=0, addr=0x7000, reason=0x20):
    return bytes([6, 0, sid_sel, psel]) + struct.pack('<Q', addr) + bytes([reason])


VV_ALLOC = bytes([7, 0])
VV_RESET = bytes([7, 3])


def vv_free(psel):
    return bytes([7, 2, psel])


VV_BIND = (vv_bringup() + vv_chain(0, 1) + vv_descs([vv_desc(6)]) +
           vv_descs([vv_desc(5, g=1, addr=7)], intr=True) + vv_chain(1, 1) +
           vv_descs([vv_desc(6, sid_sel=1), vv_desc(8, sid_sel=1)]) +
           vv_rd(0x34, 4) + vv_rd(0x9c, 4) + vv_wr(0x9c, 1, 4) +
           vv_chain(0, 1, fl=0x80) + vv_descs([vv_desc(7)]))
# RID_PASID (PASID 0): a guest FL table for requests without PASID on A, pass-through on
# B, then the IOTLB and device-TLB invalidations that reach them, then TE off.
VV_RID = (vv_bringup() + vv_chain(0, 0) + vv_chain(1, 0, tbl=1, pgtt_sel=204) +
          vv_descs([vv_desc(6, g=3)]) + vv_descs([vv_desc(1), vv_desc(2, sid_sel=1)]) +
          vv_chain(0, 0, fl=0x80) + vv_descs([vv_desc(6, psel=0)]) + vv_bringup(0xc0))
# A switch to a legacy-mode root under TE, then global invalidations.
VV_LEGACY = (vv_bringup() + vv_chain(0, 1) + vv_descs([vv_desc(6)]) +
             vv_wr(0x20, 0x40003000) + vv_wr(0x18, 0xc4000000, 4) +
             vv_descs([vv_desc(0), vv_desc(6, g=3)]))
VVTD = {
    'linux-bind': b'\x01' + VV_BIND + vv_fault() + VV_RESET,
    'linux-bind-novcmd': b'\x00' + VV_BIND + vv_wr(0x18, 0x04000000, 4),
    'shared': (b'\x01' + vv_bringup() + VV_ALLOC + vv_chain(0, 150) +
               vv_descs([vv_desc(6, psel=150)]) + vv_chain(1, 150) +
               vv_descs([vv_desc(0, g=2, sid_sel=1)]) + vv_free(150) + VV_ALLOC + VV_RESET),
    'legacy-dw0': (b'\x00' + vv_bringup(0x12) + vv_descs([vv_desc(0), vv_desc(1)]) +
                   vv_bringup(0x01) + vv_chain(2, 3) + vv_descs([vv_desc(6, g=3)])),
    'iqe': (b'\x00' + vv_bringup(0x40) + vv_descs([vv_desc(9)]) + vv_rd(0x80) +
            vv_wr(0x34, 0x10, 4) + vv_wr(0x38, 0, 4) + vv_descs([vv_desc(4, g=3)])),
    'faults': (b'\x00' + vv_wr(0x38, 0, 4) + b''.join(vv_fault(i % 3) for i in range(9)) +
               vv_rd(0x34, 4) + vv_rd(0x208) + vv_wr(0x20c, 0x80000000, 4) +
               vv_wr(0x34, 1, 4)),
    'regs': (b'\x01' + b''.join(vv_rd(r) + vv_wr(r, 0xffffffffffffffff) + vv_rd(r, 4)
                                for r in VV_REGS if r % 8 == 0) +
             bytes([1, 250, 0x34, 0x00, 4, 1, 250, 0x19, 0x00, 8])),
    'rid-pasid': b'\x00' + VV_RID + VV_RESET,
    'legacy-switch': b'\x00' + VV_LEGACY,
    'no-nest': b'\xfe',
}


def main():
    out = sys.argv[1]
    seeds = {
        'dmar': {'full': DMAR_FULL, 'qemu': DMAR_QEMU},
        'acpi': {'fixed': acpi_image(True), 'valid': acpi_image(False)},
        'mbi': {'grub': mbi(), 'no-modules': mbi(b'', 0)},
        'memmap': {f'seq{i}': s for i, s in enumerate(MEMMAP)},
        'hypercall': {f'hc{i}': s for i, s in enumerate(HYPERCALL)},
        'vsva': VSVA,
        'vvtd': VVTD,
    }
    for target, files in seeds.items():
        d = os.path.join(out, target)
        os.makedirs(d, exist_ok=True)
        for name, data in files.items():
            with open(os.path.join(d, name), 'wb') as f:
                f.write(data)


if __name__ == '__main__':
    main()
