// SPDX-License-Identifier: MIT
/* Shared set-up of the hosted driver tests (tests/unit/support/iommu_test_setup.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "iommu/root.h"
#include "tests/unit/support/iommu_test_setup.h"

struct model_unit *iommu_test_model_up(struct model_config c)
{
	struct model_unit *m = model_create(&c);

	assert_non_null(m);
	env_attach(m);
	return m;
}

void iommu_test_model_down(struct model_unit *m)
{
	env_detach();
	model_destroy(m);
}

void iommu_test_unit_up(struct vtd_unit *u)
{
	assert_int_equal(vtd_unit_init(u, 0, env_reg_base()), 0);
	assert_int_equal(vtd_unit_enable(u), 0);
}

void iommu_test_unit_down(struct vtd_unit *u)
{
	vtd_ctx_free_tables(u);
	vtd_unit_disable(u);
}
