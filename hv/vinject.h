/* SPDX-License-Identifier: MIT */
/*
 * hv/vinject.h - interrupts the hypervisor raises for the guest (issue 7): an MSI that
 * an emulated device (the virtual VT-d unit, hv/vvtd.h) sends with the address/data pair
 * the guest programmed (FEADDR/FEDATA, IEADDR/IEDATA), decoded as the x86 MSI format
 * (SDM Vol. 3A 11.11 "Message Signalled Interrupts") and delivered to the destination
 * virtual CPU as an external interrupt through the VM-entry interruption-information
 * field (SDM Vol. 3C 27.6 "Event injection"). An interrupt the guest cannot take yet
 * (RFLAGS.IF = 0, blocking by STI or MOV SS, an event already being injected) stays
 * pending, and an interrupt-window exit is requested (SDM Vol. 3C 25.6.2, 28.2) when the
 * embedder handles that exit (vinject_window_exits()).
 *
 * The decision logic (decode, pending set, when to inject) is portable and hosted-tested
 * (tests/unit/test_vinject.c); only vinject_vmx_sync() and vinject_window_exit() touch
 * the VMCS (core build, HV_CORE).
 *
 * Known limit: the guest's local APIC is not virtualized, so an injected interrupt sets no
 * bit in its ISR; the guest's EOI write then goes to the physical APIC (harmless when no
 * other interrupt is in service there).
 */
#ifndef HV_VINJECT_H
#define HV_VINJECT_H

#include "hv/types.h"

/* x86 MSI address (SDM Vol. 3A 11.11.1, Figure 11-24) */
#define VINJECT_MSI_ADDR_BASE	   0xfee00000u
#define VINJECT_MSI_ADDR_BASE_MASK 0xfff00000u
#define VINJECT_MSI_DEST_SHIFT	   12 /* destination APIC ID, bits 19:12 */
#define VINJECT_MSI_ADDR_RH	   BIT(3)
#define VINJECT_MSI_ADDR_DM	   BIT(2) /* 1: logical destination */
/* x86 MSI data (SDM Vol. 3A 11.11.2, Figure 11-25) */
#define VINJECT_MSI_DATA_VECTOR	   0xffu
#define VINJECT_MSI_DATA_DLM_SHIFT 8	   /* delivery mode, bits 10:8 */
#define VINJECT_MSI_DATA_LEVEL	   BIT(14) /* assert; ignored for edge */
#define VINJECT_MSI_DATA_TRIGGER   BIT(15) /* 1: level-triggered */
#define VINJECT_DLM_FIXED	   0u
#define VINJECT_DLM_LOWPRI	   1u
#define VINJECT_BROADCAST	   0xffu /* physical destination 0xff: every CPU */

/* Guest interruptibility state (SDM Vol. 3C 25.4.2, Table 25-3) */
#define VINJECT_BLOCK_STI   BIT(0)
#define VINJECT_BLOCK_MOVSS BIT(1)
/* Guest activity states (SDM Vol. 3C 25.4.2) */
#define VINJECT_ACT_ACTIVE 0u
#define VINJECT_ACT_HLT	   1u
#define VINJECT_RFLAGS_IF  BIT(9)
/* VM-entry interruption information (SDM Vol. 3C 25.8.3): type 0 = external interrupt */
#define VINJECT_INFO_VALID BIT(31)

#define VINJECT_MAX_CPUS 8u /* = SMP_CPUS_MAX (hv/smp.h) */

struct vinject_msi {
	uint8_t vector;
	uint8_t dest; /* physical APIC ID (xAPIC, 8 bits) */
	uint8_t delivery_mode;
};

/* One virtual CPU: its APIC ID and the vectors waiting for it (bit n = vector n). */
struct vinject_cpu {
	bool present;
	uint32_t apic_id;
	uint64_t pending[4];
	uint64_t posted, injected, windows, coalesced;
};

struct vinject {
	struct vinject_cpu cpu[VINJECT_MAX_CPUS]; /* by logical CPU index, 0 = BSP */
	uint64_t rejected, no_target;
};

/* What the next VM entry of a CPU must do (vinject_decide()). */
enum vinject_action {
	VINJECT_NONE = 0,   /* nothing pending: interrupt-window exiting off */
	VINJECT_NOW = 1,    /* inject the vector returned, window exiting off */
	VINJECT_WINDOW = 2, /* pending but blocked: request an interrupt-window exit */
	VINJECT_WAIT = 3,   /* pending, the CPU is in shutdown / wait-for-SIPI: keep it */
};

/*
 * vinject_msi_decode() - decode the 32-bit MSI address @addr (the low half: FEADDR or
 * IEADDR; the upper half is 0 without x2APIC destinations) and data @data (FEDATA or
 * IEDATA, bits 15:0) into @m. Only what the hypervisor can deliver is accepted: address
 * 0xFEExxxxx, physical destination mode, fixed or lowest-priority delivery (both go to
 * the destination APIC ID; no arbitration), edge trigger (bit 14, level, is ignored for
 * edge), vector 16..255 (0..15 are illegal vectors for a fixed interrupt, SDM Vol. 3A
 * 11.5.2). Returns 0; -EINVAL (not an
 * MSI address, vector < 16); -EOPNOTSUPP (logical destination, SMI/NMI/INIT/ExtINT
 * delivery, level trigger). Never trusts the guest values: any input is safe.
 */
int vinject_msi_decode(uint32_t addr, uint32_t data, struct vinject_msi *m);

/*
 * vinject_cpu_add() - make logical CPU @cpu (0 .. VINJECT_MAX_CPUS - 1) with local APIC
 * ID @apic_id a destination. Returns 0; -EINVAL for a bad @cpu.
 */
int vinject_cpu_add(struct vinject *s, unsigned int cpu, uint32_t apic_id);

/*
 * vinject_post() - an edge MSI @m: mark its vector pending on the CPU whose APIC ID is
 * m->dest (broadcast 0xff: on CPU @self, the sender's logical CPU index). An edge
 * interrupt already pending is coalesced (as the local APIC's IRR does, SDM Vol. 3A
 * 11.8.4). Returns the logical CPU index it is pending on (>= 0); -ENODEV when no known
 * CPU has that APIC ID (the interrupt is dropped and counted).
 */
int vinject_post(struct vinject *s, const struct vinject_msi *m, unsigned int self);

/*
 * vinject_decide() - for CPU @c about to enter the guest: @rflags (GUEST_RFLAGS),
 * @intr_state (GUEST_INTERRUPTIBILITY_INFO), @activity (GUEST_ACTIVITY_STATE),
 * @entry_info (VM_ENTRY_INTR_INFO_FIELD: an event already injected wins). Returns the
 * action; with VINJECT_NOW the highest pending vector (the APIC's priority order, SDM
 * Vol. 3A 11.8.3) in *@vector, which the caller then gives to vinject_taken(). Pure: no
 * state changes.
 */
enum vinject_action vinject_decide(const struct vinject_cpu *c, uint64_t rflags,
				   uint32_t intr_state, uint32_t activity, uint32_t entry_info,
				   uint8_t *vector);

/* vinject_taken() - @vector was injected into CPU @c: no longer pending, counted. */
void vinject_taken(struct vinject_cpu *c, uint8_t vector);

/* vinject_entry_info() - the VM-entry interruption-information value for external
 * interrupt @vector (SDM Vol. 3C 25.8.3: valid, type 0, no error code). */
uint32_t vinject_entry_info(uint8_t vector);

/* vinject_state() - the hypervisor's one instance (core and tests). */
struct vinject *vinject_state(void);

#ifdef HV_CORE
struct vcpu;
/* vinject_vmx_register() - on vCPU @v: make it a destination with the APIC ID of the CPU
 * it runs on (lapic_id(); the guest's local APIC is the physical one). Idempotent. */
void vinject_vmx_register(struct vcpu *v);

/*
 * vinject_vmx_sync() - on vCPU @v with its VMCS current, in an exit handler: register
 * the CPU's APIC ID on first use (CPUID.1:EBX[31:24]), then inject its highest pending
 * vector if the guest can take it now (VM_ENTRY_INTR_INFO_FIELD; HLT -> active), else
 * set interrupt-window exiting when vinject_window_exits() was called (else the vector
 * waits for the next sync). Cheap when nothing is pending.
 */
void vinject_vmx_sync(struct vcpu *v);

/*
 * vinject_window_exit() - the handler of exit reason 7 (interrupt window, SDM Vol. 3C
 * 28.2): window exiting off, then vinject_vmx_sync(). The exit does not advance RIP.
 */
void vinject_window_exit(struct vcpu *v);

/* vinject_window_exits() - the embedder routes exit reason 7 to vinject_window_exit(),
 * so requesting interrupt-window exits is safe from now on. */
void vinject_window_exits(void);
#endif

#endif /* HV_VINJECT_H */
