// SPDX-License-Identifier: MIT
/*
 * hv/vinject.c - MSIs from emulated devices to the guest's virtual CPUs (hv/vinject.h):
 * the portable decode / pending / decision logic, and under HV_CORE the thin VMCS part.
 */
#include <errno.h>
#include <string.h>

#include "hv/vinject.h"

static struct vinject vinject_the;

struct vinject *vinject_state(void)
{
	return &vinject_the;
}

int vinject_msi_decode(uint32_t addr, uint32_t data, struct vinject_msi *m)
{
	uint32_t dlm = (data >> VINJECT_MSI_DATA_DLM_SHIFT) & 7;

	memset(m, 0, sizeof(*m));
	if ((addr & VINJECT_MSI_ADDR_BASE_MASK) != VINJECT_MSI_ADDR_BASE)
		return -EINVAL;
	if (addr & VINJECT_MSI_ADDR_DM)
		return -EOPNOTSUPP;
	if (dlm != VINJECT_DLM_FIXED && dlm != VINJECT_DLM_LOWPRI)
		return -EOPNOTSUPP;
	if (data & VINJECT_MSI_DATA_TRIGGER)
		return -EOPNOTSUPP;
	if ((data & VINJECT_MSI_DATA_VECTOR) < 16)
		return -EINVAL;
	m->vector = (uint8_t)(data & VINJECT_MSI_DATA_VECTOR);
	m->dest = (uint8_t)(addr >> VINJECT_MSI_DEST_SHIFT);
	m->delivery_mode = (uint8_t)dlm;
	return 0;
}

int vinject_cpu_add(struct vinject *s, unsigned int cpu, uint32_t apic_id)
{
	if (cpu >= VINJECT_MAX_CPUS)
		return -EINVAL;
	s->cpu[cpu].present = true;
	s->cpu[cpu].apic_id = apic_id;
	return 0;
}

int vinject_post(struct vinject *s, const struct vinject_msi *m, unsigned int self)
{
	struct vinject_cpu *c;
	int target = -1;

	if (m->dest == VINJECT_BROADCAST) {
		if (self < VINJECT_MAX_CPUS && s->cpu[self].present)
			target = (int)self;
	} else {
		for (unsigned int i = 0; i < VINJECT_MAX_CPUS; i++)
			if (s->cpu[i].present && s->cpu[i].apic_id == m->dest)
				target = (int)i;
	}
	if (target < 0) {
		s->no_target++;
		return -ENODEV;
	}
	c = &s->cpu[target];
	/* Atomic: the destination CPU may be taking another vector in vinject_vmx_sync(). */
	if (__atomic_fetch_or(&c->pending[m->vector / 64], 1ull << (m->vector % 64),
			      __ATOMIC_SEQ_CST) &
	    (1ull << (m->vector % 64)))
		c->coalesced++;
	c->posted++;
	return target;
}

/* The highest pending vector, or -1. */
static int highest(const struct vinject_cpu *c)
{
	for (int w = 3; w >= 0; w--)
		if (c->pending[w])
			return w * 64 + 63 - __builtin_clzll(c->pending[w]);
	return -1;
}

enum vinject_action vinject_decide(const struct vinject_cpu *c, uint64_t rflags,
				   uint32_t intr_state, uint32_t activity, uint32_t entry_info,
				   uint8_t *vector)
{
	int v = highest(c);

	if (v < 0)
		return VINJECT_NONE;
	if (activity != VINJECT_ACT_ACTIVE && activity != VINJECT_ACT_HLT)
		return VINJECT_WAIT; /* shutdown, wait-for-SIPI: no interrupt window there */
	/* SDM Vol. 3C 26.3.1.5: an external interrupt needs IF = 1 and no STI / MOV-SS
	 * blocking; one event per entry (27.6), so an injected exception goes first. */
	if (!(rflags & VINJECT_RFLAGS_IF) ||
	    (intr_state & (VINJECT_BLOCK_STI | VINJECT_BLOCK_MOVSS)) ||
	    (entry_info & VINJECT_INFO_VALID))
		return VINJECT_WINDOW;
	*vector = (uint8_t)v;
	return VINJECT_NOW;
}

void vinject_taken(struct vinject_cpu *c, uint8_t vector)
{
	__atomic_fetch_and(&c->pending[vector / 64], ~(1ull << (vector % 64)), __ATOMIC_SEQ_CST);
	c->injected++;
}

uint32_t vinject_entry_info(uint8_t vector)
{
	return VINJECT_INFO_VALID | vector; /* type 0 (external interrupt), bits 10:8 */
}

#ifdef HV_CORE
#include "hv/lapic.h"
#include "hv/vcpu.h"
#include "hv/vmx.h"

static bool vinject_window_ok;

void vinject_window_exits(void)
{
	vinject_window_ok = true;
}

static void window(bool on)
{
	uint64_t proc = vmcs_read(CPU_BASED_VM_EXEC_CONTROL);
	uint64_t want = on ? proc | CPU_BASED_INTR_WINDOW_EXITING :
			     proc & ~(uint64_t)CPU_BASED_INTR_WINDOW_EXITING;

	if (want != proc)
		vmcs_write(CPU_BASED_VM_EXEC_CONTROL, want);
}

void vinject_vmx_register(struct vcpu *v)
{
	if (v->cpu < VINJECT_MAX_CPUS && !vinject_the.cpu[v->cpu].present)
		vinject_cpu_add(&vinject_the, v->cpu, lapic_id());
}

void vinject_vmx_sync(struct vcpu *v)
{
	struct vinject *s = &vinject_the;
	struct vinject_cpu *c;
	uint64_t activity;
	uint8_t vec = 0;

	if (v->cpu >= VINJECT_MAX_CPUS)
		return;
	vinject_vmx_register(v);
	c = &s->cpu[v->cpu];
	if (!(c->pending[0] | c->pending[1] | c->pending[2] | c->pending[3]))
		return;
	activity = vmcs_read(GUEST_ACTIVITY_STATE);
	switch (vinject_decide(c, vmcs_read(GUEST_RFLAGS),
			       (uint32_t)vmcs_read(GUEST_INTERRUPTIBILITY_INFO), (uint32_t)activity,
			       (uint32_t)vmcs_read(VM_ENTRY_INTR_INFO_FIELD), &vec)) {
	case VINJECT_NOW:
		vmcs_write(VM_ENTRY_INTR_INFO_FIELD, vinject_entry_info(vec));
		if (activity == VINJECT_ACT_HLT) /* the interrupt ends HLT (SDM Vol. 3C 27.6) */
			vmcs_write(GUEST_ACTIVITY_STATE, VINJECT_ACT_ACTIVE);
		vinject_taken(c, vec);
		if (vinject_window_ok) /* more pending: exit when the handler IRETs */
			window(highest(c) >= 0);
		break;
	case VINJECT_WINDOW:
		if (vinject_window_ok) {
			c->windows++;
			window(true);
		}
		break;
	default:
		break;
	}
}

void vinject_window_exit(struct vcpu *v)
{
	window(false);
	vinject_vmx_sync(v);
}
#endif
