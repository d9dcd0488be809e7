/* SPDX-License-Identifier: MIT */
/*
 * iommu/vtd_regs.h - Intel VT-d architectural definitions: register offsets and bits
 * (VT-d spec rev 4.x/5.x chapter 11), table entry formats (chapter 9), invalidation
 * descriptors (§6.5.2) and fault reasons (§7.1.3). Names follow the spec.
 * Cross-checked against Linux drivers/iommu/intel/{iommu.h,pasid.h} and Xen
 * drivers/passthrough/vtd/iommu.h.
 */
#ifndef IOMMU_VTD_REGS_H
#define IOMMU_VTD_REGS_H

#include "iommu/types.h"

/* ---- Register offsets, VT-d §11.4 (bytes from the unit's base) ---------------------- */
#define VTD_REG_VER	0x00 /* 32-bit */
#define VTD_REG_CAP	0x08 /* 64-bit */
#define VTD_REG_ECAP	0x10 /* 64-bit */
#define VTD_REG_GCMD	0x18 /* 32-bit */
#define VTD_REG_GSTS	0x1c /* 32-bit */
#define VTD_REG_RTADDR	0x20 /* 64-bit */
#define VTD_REG_CCMD	0x28 /* 64-bit */
#define VTD_REG_FSTS	0x34 /* 32-bit */
#define VTD_REG_FECTL	0x38 /* 32-bit */
#define VTD_REG_FEDATA	0x3c
#define VTD_REG_FEADDR	0x40
#define VTD_REG_FEUADDR 0x44
#define VTD_REG_IQH	0x80 /* 64-bit */
#define VTD_REG_IQT	0x88 /* 64-bit */
#define VTD_REG_IQA	0x90 /* 64-bit */
#define VTD_REG_ICS	0x9c /* 32-bit */
#define VTD_REG_IECTL	0xa0 /* 32-bit */
#define VTD_REG_IQER	0xb0 /* 64-bit */
#define VTD_REG_PQH	0xc0
#define VTD_REG_PQT	0xc8
#define VTD_REG_PQA	0xd0
#define VTD_REG_PRS	0xdc
#define VTD_REG_SIZE	0x1000 /* one 4-KiB register page */

/* Page request event registers, §11.4.11.5-8 (32-bit each). */
#define VTD_REG_PECTL	0xe0
#define VTD_REG_PEDATA	0xe4
#define VTD_REG_PEADDR	0xe8
#define VTD_REG_PEUADDR 0xec

/* ---- VER_REG, §11.4.1 -------------------------------------------------------------- */
#define VTD_VER_MAJOR(v) VTD_FIELD(v, 7, 4)
#define VTD_VER_MINOR(v) VTD_FIELD(v, 3, 0)

/* ---- CAP_REG, §11.4.2 -------------------------------------------------------------- */
#define VTD_CAP_ND(c)	 VTD_FIELD(c, 2, 0) /* DID bits: 4 + 2 * ND */
#define VTD_CAP_AFL	 VTD_BIT(3)
#define VTD_CAP_RWBF	 VTD_BIT(4)
#define VTD_CAP_PLMR	 VTD_BIT(5)
#define VTD_CAP_PHMR	 VTD_BIT(6)
#define VTD_CAP_CM	 VTD_BIT(7)
#define VTD_CAP_SAGAW(c) VTD_FIELD(c, 12, 8)
#define VTD_CAP_SAGAW39	 VTD_BIT(1) /* in VTD_CAP_SAGAW(): 3-level SL tables */
#define VTD_CAP_SAGAW48	 VTD_BIT(2) /* 4-level */
#define VTD_CAP_SAGAW57	 VTD_BIT(3) /* 5-level */
#define VTD_CAP_MGAW(c)	 (VTD_FIELD(c, 21, 16) + 1)
#define VTD_CAP_ZLR	 VTD_BIT(22)
#define VTD_CAP_FRO(c)	 (VTD_FIELD(c, 33, 24) * 16) /* bytes */
#define VTD_CAP_SLLPS(c) VTD_FIELD(c, 37, 34)
#define VTD_CAP_SLLPS2M	 VTD_BIT(0) /* in VTD_CAP_SLLPS() */
#define VTD_CAP_SLLPS1G	 VTD_BIT(1)
#define VTD_CAP_PSI	 VTD_BIT(39)
#define VTD_CAP_NFR(c)	 (VTD_FIELD(c, 47, 40) + 1)
#define VTD_CAP_MAMV(c)	 VTD_FIELD(c, 53, 48)
#define VTD_CAP_DWD	 VTD_BIT(54)
#define VTD_CAP_DRD	 VTD_BIT(55)
#define VTD_CAP_FL1GP	 VTD_BIT(56)
#define VTD_CAP_PI	 VTD_BIT(59)
#define VTD_CAP_FL5LP	 VTD_BIT(60)
#define VTD_CAP_ESIRTPS	 VTD_BIT(62)
#define VTD_CAP_ESRTPS	 VTD_BIT(63)

/* ---- ECAP_REG, §11.4.3 ------------------------------------------------------------- */
#define VTD_ECAP_C	 VTD_BIT(0) /* page-walk coherency */
#define VTD_ECAP_QI	 VTD_BIT(1)
#define VTD_ECAP_DT	 VTD_BIT(2)
#define VTD_ECAP_IR	 VTD_BIT(3)
#define VTD_ECAP_EIM	 VTD_BIT(4)
#define VTD_ECAP_PT	 VTD_BIT(6)
#define VTD_ECAP_SC	 VTD_BIT(7)
#define VTD_ECAP_IRO(e)	 (VTD_FIELD(e, 17, 8) * 16) /* bytes */
#define VTD_ECAP_MHMV(e) VTD_FIELD(e, 23, 20)
#define VTD_ECAP_NEST	 VTD_BIT(26)
#define VTD_ECAP_PRS	 VTD_BIT(29)
#define VTD_ECAP_ERS	 VTD_BIT(30)
#define VTD_ECAP_SRS	 VTD_BIT(31)
#define VTD_ECAP_NWFS	 VTD_BIT(33)
#define VTD_ECAP_EAFS	 VTD_BIT(34)
#define VTD_ECAP_PSS(e)	 VTD_FIELD(e, 39, 35) /* PASID bits - 1 */
#define VTD_ECAP_PASID	 VTD_BIT(40)
#define VTD_ECAP_DIT	 VTD_BIT(41)
#define VTD_ECAP_PDS	 VTD_BIT(42)
#define VTD_ECAP_SMTS	 VTD_BIT(43)
#define VTD_ECAP_VCS	 VTD_BIT(44)
#define VTD_ECAP_SLADS	 VTD_BIT(45)
#define VTD_ECAP_SLTS	 VTD_BIT(46)
#define VTD_ECAP_FLTS	 VTD_BIT(47)
#define VTD_ECAP_SMPWC	 VTD_BIT(48)
#define VTD_ECAP_RPS	 VTD_BIT(49)

/* ---- GCMD_REG / GSTS_REG, §11.4.4-5: the status bit sits where its command bit is --- */
#define VTD_GCMD_TE    VTD_BIT(31)
#define VTD_GCMD_SRTP  VTD_BIT(30)
#define VTD_GCMD_SFL   VTD_BIT(29)
#define VTD_GCMD_EAFL  VTD_BIT(28)
#define VTD_GCMD_WBF   VTD_BIT(27)
#define VTD_GCMD_QIE   VTD_BIT(26)
#define VTD_GCMD_IRE   VTD_BIT(25)
#define VTD_GCMD_SIRTP VTD_BIT(24)
#define VTD_GCMD_CFI   VTD_BIT(23)
#define VTD_GSTS_TES   VTD_BIT(31)
#define VTD_GSTS_RTPS  VTD_BIT(30)
#define VTD_GSTS_FLS   VTD_BIT(29)
#define VTD_GSTS_AFLS  VTD_BIT(28)
#define VTD_GSTS_WBFS  VTD_BIT(27)
#define VTD_GSTS_QIES  VTD_BIT(26)
#define VTD_GSTS_IRES  VTD_BIT(25)
#define VTD_GSTS_IRTPS VTD_BIT(24)
#define VTD_GSTS_CFIS  VTD_BIT(23)
/* §11.4.4: the enables software writes back with every command (one-shots are not). */
#define VTD_GSTS_PERSIST (VTD_GSTS_TES | VTD_GSTS_QIES | VTD_GSTS_IRES | VTD_GSTS_CFIS)

/* ---- RTADDR_REG, §11.4.6 ----------------------------------------------------------- */
#define VTD_RTADDR_RTA		VTD_GENMASK(63, 12)
#define VTD_RTADDR_TTM_SHIFT	10
#define VTD_RTADDR_TTM_LEGACY	(0ull << VTD_RTADDR_TTM_SHIFT)
#define VTD_RTADDR_TTM_SCALABLE (1ull << VTD_RTADDR_TTM_SHIFT)

/* ---- FSTS_REG / FECTL_REG, §11.4.9 ------------------------------------------------- */
#define VTD_FSTS_PFO	VTD_BIT(0)
#define VTD_FSTS_PPF	VTD_BIT(1)
#define VTD_FSTS_IQE	VTD_BIT(4)
#define VTD_FSTS_ICE	VTD_BIT(5)
#define VTD_FSTS_ITE	VTD_BIT(6)
#define VTD_FSTS_PRO	VTD_BIT(7)
#define VTD_FSTS_FRI(v) VTD_FIELD(v, 15, 8)
#define VTD_FECTL_IM	VTD_BIT(31)
#define VTD_FECTL_IP	VTD_BIT(30)

/* ---- Fault recording registers (128 bits each at CAP.FRO), §11.4.14 --------------- */
#define VTD_FRCD_LEN	   16
#define VTD_FRCD_LO_FI	   VTD_GENMASK(63, 12) /* page address of the request */
#define VTD_FRCD_HI_SID(h) VTD_FIELD(h, 15, 0)
#define VTD_FRCD_HI_PRIV   VTD_BIT(29)
#define VTD_FRCD_HI_EXE	   VTD_BIT(30)
#define VTD_FRCD_HI_PP	   VTD_BIT(31)
#define VTD_FRCD_HI_FR(h)  VTD_FIELD(h, 39, 32)
#define VTD_FRCD_HI_PV(h)  VTD_FIELD(h, 59, 40)
#define VTD_FRCD_HI_AT(h)  VTD_FIELD(h, 61, 60)
#define VTD_FRCD_HI_T	   VTD_BIT(62) /* 1: read request, 0: write */
#define VTD_FRCD_HI_F	   VTD_BIT(63) /* fault recorded; RW1C */
#define VTD_FRCD_F32	   VTD_BIT(31) /* F in the dword at offset 12 */

/* ---- Invalidation queue registers, §11.4.10 ---------------------------------------- */
#define VTD_IQA_IQA	VTD_GENMASK(63, 12)
#define VTD_IQA_DW	VTD_BIT(11)	   /* 256-bit descriptors */
#define VTD_IQA_QS(n)	((uint64_t)(n)&7)  /* 2^QS 4-KiB frames */
#define VTD_IQ_OFF_MASK VTD_GENMASK(18, 4) /* IQH / IQT: byte offset in the queue */
#define VTD_ICS_IWC	VTD_BIT(0)

/* ---- Page request queue registers, §11.4.11 (ECAP.PRS) ------------------------------ */
#define VTD_PQA_PQA	 VTD_GENMASK(63, 12)
#define VTD_PQA_PQS(n)	 ((uint64_t)(n)&7) /* 2^PQS 4-KiB frames */
#define VTD_PQA_PQS_MAX	 7
#define VTD_PQ_OFF_MASK	 VTD_GENMASK(18, 5) /* PQH / PQT: byte offset, 32-byte entries */
#define VTD_PRQ_DESC_LEN 32		    /* one page request descriptor, bytes */
#define VTD_PRS_PPR	 VTD_BIT(0)	    /* pending page request; RW1C */
#define VTD_PRS_PRO	 VTD_BIT(1)	    /* page request overflow; RW1C */
#define VTD_PECTL_IM	 VTD_BIT(31)	    /* page request event: interrupt mask */
#define VTD_PECTL_IP	 VTD_BIT(30)	    /* interrupt pending (RO) */

/* ---- Page request descriptor (256 bits), §7.5.1 ------------------------------------ */
#define VTD_PRQ_TYPE(q0)      VTD_FIELD(q0, 7, 0)
#define VTD_PRQ_TYPE_PAGE_REQ 1
#define VTD_PRQ_0_PP	      VTD_BIT(8) /* PASID present */
#define VTD_PRQ_0_PDP	      VTD_BIT(9) /* private data present (rev 3.x; reserved in 4.x) */
#define VTD_PRQ_0_RID(q0)     VTD_FIELD(q0, 31, 16)
#define VTD_PRQ_0_PASID(q0)   VTD_FIELD(q0, 51, 32)
#define VTD_PRQ_0_ERE	      VTD_BIT(52) /* execute requested */
#define VTD_PRQ_0_PM	      VTD_BIT(53) /* privileged-mode requested */
#define VTD_PRQ_1_RD	      VTD_BIT(0)
#define VTD_PRQ_1_WR	      VTD_BIT(1)
#define VTD_PRQ_1_LPIG	      VTD_BIT(2) /* last page in group */
#define VTD_PRQ_1_PRGI(q1)    VTD_FIELD(q1, 11, 3)
#define VTD_PRQ_1_ADDR	      VTD_GENMASK(63, 12)
#define VTD_PRGI_MAX	      0x1ff /* 9-bit page request group index */

/* ---- Root entry (128 bits), §9.1 legacy / §9.2 scalable (LP/UP halves) -------------- */
#define VTD_RE_P   VTD_BIT(0) /* legacy P; scalable LP (lo qword) / UP (hi qword) */
#define VTD_RE_CTP VTD_GENMASK(63, 12)

/* ---- Legacy context entry (128 bits), §9.3 ------------------------------------------ */
#define VTD_CE_LO_P	       VTD_BIT(0)
#define VTD_CE_LO_FPD	       VTD_BIT(1)
#define VTD_CE_LO_TT_SHIFT     2
#define VTD_CE_LO_TT_MASK      VTD_GENMASK(3, 2)
#define VTD_CE_TT_UNTRANSLATED 0 /* untranslated requests through SL tables */
#define VTD_CE_TT_ALL	       1 /* also ATS translation requests */
#define VTD_CE_TT_PASSTHROUGH  2
#define VTD_CE_LO_SLPTPTR      VTD_GENMASK(63, 12)
#define VTD_CE_HI_AW_MASK      VTD_GENMASK(2, 0)
#define VTD_CE_HI_DID_SHIFT    8
#define VTD_CE_HI_DID_MASK     VTD_GENMASK(23, 8)

/* ---- Scalable-mode context entry (256 bits), §9.4 ----------------------------------- */
#define VTD_SCE_0_P	      VTD_BIT(0)
#define VTD_SCE_0_FPD	      VTD_BIT(1)
#define VTD_SCE_0_DTE	      VTD_BIT(2)
#define VTD_SCE_0_PASIDE      VTD_BIT(3)
#define VTD_SCE_0_PRE	      VTD_BIT(4)
#define VTD_SCE_0_PDTS_SHIFT  9 /* 2^(PDTS + 7) PASID-directory entries */
#define VTD_SCE_0_PDTS_MASK   VTD_GENMASK(11, 9)
#define VTD_SCE_0_PASIDDIRPTR VTD_GENMASK(63, 12)
#define VTD_SCE_1_RID_PASID   VTD_GENMASK(19, 0)
#define VTD_SCE_1_RID_PRIV    VTD_BIT(20)

/* ---- PASID directory entry (64 bits), §9.5 ----------------------------------------- */
#define VTD_PDE_P	    VTD_BIT(0)
#define VTD_PDE_FPD	    VTD_BIT(1)
#define VTD_PDE_SMPTBLPTR   VTD_GENMASK(63, 12)
#define VTD_PASID_PER_TABLE 64 /* 64-byte entries in one 4-KiB PASID table */

/* ---- Scalable-mode PASID table entry (512 bits), §9.6 ------------------------------- */
#define VTD_PE_0_P	 VTD_BIT(0)
#define VTD_PE_0_FPD	 VTD_BIT(1)
#define VTD_PE_0_AW	 VTD_GENMASK(4, 2)
#define VTD_PE_0_PGTT	 VTD_GENMASK(8, 6)
#define VTD_PE_0_SLADE	 VTD_BIT(9)
#define VTD_PE_0_SLPTPTR VTD_GENMASK(63, 12)
#define VTD_PE_1_DID	 VTD_GENMASK(15, 0)
#define VTD_PE_1_PWSNP	 VTD_BIT(23)
#define VTD_PE_1_PGSNP	 VTD_BIT(24)
#define VTD_PE_2_SRE	 VTD_BIT(0)
#define VTD_PE_2_FLPM	 VTD_GENMASK(3, 2) /* 0: 4-level, 1: 5-level */
#define VTD_PE_2_WPE	 VTD_BIT(4)
#define VTD_PE_2_EAFE	 VTD_BIT(7)
#define VTD_PE_2_FLPTR	 VTD_GENMASK(63, 12)
#define VTD_PGTT_FL	 1 /* first-level only */
#define VTD_PGTT_SL	 2 /* second-level only */
#define VTD_PGTT_NESTED	 3
#define VTD_PGTT_PT	 4 /* pass-through */

/* ---- Second-level paging entry, §9.8 ---------------------------------------------- */
#define VTD_SL_R    VTD_BIT(0)
#define VTD_SL_W    VTD_BIT(1)
#define VTD_SL_X    VTD_BIT(2)
#define VTD_SL_PS   VTD_BIT(7)
#define VTD_SL_A    VTD_BIT(8)
#define VTD_SL_D    VTD_BIT(9)
#define VTD_SL_SNP  VTD_BIT(11)
#define VTD_SL_ADDR VTD_GENMASK(51, 12)

/* ---- Invalidation descriptors, §6.5.2 ---------------------------------------------- */
#define VTD_QI_TYPE_CC	    0x1 /* context-cache */
#define VTD_QI_TYPE_IOTLB   0x2
#define VTD_QI_TYPE_DEVTLB  0x3
#define VTD_QI_TYPE_IEC	    0x4
#define VTD_QI_TYPE_WAIT    0x5
#define VTD_QI_TYPE_PIOTLB  0x6			/* PASID-based IOTLB */
#define VTD_QI_TYPE_PC	    0x7			/* PASID cache */
#define VTD_QI_TYPE_PDEVTLB 0x8			/* PASID-based device-TLB */
#define VTD_QI_TYPE(t)	    ((uint64_t)(t)&0xf) /* types 0-15 in bits 3:0 */
#define VTD_QI_GRAN(g)	    ((uint64_t)(g) << 4)
#define VTD_QI_DID(d)	    ((uint64_t)(d) << 16)
#define VTD_QI_PASID(p)	    (((uint64_t)(p)&0xfffff) << 32)
#define VTD_QI_ADDR	    VTD_GENMASK(63, 12)
#define VTD_QI_AM(am)	    ((uint64_t)(am)&0x3f)
#define VTD_QI_IH	    VTD_BIT(6)
/* context-cache (§6.5.2.1): G 1 global, 2 domain, 3 device; SID 47:32, FM 49:48 */
#define VTD_QI_CC_GLOBAL 1
#define VTD_QI_CC_DOMAIN 2
#define VTD_QI_CC_DEVICE 3
#define VTD_QI_CC_SID(s) ((uint64_t)(s) << 32)
#define VTD_QI_CC_FM(f)	 (((uint64_t)(f)&3) << 48)
/* IOTLB (§6.5.2.3): G 1 global, 2 domain, 3 page; DR 7, DW 6 */
#define VTD_QI_IOTLB_GLOBAL 1
#define VTD_QI_IOTLB_DOMAIN 2
#define VTD_QI_IOTLB_PAGE   3
#define VTD_QI_IOTLB_DW	    VTD_BIT(6)
#define VTD_QI_IOTLB_DR	    VTD_BIT(7)
/* P_IOTLB (§6.5.2.4): G 2 all of a PASID, 3 page within a PASID */
#define VTD_QI_PIOTLB_PASID 2
#define VTD_QI_PIOTLB_PAGE  3
/* PASID cache (§6.5.2.2): G 0 domain, 1 PASID, 3 global */
#define VTD_QI_PC_DOMAIN 0
#define VTD_QI_PC_PASID	 1
#define VTD_QI_PC_GLOBAL 3
/* device-TLB (§6.5.2.5): PFSID 15:12 + 63:52, MIP/QDEP 20:16, SID 47:32; qw1 S 0 */
#define VTD_QI_DEVTLB_SID(s)   ((uint64_t)(s) << 32)
#define VTD_QI_DEVTLB_QDEP(q)  (((uint64_t)(q)&0x1f) << 16)
#define VTD_QI_DEVTLB_PFSID(p) ((((uint64_t)(p)&0xf) << 12) | (((uint64_t)(p)&0xfff0) << 48))
#define VTD_QI_DEVTLB_S	       VTD_BIT(0)
/* PASID-based device-TLB (§6.5.2.6): SID 31:16, PASID 51:32; qw1 G 0, S 11 */
#define VTD_QI_PDEVTLB_SID(s)	((uint64_t)(s) << 16)
#define VTD_QI_PDEVTLB_QDEP(q)	(((uint64_t)(q)&0x1f) << 4)
#define VTD_QI_PDEVTLB_PFSID(p) ((((uint64_t)(p)&0xf) << 12) | (((uint64_t)(p)&0xfff0) << 48))
#define VTD_QI_PDEVTLB_G	VTD_BIT(0)
#define VTD_QI_PDEVTLB_S	VTD_BIT(11)
/* invalidation wait (§6.5.2.8): IF 4, SW 5, FN 6, PD 7, status data 63:32 */
#define VTD_QI_WAIT_IF	    VTD_BIT(4)
#define VTD_QI_WAIT_SW	    VTD_BIT(5)
#define VTD_QI_WAIT_FN	    VTD_BIT(6)
#define VTD_QI_WAIT_PD	    VTD_BIT(7)
#define VTD_QI_WAIT_DATA(d) ((uint64_t)(d) << 32)
#define VTD_QI_WAIT_ADDR    VTD_GENMASK(63, 2)
/* page group response (§6.5.2.9): PP 4, PDP 5 (3.x), response code 15:12, RID 31:16,
 * PASID 51:32; qw1 PRGI 11:3; qw2-3 the request's private data (3.x) */
#define VTD_QI_TYPE_PGRP_RESP 0x9
#define VTD_QI_PGRP_PP	      VTD_BIT(4)
#define VTD_QI_PGRP_PDP	      VTD_BIT(5)
#define VTD_QI_PGRP_CODE(c)   (((uint64_t)(c)&0xf) << 12)
#define VTD_QI_PGRP_RID(r)    ((uint64_t)(r) << 16)
#define VTD_QI_PGRP_PRGI(i)   (((uint64_t)(i)&0x1ff) << 3)
#define VTD_PGRP_RESP_SUCCESS 0x0 /* PCIe PRG response codes (PCIe §10.4.2) */
#define VTD_PGRP_RESP_INVALID 0x1
#define VTD_PGRP_RESP_FAILURE 0xf

#endif /* IOMMU_VTD_REGS_H */
