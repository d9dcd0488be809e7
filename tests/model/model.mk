# SPDX-License-Identifier: MIT
#
# model.mk - build and test the VT-d reference model (tests/model/).
#
# Included by the root Makefile; also works alone, from the repository root:
#   make -f tests/model/model.mk test-model
#
# Defines MODEL_SRCS, build/model/libmodel.a and the target test-model, which
# builds every tests/unit/test_model*.c against libmodel.a and cmocka and
# runs them (fails if any test fails).

HOSTED_CC ?= gcc
HOSTED_AR ?= ar
MODEL_CFLAGS ?= -std=gnu11 -O1 -g -Wall -Wextra -Werror -I. -Itests/model
MODEL_BUILD ?= build/model
MODEL_UNIT_BUILD ?= build/unit
CMOCKA_LIBS ?= -lcmocka

# Keep whatever default goal the including Makefile has (or has not yet).
_model_saved_default_goal := $(.DEFAULT_GOAL)

MODEL_SRCS := \
	tests/model/mem.c \
	tests/model/regs.c \
	tests/model/fault.c \
	tests/model/walk.c \
	tests/model/cache.c \
	tests/model/qi.c \
	tests/model/prq.c \
	tests/model/dma.c \
	tests/model/build.c

MODEL_HDRS := $(wildcard tests/model/*.h)
MODEL_OBJS := $(patsubst tests/model/%.c,$(MODEL_BUILD)/%.o,$(MODEL_SRCS))
MODEL_LIB := $(MODEL_BUILD)/libmodel.a
MODEL_TEST_SRCS := $(sort $(wildcard tests/unit/test_model*.c))
MODEL_TEST_BINS := $(patsubst tests/unit/%.c,$(MODEL_UNIT_BUILD)/%,$(MODEL_TEST_SRCS))

.PHONY: test-model model-lib

model-lib: $(MODEL_LIB)

$(MODEL_BUILD)/%.o: tests/model/%.c $(MODEL_HDRS)
	@mkdir -p $(@D)
	$(HOSTED_CC) $(MODEL_CFLAGS) -c -o $@ $<

$(MODEL_LIB): $(MODEL_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(HOSTED_AR) rcs $@ $^

$(MODEL_UNIT_BUILD)/test_model%: tests/unit/test_model%.c $(MODEL_LIB) $(MODEL_HDRS)
	@mkdir -p $(@D)
	$(HOSTED_CC) $(MODEL_CFLAGS) -o $@ $< $(MODEL_LIB) $(CMOCKA_LIBS)

test-model: $(MODEL_TEST_BINS)
	@set -e; for t in $(MODEL_TEST_BINS); do echo "RUN $$t"; $$t; done

.DEFAULT_GOAL := $(_model_saved_default_goal)
