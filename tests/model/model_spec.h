/* SPDX-License-Identifier: MIT */
/*
 * model_spec.h - VT-d architectural definitions used by the reference model.
 *
 * Written from the Intel VT-d specification (rev 4.x/5.x); section numbers
 * are cited as "VT-d §x.y". Layouts were cross-checked against the bit
 * positions Linux (drivers/iommu/intel/) and QEMU (hw/i386/intel_iommu*)
 * use, but nothing here is shared with iommu/: the model must not be able
 * to make the same mistake as the driver by sharing a header.
 */
#ifndef MODEL_SPEC_H
#define MODEL_SPEC_H

#include <stdint.h>

#define MODEL_BIT(n)	     (1ULL << (n))
#define MODEL_GENMASK(h, l)  ((~0ULL >> (63 - (h))) & ~((1ULL << (l)) - 1))
#define MODEL_FIELD(v, h, l) (((v)&MODEL_GENMASK(h, l)) >> (l))

#define MODEL_PAGE_SHIFT 12
#define MODEL_PAGE_SIZE	 (1ULL << MODEL_PAGE_SHIFT)
#define MODEL_PAGE_MASK	 (~(MODEL_PAGE_SIZE - 1))

/* ---- Register offsets, VT-d §11.4 ---------------------------------- */
#define MODEL_REG_VER	  0x00 /* 32-bit */
#define MODEL_REG_CAP	  0x08 /* 64-bit */
#define MODEL_REG_ECAP	  0x10 /* 64-bit */
#define MODEL_REG_GCMD	  0x18 /* 32-bit, write-only */
#define MODEL_REG_GSTS	  0x1C /* 32-bit, read-only */
#define MODEL_REG_RTADDR  0x20 /* 64-bit */
#define MODEL_REG_CCMD	  0x28 /* 64-bit */
#define MODEL_REG_FSTS	  0x34 /* 32-bit */
#define MODEL_REG_FECTL	  0x38 /* 32-bit */
#define MODEL_REG_FEDATA  0x3C
#define MODEL_REG_FEADDR  0x40
#define MODEL_REG_FEUADDR 0x44
#define MODEL_REG_IQH	  0x80 /* 64-bit, read-only */
#define MODEL_REG_IQT	  0x88 /* 64-bit */
#define MODEL_REG_IQA	  0x90 /* 64-bit */
#define MODEL_REG_ICS	  0x9C /* 32-bit */
#define MODEL_REG_IECTL	  0xA0
#define MODEL_REG_IEDATA  0xA4
#define MODEL_REG_IEADDR  0xA8
#define MODEL_REG_IEUADDR 0xAC
#define MODEL_REG_IRTA	  0xB8
#define MODEL_REG_PQH	  0xC0 /* 64-bit */
#define MODEL_REG_PQT	  0xC8 /* 64-bit, read-only */
#define MODEL_REG_PQA	  0xD0 /* 64-bit */
#define MODEL_REG_PRS	  0xDC /* 32-bit */
#define MODEL_REG_PECTL	  0xE0
#define MODEL_REG_PEDATA  0xE4
#define MODEL_REG_PEADDR  0xE8
#define MODEL_REG_PEUADDR 0xEC
#define MODEL_REG_SIZE	  0x1000 /* one 4-KiB register page */

/* Defaults the model fills in when CAP.FRO / ECAP.IRO are given as 0. */
#define MODEL_DEFAULT_FRO 0x220 /* fault recording registers */
#define MODEL_DEFAULT_IRO 0x0F0 /* IVA at IRO, IOTLB_REG at IRO + 8 */

/* ---- CAP_REG, VT-d §11.4.2 ------------------------------------------ */
#define MODEL_CAP_ND(c)	      MODEL_FIELD(c, 2, 0)
#define MODEL_CAP_RWBF	      MODEL_BIT(4)
#define MODEL_CAP_CM	      MODEL_BIT(7)
#define MODEL_CAP_SAGAW(c)    MODEL_FIELD(c, 12, 8)
#define MODEL_CAP_SAGAW_39    MODEL_BIT(9)  /* 3-level SL tables */
#define MODEL_CAP_SAGAW_48    MODEL_BIT(10) /* 4-level */
#define MODEL_CAP_SAGAW_57    MODEL_BIT(11) /* 5-level */
#define MODEL_CAP_MGAW(c)     (MODEL_FIELD(c, 21, 16) + 1)
#define MODEL_CAP_MGAW_SET(w) ((uint64_t)((w)-1) << 16)
#define MODEL_CAP_FRO(c)      (MODEL_FIELD(c, 33, 24) * 16)
#define MODEL_CAP_FRO_SET(o)  ((uint64_t)((o) / 16) << 24)
#define MODEL_CAP_SLLPS_2M    MODEL_BIT(34)
#define MODEL_CAP_SLLPS_1G    MODEL_BIT(35)
#define MODEL_CAP_PSI	      MODEL_BIT(39)
#define MODEL_CAP_NFR(c)      (MODEL_FIELD(c, 47, 40) + 1)
#define MODEL_CAP_NFR_SET(n)  ((uint64_t)((n)-1) << 40)
#define MODEL_CAP_MAMV(c)     MODEL_FIELD(c, 53, 48)
#define MODEL_CAP_MAMV_SET(m) ((uint64_t)(m) << 48)
#define MODEL_CAP_FL1GP	      MODEL_BIT(56)
#define MODEL_CAP_FL5LP	      MODEL_BIT(60)

/* ---- ECAP_REG, VT-d §11.4.3 ----------------------------------------- */
#define MODEL_ECAP_C	      MODEL_BIT(0)
#define MODEL_ECAP_QI	      MODEL_BIT(1)
#define MODEL_ECAP_DT	      MODEL_BIT(2)
#define MODEL_ECAP_IR	      MODEL_BIT(3)
#define MODEL_ECAP_EIM	      MODEL_BIT(4)
#define MODEL_ECAP_PT	      MODEL_BIT(6)
#define MODEL_ECAP_SC	      MODEL_BIT(7)
#define MODEL_ECAP_IRO(e)     (MODEL_FIELD(e, 17, 8) * 16)
#define MODEL_ECAP_IRO_SET(o) ((uint64_t)((o) / 16) << 8)
#define MODEL_ECAP_NEST	      MODEL_BIT(26)
#define MODEL_ECAP_PRS	      MODEL_BIT(29)
#define MODEL_ECAP_ERS	      MODEL_BIT(30)
#define MODEL_ECAP_SRS	      MODEL_BIT(31)
#define MODEL_ECAP_EAFS	      MODEL_BIT(34)
#define MODEL_ECAP_PSS(e)     MODEL_FIELD(e, 39, 35) /* PASID bits - 1 */
#define MODEL_ECAP_PSS_SET(p) ((uint64_t)(p) << 35)
#define MODEL_ECAP_PASID      MODEL_BIT(40)
#define MODEL_ECAP_SMTS	      MODEL_BIT(43)
#define MODEL_ECAP_SLADS      MODEL_BIT(45)
#define MODEL_ECAP_SLTS	      MODEL_BIT(46)
#define MODEL_ECAP_FLTS	      MODEL_BIT(47)
#define MODEL_ECAP_SMPWC      MODEL_BIT(48)
#define MODEL_ECAP_RPS	      MODEL_BIT(49)

/* ---- GCMD_REG / GSTS_REG, VT-d §11.4.4, §11.4.5 --------------------- */
#define MODEL_GCMD_TE	 MODEL_BIT(31)
#define MODEL_GCMD_SRTP	 MODEL_BIT(30)
#define MODEL_GCMD_SFL	 MODEL_BIT(29)
#define MODEL_GCMD_EAFL	 MODEL_BIT(28)
#define MODEL_GCMD_WBF	 MODEL_BIT(27)
#define MODEL_GCMD_QIE	 MODEL_BIT(26)
#define MODEL_GCMD_IRE	 MODEL_BIT(25)
#define MODEL_GCMD_SIRTP MODEL_BIT(24)
#define MODEL_GCMD_CFI	 MODEL_BIT(23)
/* GSTS uses the same bit positions: TES, RTPS, FLS, AFLS, WBFS, QIES... */
#define MODEL_GSTS_TES	 MODEL_GCMD_TE
#define MODEL_GSTS_RTPS	 MODEL_GCMD_SRTP
#define MODEL_GSTS_WBFS	 MODEL_GCMD_WBF
#define MODEL_GSTS_QIES	 MODEL_GCMD_QIE
#define MODEL_GSTS_IRES	 MODEL_GCMD_IRE
#define MODEL_GSTS_IRTPS MODEL_GCMD_SIRTP
#define MODEL_GSTS_CFIS	 MODEL_GCMD_CFI

/* ---- RTADDR_REG, VT-d §11.4.6 --------------------------------------- */
#define MODEL_RTADDR_RTA    MODEL_GENMASK(63, 12)
#define MODEL_RTADDR_TTM(v) MODEL_FIELD(v, 11, 10)
#define MODEL_TTM_LEGACY    0
#define MODEL_TTM_SCALABLE  1
#define MODEL_TTM_ABORT	    2 /* abort-DMA mode: everything blocked */

/* ---- CCMD_REG, VT-d §11.4.7 ------------------------------------------ */
#define MODEL_CCMD_ICC	      MODEL_BIT(63)
#define MODEL_CCMD_CIRG(v)    MODEL_FIELD(v, 62, 61)
#define MODEL_CCMD_CAIG_SHIFT 59
#define MODEL_CCMD_FM(v)      MODEL_FIELD(v, 33, 32)
#define MODEL_CCMD_SID(v)     MODEL_FIELD(v, 31, 16)
#define MODEL_CCMD_DID(v)     MODEL_FIELD(v, 15, 0)

/* ---- IOTLB_REG / IVA_REG, VT-d §11.4.8 -------------------------------- */
#define MODEL_IOTLB_IVT	       MODEL_BIT(63)
#define MODEL_IOTLB_IIRG(v)    MODEL_FIELD(v, 61, 60)
#define MODEL_IOTLB_IAIG_SHIFT 57
#define MODEL_IOTLB_DID(v)     MODEL_FIELD(v, 47, 32)
#define MODEL_IVA_AM(v)	       MODEL_FIELD(v, 5, 0)
#define MODEL_IVA_IH	       MODEL_BIT(6)

/* ---- FSTS_REG / FECTL_REG, VT-d §11.4.9 ------------------------------ */
#define MODEL_FSTS_PFO	  MODEL_BIT(0)
#define MODEL_FSTS_PPF	  MODEL_BIT(1)
#define MODEL_FSTS_IQE	  MODEL_BIT(4)
#define MODEL_FSTS_ICE	  MODEL_BIT(5)
#define MODEL_FSTS_ITE	  MODEL_BIT(6)
#define MODEL_FSTS_PRO	  MODEL_BIT(7)
#define MODEL_FSTS_FRI(v) MODEL_FIELD(v, 15, 8)
#define MODEL_FSTS_RW1C \
	(MODEL_FSTS_PFO | MODEL_FSTS_IQE | MODEL_FSTS_ICE | MODEL_FSTS_ITE | MODEL_FSTS_PRO)
#define MODEL_FECTL_IM MODEL_BIT(31)
#define MODEL_FECTL_IP MODEL_BIT(30)

/* ---- Fault recording register (128 bits), VT-d §11.4.14 --------------- */
/* Low qword: FI, the page address of the faulting request. */
#define MODEL_FRCD_LO_FI MODEL_GENMASK(63, 12)
/* High qword: */
#define MODEL_FRCD_HI_SID(v) MODEL_FIELD(v, 15, 0)
#define MODEL_FRCD_HI_PRIV   MODEL_BIT(29)
#define MODEL_FRCD_HI_EXE    MODEL_BIT(30)
#define MODEL_FRCD_HI_PP     MODEL_BIT(31)
#define MODEL_FRCD_HI_FR(v)  MODEL_FIELD(v, 39, 32)
#define MODEL_FRCD_HI_PV(v)  MODEL_FIELD(v, 59, 40)
#define MODEL_FRCD_HI_T	     MODEL_BIT(62) /* 1: read, 0: write */
#define MODEL_FRCD_HI_F	     MODEL_BIT(63) /* RW1C */

/* ---- Invalidation queue registers, VT-d §11.4.10 ---------------------- */
#define MODEL_IQA_IQA	 MODEL_GENMASK(63, 12)
#define MODEL_IQA_DW	 MODEL_BIT(11) /* 1: 256-bit descriptors */
#define MODEL_IQA_QS(v)	 MODEL_FIELD(v, 2, 0)
#define MODEL_IQ_QH_MASK MODEL_GENMASK(18, 4) /* IQH / IQT offset */
#define MODEL_ICS_IWC	 MODEL_BIT(0)
#define MODEL_IECTL_IM	 MODEL_BIT(31)
#define MODEL_IECTL_IP	 MODEL_BIT(30)

/* ---- Page request queue registers, VT-d §11.4.11 ---------------------- */
#define MODEL_PQA_PQA	 MODEL_GENMASK(63, 12)
#define MODEL_PQA_PQS(v) MODEL_FIELD(v, 2, 0)
#define MODEL_PQ_MASK	 MODEL_GENMASK(18, 5)
#define MODEL_PRS_PPR	 MODEL_BIT(0)
#define MODEL_PRS_PRO	 MODEL_BIT(1)
#define MODEL_PECTL_IM	 MODEL_BIT(31)
#define MODEL_PECTL_IP	 MODEL_BIT(30)

/* ---- Root entry (128 bits), VT-d §9.1 (legacy), §9.2 (scalable) ------- */
#define MODEL_RE_P	 MODEL_BIT(0) /* LP / UP in scalable mode */
#define MODEL_RE_CTP	 MODEL_GENMASK(63, 12)
#define MODEL_RE_RSVD_LO MODEL_GENMASK(11, 1)

/* ---- Legacy context entry (128 bits), VT-d §9.3 ----------------------- */
#define MODEL_CE_P		 MODEL_BIT(0)
#define MODEL_CE_FPD		 MODEL_BIT(1)
#define MODEL_CE_TT(lo)		 MODEL_FIELD(lo, 3, 2)
#define MODEL_CE_TT_UNTRANSLATED 0 /* untranslated requests only */
#define MODEL_CE_TT_ALL		 1 /* also translation requests (ATS) */
#define MODEL_CE_TT_PT		 2 /* pass-through */
#define MODEL_CE_SLPTPTR	 MODEL_GENMASK(63, 12)
#define MODEL_CE_RSVD_LO	 MODEL_GENMASK(11, 4)
#define MODEL_CE_AW(hi)		 MODEL_FIELD(hi, 2, 0)
#define MODEL_CE_DID(hi)	 MODEL_FIELD(hi, 23, 8)
#define MODEL_CE_RSVD_HI	 (MODEL_GENMASK(63, 24) | MODEL_BIT(7))

/* ---- Scalable-mode context entry (256 bits), VT-d §9.4 ---------------- */
#define MODEL_SCE_P		MODEL_BIT(0)
#define MODEL_SCE_FPD		MODEL_BIT(1)
#define MODEL_SCE_DTE		MODEL_BIT(2)
#define MODEL_SCE_PASIDE	MODEL_BIT(3)
#define MODEL_SCE_PRE		MODEL_BIT(4)
#define MODEL_SCE_PDTS(v0)	MODEL_FIELD(v0, 11, 9) /* 2^(PDTS+7) dir entries */
#define MODEL_SCE_PASIDDIRPTR	MODEL_GENMASK(63, 12)
#define MODEL_SCE_RSVD0		MODEL_GENMASK(8, 5)
#define MODEL_SCE_RID_PASID(v1) MODEL_FIELD(v1, 19, 0)
#define MODEL_SCE_RID_PRIV	MODEL_BIT(20)
#define MODEL_SCE_RSVD1		MODEL_GENMASK(63, 21)

/* ---- PASID directory entry (64 bits), VT-d §9.5 ----------------------- */
#define MODEL_PDE_P	    MODEL_BIT(0)
#define MODEL_PDE_FPD	    MODEL_BIT(1)
#define MODEL_PDE_RSVD	    MODEL_GENMASK(11, 2)
#define MODEL_PDE_SMPTBLPTR MODEL_GENMASK(63, 12)

/* ---- Scalable-mode PASID table entry (512 bits), VT-d §9.6 ------------ */
/* val[0] */
#define MODEL_PE_P	  MODEL_BIT(0)
#define MODEL_PE_FPD	  MODEL_BIT(1)
#define MODEL_PE_AW(v0)	  MODEL_FIELD(v0, 4, 2)
#define MODEL_PE_PGTT(v0) MODEL_FIELD(v0, 8, 6)
#define MODEL_PE_SLADE	  MODEL_BIT(9)
#define MODEL_PE_SLPTPTR  MODEL_GENMASK(63, 12)
#define MODEL_PE_RSVD0	  (MODEL_BIT(5) | MODEL_GENMASK(11, 10))
/* val[1] */
#define MODEL_PE_DID(v1) MODEL_FIELD(v1, 15, 0)
#define MODEL_PE_PWSNP	 MODEL_BIT(23)
#define MODEL_PE_PGSNP	 MODEL_BIT(24)
/* val[2] */
#define MODEL_PE_SRE	  MODEL_BIT(0)
#define MODEL_PE_FLPM(v2) MODEL_FIELD(v2, 3, 2) /* 0: 4-level, 1: 5-level */
#define MODEL_PE_WPE	  MODEL_BIT(4)
#define MODEL_PE_EAFE	  MODEL_BIT(7)
#define MODEL_PE_FLPTR	  MODEL_GENMASK(63, 12)
#define MODEL_PE_RSVD2	  (MODEL_BIT(1) | MODEL_GENMASK(6, 5) | MODEL_GENMASK(11, 8))

#define MODEL_PGTT_FL	  1
#define MODEL_PGTT_SL	  2
#define MODEL_PGTT_NESTED 3
#define MODEL_PGTT_PT	  4

/* ---- Second-level paging entry, VT-d §9.8 ----------------------------- */
#define MODEL_SL_R	 MODEL_BIT(0)
#define MODEL_SL_W	 MODEL_BIT(1)
#define MODEL_SL_X	 MODEL_BIT(2)
#define MODEL_SL_PS	 MODEL_BIT(7)
#define MODEL_SL_A	 MODEL_BIT(8) /* with PASID-entry SLADE */
#define MODEL_SL_D	 MODEL_BIT(9)
#define MODEL_SL_ADDR	 MODEL_GENMASK(51, 12)
#define MODEL_SL_RSVD_HI MODEL_GENMASK(61, 52) /* bit 62 TM, 63 ignored */

/* ---- First-level paging entry (x86 format), VT-d §9.7 ----------------- */
#define MODEL_FL_P    MODEL_BIT(0)
#define MODEL_FL_RW   MODEL_BIT(1)
#define MODEL_FL_US   MODEL_BIT(2)
#define MODEL_FL_PWT  MODEL_BIT(3)
#define MODEL_FL_PCD  MODEL_BIT(4)
#define MODEL_FL_A    MODEL_BIT(5)
#define MODEL_FL_D    MODEL_BIT(6)
#define MODEL_FL_PS   MODEL_BIT(7)
#define MODEL_FL_G    MODEL_BIT(8)
#define MODEL_FL_EA   MODEL_BIT(10) /* extended accessed, with EAFE */
#define MODEL_FL_ADDR MODEL_GENMASK(51, 12)
#define MODEL_FL_XD   MODEL_BIT(63)

/* ---- Invalidation descriptors, VT-d §6.5.2 ------------------------------ */
#define MODEL_QI_TYPE(q0)  (MODEL_FIELD(q0, 3, 0) | (MODEL_FIELD(q0, 11, 9) << 4))
#define MODEL_QI_CC	   0x1 /* context-cache invalidate */
#define MODEL_QI_IOTLB	   0x2 /* IOTLB invalidate */
#define MODEL_QI_DEVTLB	   0x3 /* device-TLB invalidate */
#define MODEL_QI_IEC	   0x4 /* interrupt entry cache invalidate */
#define MODEL_QI_WAIT	   0x5 /* invalidation wait */
#define MODEL_QI_PIOTLB	   0x6 /* PASID-based IOTLB invalidate */
#define MODEL_QI_PC	   0x7 /* PASID-cache invalidate */
#define MODEL_QI_PDEVTLB   0x8 /* PASID-based device-TLB invalidate */
#define MODEL_QI_PGRP_RESP 0x9 /* page group response */

#define MODEL_QI_G(q0)	   MODEL_FIELD(q0, 5, 4)
#define MODEL_QI_DID(q0)   MODEL_FIELD(q0, 31, 16)
#define MODEL_QI_PASID(q0) MODEL_FIELD(q0, 51, 32)

/* context-cache: G 01 global, 10 domain, 11 device; SID 47:32, FM 49:48 */
#define MODEL_QI_CC_SID(q0) MODEL_FIELD(q0, 47, 32)
#define MODEL_QI_CC_FM(q0)  MODEL_FIELD(q0, 49, 48)
#define MODEL_QI_CC_RSVD0   (MODEL_GENMASK(8, 6) | MODEL_GENMASK(15, 12) | MODEL_GENMASK(63, 50))
/* IOTLB: G 01 global, 10 domain, 11 page; DW 6, DR 7; qw1: AM 5:0, IH 6 */
#define MODEL_QI_IOTLB_RSVD0 (MODEL_BIT(8) | MODEL_GENMASK(15, 12) | MODEL_GENMASK(63, 32))
#define MODEL_QI_AM(q1)	     MODEL_FIELD(q1, 5, 0)
#define MODEL_QI_IH	     MODEL_BIT(6)
#define MODEL_QI_ADDR	     MODEL_GENMASK(63, 12)
#define MODEL_QI_IOTLB_RSVD1 MODEL_GENMASK(11, 7)
/* device-TLB: PFSID, MIP/QDEP 20:16, SID 47:32; qw1: S bit 0, ADDR 63:12 */
#define MODEL_QI_DEVTLB_SID(q0) MODEL_FIELD(q0, 47, 32)
#define MODEL_QI_DEVTLB_RSVD0 \
	(MODEL_GENMASK(8, 4) | MODEL_GENMASK(11, 9) | MODEL_GENMASK(31, 21) | MODEL_GENMASK(51, 48))
#define MODEL_QI_DEVTLB_S     MODEL_BIT(0)
#define MODEL_QI_DEVTLB_RSVD1 MODEL_GENMASK(11, 1)
/* wait: IF 4, SW 5, FN 6, PD 7, status data 63:32; qw1: status address 63:2 */
#define MODEL_QI_WAIT_IF       MODEL_BIT(4)
#define MODEL_QI_WAIT_SW       MODEL_BIT(5)
#define MODEL_QI_WAIT_FN       MODEL_BIT(6)
#define MODEL_QI_WAIT_PD       MODEL_BIT(7)
#define MODEL_QI_WAIT_DATA(q0) MODEL_FIELD(q0, 63, 32)
#define MODEL_QI_WAIT_RSVD0    (MODEL_GENMASK(8, 8) | MODEL_GENMASK(31, 12))
#define MODEL_QI_WAIT_ADDR     MODEL_GENMASK(63, 2)
#define MODEL_QI_WAIT_RSVD1    MODEL_GENMASK(1, 0)
/* P_IOTLB: G 10 PASID-selective, 11 page-selective-within-PASID */
#define MODEL_QI_PIOTLB_RSVD0 (MODEL_GENMASK(8, 6) | MODEL_GENMASK(15, 12) | MODEL_GENMASK(63, 52))
#define MODEL_QI_PIOTLB_RSVD1 MODEL_GENMASK(11, 7)
/* PASID-cache: G 00 domain, 01 PASID-selective, 11 global */
#define MODEL_QI_PC_RSVD0 (MODEL_GENMASK(8, 6) | MODEL_GENMASK(15, 12) | MODEL_GENMASK(63, 52))
/* PASID-based device-TLB: SID 31:16, PASID 51:32; qw1: G 0, S 11 */
#define MODEL_QI_PDEVTLB_SID(q0) MODEL_FIELD(q0, 31, 16)
#define MODEL_QI_PDEVTLB_G	 MODEL_BIT(0)
#define MODEL_QI_PDEVTLB_S	 MODEL_BIT(11)
#define MODEL_QI_PDEVTLB_RSVD1	 MODEL_GENMASK(10, 1)
/* page group response: PP 4, RESP 15:12, RID 31:16, PASID 51:32; qw1: LPIG 2, PRGI 11:3 */
#define MODEL_QI_PGRP_PP       MODEL_BIT(4)
#define MODEL_QI_PGRP_CODE(q0) MODEL_FIELD(q0, 15, 12)
#define MODEL_QI_PGRP_RID(q0)  MODEL_FIELD(q0, 31, 16)
#define MODEL_QI_PGRP_PRGI(q1) MODEL_FIELD(q1, 11, 3)

/* ---- Page request descriptor (256 bits), VT-d §7.5.1 -------------------- */
#define MODEL_PRQ_TYPE_PAGE_REQ 1
#define MODEL_PRQ_PP		MODEL_BIT(8)
#define MODEL_PRQ_RID_SHIFT	16
#define MODEL_PRQ_PASID_SHIFT	32
#define MODEL_PRQ_EXE		MODEL_BIT(52)
#define MODEL_PRQ_PM		MODEL_BIT(53)
#define MODEL_PRQ_RD		MODEL_BIT(0)
#define MODEL_PRQ_WR		MODEL_BIT(1)
#define MODEL_PRQ_LPIG		MODEL_BIT(2)
#define MODEL_PRQ_PRGI_SHIFT	3

/* ---- Fault reasons, VT-d §7.1.3 (legacy 0x1-0xD, scalable 0x30-0x90) ---- */
enum model_fault_reason {
	MODEL_FR_NONE = 0x00,
	/* legacy mode */
	MODEL_FR_ROOT_P = 0x01,		/* root entry not present */
	MODEL_FR_CTX_P = 0x02,		/* context entry not present */
	MODEL_FR_CTX_INV = 0x03,	/* invalid context programming */
	MODEL_FR_ADDR_BEYOND_AW = 0x04, /* input above min(MGAW, AGAW) */
	MODEL_FR_WRITE = 0x05,		/* no write permission */
	MODEL_FR_READ = 0x06,		/* no read permission */
	MODEL_FR_SL_ACCESS = 0x07,	/* error reading an SL entry */
	MODEL_FR_ROOT_ACCESS = 0x08,
	MODEL_FR_CTX_ACCESS = 0x09,
	MODEL_FR_ROOT_RSVD = 0x0A,
	MODEL_FR_CTX_RSVD = 0x0B,
	MODEL_FR_SL_RSVD = 0x0C,
	MODEL_FR_TT_BLOCKED = 0x0D, /* TT blocks translation request */
	/* scalable mode */
	MODEL_FR_SM_RTADDR_INV = 0x30, /* reserved TTM / RTA */
	MODEL_FR_SM_TTM0_PASID = 0x31, /* legacy TTM, request with PASID */
	MODEL_FR_SM_TTM0_PRQ = 0x32,
	MODEL_FR_SM_ROOT_ACCESS = 0x38,
	MODEL_FR_SM_ROOT_P = 0x39,
	MODEL_FR_SM_ROOT_RSVD = 0x3A,
	MODEL_FR_SM_CTX_ACCESS = 0x40,
	MODEL_FR_SM_CTX_P = 0x41,
	MODEL_FR_SM_CTX_RSVD = 0x42,
	MODEL_FR_SM_CTX_INV = 0x43,
	MODEL_FR_SM_CTX_DTE = 0x44,	/* translation request, DTE=0 */
	MODEL_FR_SM_CTX_PASIDE = 0x45,	/* PASID request, PASIDE=0 */
	MODEL_FR_SM_PASID_RANGE = 0x46, /* PASID beyond PDTS */
	MODEL_FR_SM_CTX_PRE = 0x47,
	MODEL_FR_SM_RID_PASID = 0x48,
	MODEL_FR_SM_PDE_ACCESS = 0x50,
	MODEL_FR_SM_PDE_P = 0x51,
	MODEL_FR_SM_PDE_RSVD = 0x52,
	MODEL_FR_SM_PE_ACCESS = 0x58,
	MODEL_FR_SM_PE_P = 0x59,
	MODEL_FR_SM_PE_RSVD = 0x5A,
	MODEL_FR_SM_PE_INV = 0x5B, /* PGTT / AW / FLPM unsupported */
	MODEL_FR_SM_PE_ERE = 0x5C,
	MODEL_FR_SM_PE_SRE = 0x5D, /* supervisor request, SRE=0 */
	MODEL_FR_SM_FL_ACCESS = 0x70,
	MODEL_FR_SM_FL_P = 0x71,
	MODEL_FR_SM_FL_RSVD = 0x72,
	MODEL_FR_SM_FLPTR_ACCESS = 0x73,    /* FL root table unreadable */
	MODEL_FR_SM_NEST_FL_AW = 0x74,	    /* FL table GPA beyond SL AW */
	MODEL_FR_SM_NEST_FLPTR_READ = 0x75, /* SL denies read of FL root */
	MODEL_FR_SM_NEST_FL_READ = 0x76,    /* SL denies read of FL table */
	MODEL_FR_SM_NEST_FL_WRITE = 0x77,   /* SL denies FL A/D update */
	MODEL_FR_SM_SL_ACCESS = 0x78,
	MODEL_FR_SM_SL_P = 0x79, /* SL entry with R=W=0 */
	MODEL_FR_SM_SL_RSVD = 0x7A,
	MODEL_FR_SM_SLPTR_INV = 0x7B, /* SL root table unreadable */
	MODEL_FR_SM_NONCANONICAL = 0x80,
	MODEL_FR_SM_FL_US = 0x81,	   /* user request, U/S=0 */
	MODEL_FR_SM_FL_XD = 0x82,	   /* execute request, XD=1 */
	MODEL_FR_SM_ADDR_BEYOND_AW = 0x83, /* input beyond SL AGAW / MGAW */
	MODEL_FR_SM_SL_OUT_AW = 0x84,
	MODEL_FR_SM_WRITE = 0x85,
	MODEL_FR_SM_READ = 0x86,
	MODEL_FR_SM_INTR_ADDR = 0x87, /* output in 0xFEEx_xxxx */
	MODEL_FR_SM_FL_AD_NOSNOOP = 0x90,
};

#endif /* MODEL_SPEC_H */
