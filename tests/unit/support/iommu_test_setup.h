/* SPDX-License-Identifier: MIT */
/*
 * iommu_test_setup.h - the set-up and tear-down that the hosted driver tests
 * (tests/unit/test_iommu_*.c) share: a VT-d reference-model unit as the driver's
 * environment (iommu_env_model.h), and a struct vtd_unit brought up on it. Every step
 * is a cmocka assertion, so a failing set-up fails the test that needs it.
 */
#ifndef TESTS_UNIT_IOMMU_TEST_SETUP_H
#define TESTS_UNIT_IOMMU_TEST_SETUP_H

#include "iommu/vtd.h"
#include "tests/unit/support/iommu_env_model.h"

/* iommu_test_model_up() - a model unit made from @c, attached as the environment. */
struct model_unit *iommu_test_model_up(struct model_config c);

/* iommu_test_model_down() - detach the environment, then destroy @m. */
void iommu_test_model_down(struct model_unit *m);

/*
 * iommu_test_unit_up() - vtd_unit_init() @u on the attached model unit (register base
 * env_reg_base(), unit index 0), then vtd_unit_enable(); asserts both return 0.
 */
void iommu_test_unit_up(struct vtd_unit *u);

/* iommu_test_unit_down() - free @u's root and context tables, then vtd_unit_disable(). */
void iommu_test_unit_down(struct vtd_unit *u);

#endif /* TESTS_UNIT_IOMMU_TEST_SETUP_H */
