/* SPDX-License-Identifier: MIT */
/*
 * VMCS field encodings (SDM Vol. 3D Appendix B), control bits (SDM Vol. 3C 25.6-25.8),
 * basic exit reasons (Appendix C) and VM-instruction error numbers (3C 31.4).
 * Names follow the SDM's field names, spelled the way Linux and KVM spell them.
 */
#ifndef HV_VMCS_FIELDS_H
#define HV_VMCS_FIELDS_H

/* B.1.1 16-bit control fields */
#define VIRTUAL_PROCESSOR_ID 0x0000
#define POSTED_INTR_NV	     0x0002
#define EPTP_INDEX	     0x0004
/* B.1.2 16-bit guest-state fields */
#define GUEST_ES_SELECTOR   0x0800
#define GUEST_CS_SELECTOR   0x0802
#define GUEST_SS_SELECTOR   0x0804
#define GUEST_DS_SELECTOR   0x0806
#define GUEST_FS_SELECTOR   0x0808
#define GUEST_GS_SELECTOR   0x080a
#define GUEST_LDTR_SELECTOR 0x080c
#define GUEST_TR_SELECTOR   0x080e
#define GUEST_INTR_STATUS   0x0810
#define GUEST_PML_INDEX	    0x0812
/* B.1.3 16-bit host-state fields */
#define HOST_ES_SELECTOR 0x0c00
#define HOST_CS_SELECTOR 0x0c02
#define HOST_SS_SELECTOR 0x0c04
#define HOST_DS_SELECTOR 0x0c06
#define HOST_FS_SELECTOR 0x0c08
#define HOST_GS_SELECTOR 0x0c0a
#define HOST_TR_SELECTOR 0x0c0c

/* B.2.1 64-bit control fields */
#define IO_BITMAP_A		 0x2000
#define IO_BITMAP_B		 0x2002
#define MSR_BITMAP		 0x2004
#define VM_EXIT_MSR_STORE_ADDR	 0x2006
#define VM_EXIT_MSR_LOAD_ADDR	 0x2008
#define VM_ENTRY_MSR_LOAD_ADDR	 0x200a
#define EXECUTIVE_VMCS_POINTER	 0x200c
#define PML_ADDRESS		 0x200e
#define TSC_OFFSET		 0x2010
#define VIRTUAL_APIC_PAGE_ADDR	 0x2012
#define APIC_ACCESS_ADDR	 0x2014
#define POSTED_INTR_DESC_ADDR	 0x2016
#define VM_FUNCTION_CONTROL	 0x2018
#define EPT_POINTER		 0x201a
#define EPTP_LIST_ADDRESS	 0x2024
#define VMREAD_BITMAP		 0x2026
#define VMWRITE_BITMAP		 0x2028
#define XSS_EXIT_BITMAP		 0x202c
#define TERTIARY_VM_EXEC_CONTROL 0x2034
#define PASID_DIR0		 0x2038
#define PASID_DIR1		 0x203a
/* B.2.2 64-bit read-only data field */
#define GUEST_PHYSICAL_ADDRESS 0x2400
/* B.2.3 64-bit guest-state fields */
#define VMCS_LINK_POINTER	    0x2800
#define GUEST_IA32_DEBUGCTL	    0x2802
#define GUEST_IA32_PAT		    0x2804
#define GUEST_IA32_EFER		    0x2806
#define GUEST_IA32_PERF_GLOBAL_CTRL 0x2808
#define GUEST_PDPTR0		    0x280a
#define GUEST_PDPTR1		    0x280c
#define GUEST_PDPTR2		    0x280e
#define GUEST_PDPTR3		    0x2810
/* B.2.4 64-bit host-state fields */
#define HOST_IA32_PAT		   0x2c00
#define HOST_IA32_EFER		   0x2c02
#define HOST_IA32_PERF_GLOBAL_CTRL 0x2c04

/* B.3.1 32-bit control fields */
#define PIN_BASED_VM_EXEC_CONTROL     0x4000
#define CPU_BASED_VM_EXEC_CONTROL     0x4002
#define EXCEPTION_BITMAP	      0x4004
#define PAGE_FAULT_ERROR_CODE_MASK    0x4006
#define PAGE_FAULT_ERROR_CODE_MATCH   0x4008
#define CR3_TARGET_COUNT	      0x400a
#define VM_EXIT_CONTROLS	      0x400c
#define VM_EXIT_MSR_STORE_COUNT	      0x400e
#define VM_EXIT_MSR_LOAD_COUNT	      0x4010
#define VM_ENTRY_CONTROLS	      0x4012
#define VM_ENTRY_MSR_LOAD_COUNT	      0x4014
#define VM_ENTRY_INTR_INFO_FIELD      0x4016
#define VM_ENTRY_EXCEPTION_ERROR_CODE 0x4018
#define VM_ENTRY_INSTRUCTION_LEN      0x401a
#define TPR_THRESHOLD		      0x401c
#define SECONDARY_VM_EXEC_CONTROL     0x401e
#define PLE_GAP			      0x4020
#define PLE_WINDOW		      0x4022
/* B.3.2 32-bit read-only data fields */
#define VM_INSTRUCTION_ERROR	 0x4400
#define VM_EXIT_REASON		 0x4402
#define VM_EXIT_INTR_INFO	 0x4404
#define VM_EXIT_INTR_ERROR_CODE	 0x4406
#define IDT_VECTORING_INFO_FIELD 0x4408
#define IDT_VECTORING_ERROR_CODE 0x440a
#define VM_EXIT_INSTRUCTION_LEN	 0x440c
#define VMX_INSTRUCTION_INFO	 0x440e
/* B.3.3 32-bit guest-state fields */
#define GUEST_ES_LIMIT		    0x4800
#define GUEST_CS_LIMIT		    0x4802
#define GUEST_SS_LIMIT		    0x4804
#define GUEST_DS_LIMIT		    0x4806
#define GUEST_FS_LIMIT		    0x4808
#define GUEST_GS_LIMIT		    0x480a
#define GUEST_LDTR_LIMIT	    0x480c
#define GUEST_TR_LIMIT		    0x480e
#define GUEST_GDTR_LIMIT	    0x4810
#define GUEST_IDTR_LIMIT	    0x4812
#define GUEST_ES_AR_BYTES	    0x4814
#define GUEST_CS_AR_BYTES	    0x4816
#define GUEST_SS_AR_BYTES	    0x4818
#define GUEST_DS_AR_BYTES	    0x481a
#define GUEST_FS_AR_BYTES	    0x481c
#define GUEST_GS_AR_BYTES	    0x481e
#define GUEST_LDTR_AR_BYTES	    0x4820
#define GUEST_TR_AR_BYTES	    0x4822
#define GUEST_INTERRUPTIBILITY_INFO 0x4824
#define GUEST_ACTIVITY_STATE	    0x4826
#define GUEST_SMBASE		    0x4828
#define GUEST_SYSENTER_CS	    0x482a
#define VMX_PREEMPTION_TIMER_VALUE  0x482e
/* B.3.4 32-bit host-state field */
#define HOST_IA32_SYSENTER_CS 0x4c00

/* B.4.1 natural-width control fields */
#define CR0_GUEST_HOST_MASK 0x6000
#define CR4_GUEST_HOST_MASK 0x6002
#define CR0_READ_SHADOW	    0x6004
#define CR4_READ_SHADOW	    0x6006
#define CR3_TARGET_VALUE0   0x6008
/* B.4.2 natural-width read-only data fields */
#define EXIT_QUALIFICATION   0x6400
#define GUEST_LINEAR_ADDRESS 0x640a
/* B.4.3 natural-width guest-state fields */
#define GUEST_CR0		     0x6800
#define GUEST_CR3		     0x6802
#define GUEST_CR4		     0x6804
#define GUEST_ES_BASE		     0x6806
#define GUEST_CS_BASE		     0x6808
#define GUEST_SS_BASE		     0x680a
#define GUEST_DS_BASE		     0x680c
#define GUEST_FS_BASE		     0x680e
#define GUEST_GS_BASE		     0x6810
#define GUEST_LDTR_BASE		     0x6812
#define GUEST_TR_BASE		     0x6814
#define GUEST_GDTR_BASE		     0x6816
#define GUEST_IDTR_BASE		     0x6818
#define GUEST_DR7		     0x681a
#define GUEST_RSP		     0x681c
#define GUEST_RIP		     0x681e
#define GUEST_RFLAGS		     0x6820
#define GUEST_PENDING_DBG_EXCEPTIONS 0x6822
#define GUEST_SYSENTER_ESP	     0x6824
#define GUEST_SYSENTER_EIP	     0x6826
/* B.4.4 natural-width host-state fields */
#define HOST_CR0	       0x6c00
#define HOST_CR3	       0x6c02
#define HOST_CR4	       0x6c04
#define HOST_FS_BASE	       0x6c06
#define HOST_GS_BASE	       0x6c08
#define HOST_TR_BASE	       0x6c0a
#define HOST_GDTR_BASE	       0x6c0c
#define HOST_IDTR_BASE	       0x6c0e
#define HOST_IA32_SYSENTER_ESP 0x6c10
#define HOST_IA32_SYSENTER_EIP 0x6c12
#define HOST_RSP	       0x6c14
#define HOST_RIP	       0x6c16

/* 25.6.1 pin-based VM-execution controls */
#define PIN_BASED_EXT_INTR_MASK	       (1u << 0)
#define PIN_BASED_NMI_EXITING	       (1u << 3)
#define PIN_BASED_VIRTUAL_NMIS	       (1u << 5)
#define PIN_BASED_VMX_PREEMPTION_TIMER (1u << 6)

/* 25.6.2 primary processor-based VM-execution controls */
#define CPU_BASED_INTR_WINDOW_EXITING (1u << 2)
#define CPU_BASED_USE_TSC_OFFSETTING  (1u << 3)
#define CPU_BASED_HLT_EXITING	      (1u << 7)
#define CPU_BASED_INVLPG_EXITING      (1u << 9)
#define CPU_BASED_MWAIT_EXITING	      (1u << 10)
#define CPU_BASED_RDPMC_EXITING	      (1u << 11)
#define CPU_BASED_RDTSC_EXITING	      (1u << 12)
#define CPU_BASED_CR3_LOAD_EXITING    (1u << 15)
#define CPU_BASED_CR3_STORE_EXITING   (1u << 16)
#define CPU_BASED_CR8_LOAD_EXITING    (1u << 19)
#define CPU_BASED_CR8_STORE_EXITING   (1u << 20)
#define CPU_BASED_TPR_SHADOW	      (1u << 21)
#define CPU_BASED_NMI_WINDOW_EXITING  (1u << 22)
#define CPU_BASED_MOV_DR_EXITING      (1u << 23)
#define CPU_BASED_UNCOND_IO_EXITING   (1u << 24)
#define CPU_BASED_USE_IO_BITMAPS      (1u << 25)
#define CPU_BASED_MONITOR_TRAP_FLAG   (1u << 27)
#define CPU_BASED_USE_MSR_BITMAPS     (1u << 28)
#define CPU_BASED_MONITOR_EXITING     (1u << 29)
#define CPU_BASED_PAUSE_EXITING	      (1u << 30)
#define CPU_BASED_ACTIVATE_SECONDARY  (1u << 31)

/* 25.6.2 secondary processor-based VM-execution controls (others in hv/vmx_caps.h) */
#define SECONDARY_EXEC_DESC_TABLE_EXITING (1u << 2)
#define SECONDARY_EXEC_WBINVD_EXITING	  (1u << 6)

/* 25.7.1 VM-exit controls */
#define VM_EXIT_SAVE_DEBUG_CONTROLS   (1u << 2)
#define VM_EXIT_HOST_ADDR_SPACE_SIZE  (1u << 9)
#define VM_EXIT_LOAD_PERF_GLOBAL_CTRL (1u << 12)
#define VM_EXIT_ACK_INTR_ON_EXIT      (1u << 15)
#define VM_EXIT_SAVE_IA32_PAT	      (1u << 18)
#define VM_EXIT_LOAD_IA32_PAT	      (1u << 19)
#define VM_EXIT_SAVE_IA32_EFER	      (1u << 20)
#define VM_EXIT_LOAD_IA32_EFER	      (1u << 21)
#define VM_EXIT_SAVE_PREEMPTION_TIMER (1u << 22) /* save the VMX-preemption timer value */

/* 25.8.1 VM-entry controls */
#define VM_ENTRY_LOAD_DEBUG_CONTROLS   (1u << 2)
#define VM_ENTRY_IA32E_MODE	       (1u << 9)
#define VM_ENTRY_SMM		       (1u << 10)
#define VM_ENTRY_DEACT_DUAL_MONITOR    (1u << 11)
#define VM_ENTRY_LOAD_PERF_GLOBAL_CTRL (1u << 13)
#define VM_ENTRY_LOAD_IA32_PAT	       (1u << 14)
#define VM_ENTRY_LOAD_IA32_EFER	       (1u << 15)

/* 25.8.3 VM-entry interruption-information field */
#define INTR_INFO_VALID		 (1u << 31)
#define INTR_INFO_DELIVER_CODE	 (1u << 11)
#define INTR_TYPE_HARD_EXCEPTION (3u << 8)

/* 26.4.1 segment access rights as the VMCS holds them */
#define VMX_AR_TYPE(ar) ((ar)&0xf)
#define VMX_AR_S	(1u << 4)
#define VMX_AR_DPL(ar)	(((ar) >> 5) & 3)
#define VMX_AR_P	(1u << 7)
#define VMX_AR_L	(1u << 13)
#define VMX_AR_DB	(1u << 14)
#define VMX_AR_G	(1u << 15)
#define VMX_AR_UNUSABLE (1u << 16)

/* 28.2.1 exit-qualification bits of an EPT violation */
#define EPT_VIOLATION_READ	(1ull << 0)
#define EPT_VIOLATION_WRITE	(1ull << 1)
#define EPT_VIOLATION_FETCH	(1ull << 2)
#define EPT_VIOLATION_GVA_VALID (1ull << 7)
#define EPT_VIOLATION_GVA_XLATE (1ull << 8)

/* 28.2.1 exit-qualification of a control-register access */
#define CR_QUAL_CR(q)	((q)&0xf)
#define CR_QUAL_TYPE(q) (((q) >> 4) & 3) /* 0 MOV to CR, 1 MOV from CR, 2 CLTS, 3 LMSW */
#define CR_QUAL_GPR(q)	(((q) >> 8) & 0xf)

/* Appendix C: basic exit reasons (bits 15:0 of the exit-reason field) */
#define VMX_EXIT_REASON_ENTRY_FAIL (1u << 31)
enum vmx_exit_reason {
	EXIT_REASON_EXCEPTION_NMI = 0,
	EXIT_REASON_EXTERNAL_INTERRUPT = 1,
	EXIT_REASON_TRIPLE_FAULT = 2,
	EXIT_REASON_INIT_SIGNAL = 3,
	EXIT_REASON_SIPI_SIGNAL = 4,
	EXIT_REASON_IO_SMI = 5,
	EXIT_REASON_OTHER_SMI = 6,
	EXIT_REASON_INTERRUPT_WINDOW = 7,
	EXIT_REASON_NMI_WINDOW = 8,
	EXIT_REASON_TASK_SWITCH = 9,
	EXIT_REASON_CPUID = 10,
	EXIT_REASON_GETSEC = 11,
	EXIT_REASON_HLT = 12,
	EXIT_REASON_INVD = 13,
	EXIT_REASON_INVLPG = 14,
	EXIT_REASON_RDPMC = 15,
	EXIT_REASON_RDTSC = 16,
	EXIT_REASON_RSM = 17,
	EXIT_REASON_VMCALL = 18,
	EXIT_REASON_VMCLEAR = 19,
	EXIT_REASON_VMLAUNCH = 20,
	EXIT_REASON_VMPTRLD = 21,
	EXIT_REASON_VMPTRST = 22,
	EXIT_REASON_VMREAD = 23,
	EXIT_REASON_VMRESUME = 24,
	EXIT_REASON_VMWRITE = 25,
	EXIT_REASON_VMOFF = 26,
	EXIT_REASON_VMON = 27,
	EXIT_REASON_CR_ACCESS = 28,
	EXIT_REASON_DR_ACCESS = 29,
	EXIT_REASON_IO_INSTRUCTION = 30,
	EXIT_REASON_MSR_READ = 31,
	EXIT_REASON_MSR_WRITE = 32,
	EXIT_REASON_INVALID_STATE = 33,
	EXIT_REASON_MSR_LOAD_FAIL = 34,
	EXIT_REASON_MWAIT_INSTRUCTION = 36,
	EXIT_REASON_MONITOR_TRAP_FLAG = 37,
	EXIT_REASON_MONITOR_INSTRUCTION = 39,
	EXIT_REASON_PAUSE_INSTRUCTION = 40,
	EXIT_REASON_MCE_DURING_VMENTRY = 41,
	EXIT_REASON_TPR_BELOW_THRESHOLD = 43,
	EXIT_REASON_APIC_ACCESS = 44,
	EXIT_REASON_EOI_INDUCED = 45,
	EXIT_REASON_GDTR_IDTR = 46,
	EXIT_REASON_LDTR_TR = 47,
	EXIT_REASON_EPT_VIOLATION = 48,
	EXIT_REASON_EPT_MISCONFIG = 49,
	EXIT_REASON_INVEPT = 50,
	EXIT_REASON_RDTSCP = 51,
	EXIT_REASON_PREEMPTION_TIMER = 52,
	EXIT_REASON_INVVPID = 53,
	EXIT_REASON_WBINVD = 54,
	EXIT_REASON_XSETBV = 55,
	EXIT_REASON_APIC_WRITE = 56,
	EXIT_REASON_RDRAND = 57,
	EXIT_REASON_INVPCID = 58,
	EXIT_REASON_VMFUNC = 59,
	EXIT_REASON_ENCLS = 60,
	EXIT_REASON_RDSEED = 61,
	EXIT_REASON_PML_FULL = 62,
	EXIT_REASON_XSAVES = 63,
	EXIT_REASON_XRSTORS = 64,
	EXIT_REASON_MAX = 65, /* table size: reasons 0..64 */
};

#endif /* HV_VMCS_FIELDS_H */
