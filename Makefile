# medley - a music-metadata aggregator over HTTP. See README.md.
#
#   make            build build/medley (release)
#   make run        install what is missing, build, start a private
#                   PostgreSQL under var/ (unless MEDLEY_DATABASE_URL is set),
#                   migrate and serve on 127.0.0.1:8080
#   make check      every test suite, with ASan+UBSan, on a private PostgreSQL
#   make help       every target
#
# Variants build into their own folder: VARIANT=release (build/),
# asan (build/asan/), tsan (build/tsan/).

VERSION    := 0.1.0
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share
SYSCONFDIR ?= $(PREFIX)/etc
DESTDIR    ?=
PYTHON     ?= /usr/bin/python3
PKG_CONFIG ?= pkg-config
VARIANT    ?= release

PKGS := libmicrohttpd libpq libcurl libcjson libcyaml

# V=1 shows full commands.
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-7s %s\n' $(1) $(2)
endif

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wvla -Wwrite-strings -Wcast-qual -Wundef -fno-common

ifeq ($(VARIANT),release)
O        := build
VCFLAGS  := -O2 -g -fstack-protector-strong -D_FORTIFY_SOURCE=2
VLDFLAGS :=
else ifeq ($(VARIANT),asan)
O        := build/asan
VCFLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
VLDFLAGS := -fsanitize=address,undefined
else ifeq ($(VARIANT),fuzz)
O        := build/fuzz
CC       := clang
VCFLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined,fuzzer-no-link
VLDFLAGS := -fsanitize=address,undefined
else ifeq ($(VARIANT),tsan)
O        := build/tsan
VCFLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=thread
VLDFLAGS := -fsanitize=thread
else
$(error VARIANT must be release, asan, tsan or fuzz)
endif

PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

CPPFLAGS_ALL := -Iinclude -D_GNU_SOURCE
CFLAGS_ALL    = -std=c17 $(WARN) -pthread $(VCFLAGS) $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL   = -pthread $(VLDFLAGS) $(LDFLAGS)
LIBS_ALL      = $(PKG_LIBS) -lm

SRCS      := $(sort $(wildcard src/*.c src/*/*.c))
LIB_SRCS  := $(filter-out src/main.c,$(SRCS))
LIB_OBJS  := $(patsubst %.c,$(O)/obj/%.o,$(LIB_SRCS)) $(O)/obj/gen/migrations.o
MAIN_OBJ  := $(O)/obj/src/main.o
UNIT_SRCS := $(sort $(wildcard test/unit/test_*.c))
UNIT_BINS := $(patsubst test/unit/%.c,$(O)/test/%,$(UNIT_SRCS))
TOOL_SRCS := $(sort $(wildcard test/tools/*.c))
TOOL_BINS := $(patsubst test/tools/%.c,$(O)/tools/%,$(TOOL_SRCS))
FUZZ_SRCS := $(sort $(wildcard test/fuzz/fuzz_*.c))
FUZZ_NAMES := $(patsubst test/fuzz/%.c,%,$(FUZZ_SRCS))
FUZZ_SECONDS ?= 60
SQL_FILES := $(sort $(wildcard sql/[0-9]*.sql))
HEADERS   := $(sort $(wildcard include/medley/*.h))
C_FILES   := $(SRCS) $(UNIT_SRCS) $(TOOL_SRCS) $(wildcard test/fuzz/*.c) $(HEADERS) \
	$(wildcard src/*.h src/*/*.h)

GIT_COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)

.PHONY: all run check deps stop-db unit integration bench fuzz-replay fuzz tsan tsan-check valgrind format \
	format-check lint hdr-check compdb install uninstall clean help deploy-check container-test

all: $(O)/medley

help:
	@sed -n 's/^\([a-z-]*\):.*## \(.*\)/  \1\t\2/p' $(MAKEFILE_LIST) | expand -t 16

$(O)/medley: $(MAIN_OBJ) $(O)/libmedley.a
	$(call say,LINK,$@)
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_ALL)

$(O)/libmedley.a: $(LIB_OBJS)
	$(call say,AR,$@)
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

$(O)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

# version.c alone sees the version and commit, so a commit rebuilds one file.
$(O)/obj/src/version.o: CPPFLAGS_ALL += -DMEDLEY_VERSION='"$(VERSION)"' -DMEDLEY_COMMIT='"$(GIT_COMMIT)"'
$(O)/obj/src/version.o: .git-commit-stamp

.git-commit-stamp: FORCE
	@echo '$(GIT_COMMIT)' | cmp -s - $@ || echo '$(GIT_COMMIT)' > $@
FORCE:

$(O)/gen/migrations.c: tools/embed-sql.sh $(SQL_FILES)
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)
	$(Q)tools/embed-sql.sh $(SQL_FILES) > $@.tmp && mv $@.tmp $@

$(O)/obj/gen/migrations.o: $(O)/gen/migrations.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(O)/test/%: test/unit/%.c $(O)/libmedley.a
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -MMD -MP -o $@ $< $(O)/libmedley.a \
		$(LDFLAGS_ALL) $(LIBS_ALL) -lcmocka

# Test drivers (not installed): test/tools/x.c -> $(O)/tools/x, linked like the unit tests.
$(O)/tools/%: test/tools/%.c $(O)/libmedley.a
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -MMD -MP -o $@ $< $(O)/libmedley.a \
		$(LDFLAGS_ALL) $(LIBS_ALL)

# Fuzz targets: with a file-replay driver (any variant), or with libFuzzer (VARIANT=fuzz).
$(O)/fuzz/%: test/fuzz/%.c test/fuzz/driver.c $(O)/libmedley.a
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -o $@ $< test/fuzz/driver.c $(O)/libmedley.a \
		$(LDFLAGS_ALL) $(LIBS_ALL)

$(O)/libfuzzer/%: test/fuzz/%.c $(O)/libmedley.a
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -fsanitize=fuzzer -o $@ $< $(O)/libmedley.a \
		$(LDFLAGS_ALL) $(LIBS_ALL)

-include $(shell find $(O)/obj $(O)/test $(O)/tools $(O)/fuzz -name '*.d' 2>/dev/null)

## The two commands ----------------------------------------------------------

run: ## set up everything (packages, build, private PostgreSQL, migrations) and serve
	@tools/deps.sh build $(if $(MEDLEY_DATABASE_URL),,run)
	@$(MAKE) --no-print-directory all
	@set -e; \
	if [ -z "$$MEDLEY_DATABASE_URL" ]; then \
		MEDLEY_DATABASE_URL=$$(tools/devdb.sh start); export MEDLEY_DATABASE_URL; \
	fi; \
	if [ -z "$$MEDLEY_CONTACT" ] && git config user.email >/dev/null 2>&1; then \
		MEDLEY_CONTACT=$$(git config user.email); export MEDLEY_CONTACT; \
		echo "medley: contact for MusicBrainz: $$MEDLEY_CONTACT (from git; set MEDLEY_CONTACT to change)" >&2; \
	fi; \
	build/medley migrate; \
	exec build/medley serve

check: ## set up everything and run every test suite (ASan+UBSan, private PostgreSQL)
	@tools/deps.sh build check
	@$(MAKE) --no-print-directory format-check lint hdr-check
	@$(MAKE) --no-print-directory VARIANT=asan all unit fuzz-replay
	@$(MAKE) --no-print-directory deploy-check
	@$(MAKE) --no-print-directory VARIANT=asan integration

deps: ## install the Debian packages needed to build, run and test
	@tools/deps.sh build run check deploy

stop-db: ## stop the private PostgreSQL that make run started
	@tools/devdb.sh stop

## Test suites ---------------------------------------------------------------

export ASAN_OPTIONS  ?= detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1

unit: $(UNIT_BINS) ## run the cmocka unit tests (of this VARIANT)
	@set -e; pass=0; fail=0; \
	for t in $(UNIT_BINS); do \
		if $$t; then pass=$$((pass + 1)); else fail=$$((fail + 1)); echo "FAILED: $$t"; fi; \
	done; \
	echo "unit: $$pass passed, $$fail failed"; [ $$fail -eq 0 ]

bench: ## throughput against nginx and pgbench in the same run, as ratios (docs/performance.md)
	@tools/deps.sh build run bench
	@$(MAKE) --no-print-directory all
	test/bench/health.sh $(CURDIR)/build/medley
	test/bench/lookup.sh $(CURDIR)/build/medley

fuzz-replay: $(FUZZ_NAMES:%=$(O)/fuzz/%) ## replay every fuzz target's seed corpus (this VARIANT)
	@set -e; for t in $(FUZZ_NAMES); do \
		$(O)/fuzz/$$t test/fuzz/corpus/$${t#fuzz_}/*; \
	done

fuzz: ## fuzz each target with libFuzzer for FUZZ_SECONDS (default 60)
	@tools/deps.sh build fuzz
	@$(MAKE) --no-print-directory VARIANT=fuzz $(FUZZ_NAMES:%=build/fuzz/libfuzzer/%)
	@set -e; for t in $(FUZZ_NAMES); do \
		mkdir -p build/fuzz/corpus/$$t; \
		echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
		build/fuzz/libfuzzer/$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			build/fuzz/corpus/$$t test/fuzz/corpus/$${t#fuzz_}; \
	done

integration: all $(TOOL_BINS) ## run the integration tests against the real binary of this VARIANT
	MEDLEY_BIN=$(CURDIR)/$(O)/medley MEDLEY_FETCHTOOL=$(CURDIR)/$(O)/tools/fetchtool \
		$(PYTHON) -m pytest -q -p no:cacheprovider test/integration

tsan: ## build with ThreadSanitizer
	@$(MAKE) --no-print-directory VARIANT=tsan all $(UNIT_BINS:build/%=build/tsan/%)

tsan-check: ## unit and integration tests under ThreadSanitizer
	@tools/deps.sh build check tsan
	@$(MAKE) --no-print-directory VARIANT=tsan all unit
	TSAN_OPTIONS=halt_on_error=1 $(MAKE) --no-print-directory VARIANT=tsan integration

valgrind: ## unit tests and a config check under valgrind memcheck
	@tools/deps.sh build valgrind
	@$(MAKE) --no-print-directory all $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS) ; do \
		valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite $$t; \
	done
	valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
		build/medley -c etc/medley.yaml check-config >/dev/null

## Deployment ------------------------------------------------------------------

deploy-check: all ## offline checks: Containerfile, compose, systemd, nginx, k8s, MEDLEY_* names
	@tools/deps.sh deploy
	@tools/validate-deploy.sh

container-test: ## podman: build the image, compose up with a postgres stand-in, probe, restart, stop (opt-in, ~3 min cold)
	@tools/deps.sh container
	@tools/container-test.sh

## Style gates ----------------------------------------------------------------

format: ## reformat the C sources with clang-format
	clang-format -i $(C_FILES)

format-check: ## fail if clang-format would change anything
	@clang-format --dry-run --Werror $(C_FILES)

lint: ## banned functions, SQL built from strings, third-party headers out of place
	@tools/lint.sh

hdr-check: ## every header compiles on its own
	@set -e; mkdir -p build/hdr; for h in $(HEADERS); do \
		n=$$(basename $$h .h); \
		printf '#include "medley/%s.h"\n#include "medley/%s.h"\n' $$n $$n > build/hdr/$$n.c; \
		$(CC) $(CPPFLAGS_ALL) -std=c17 $(WARN) -fsyntax-only build/hdr/$$n.c; \
	done; echo "hdr-check: $(words $(HEADERS)) headers self-contained"

compdb: ## write compile_commands.json for clangd
	@{ echo '['; sep=''; for f in $(SRCS) $(UNIT_SRCS); do \
		printf '%s{"directory":"%s","file":"%s","command":"cc %s %s -c %s"}\n' "$$sep" \
			"$(CURDIR)" "$$f" "$(CPPFLAGS_ALL)" "$(subst ",\\\",$(CFLAGS_ALL))" "$$f"; sep=','; \
	done; echo ']'; } > compile_commands.json; echo "wrote compile_commands.json"

## Install --------------------------------------------------------------------

install: all ## install binary, sample config and docs under PREFIX (DESTDIR honoured)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SYSCONFDIR)/medley $(DESTDIR)$(DATADIR)/medley/sql
	install -m 0755 build/medley $(DESTDIR)$(BINDIR)/medley
	install -m 0644 etc/medley.yaml $(DESTDIR)$(SYSCONFDIR)/medley/medley.yaml
	install -m 0644 $(SQL_FILES) $(DESTDIR)$(DATADIR)/medley/sql/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/medley
	rm -rf $(DESTDIR)$(DATADIR)/medley

clean: ## remove build output (not var/, which holds the dev database)
	rm -rf build compile_commands.json .git-commit-stamp
