# zizhi: build, test and run. GNU make.
#
#   make run     install missing packages, build, create the demo database,
#                start the embedded server on http://127.0.0.1:8080/
#   make check   install missing packages, build with -Werror, run every test;
#                then build again with ASan+UBSan and run every test again
#
# Other targets: all (the binary), deps (install packages), test (tests of
# one build), install (PREFIX, DESTDIR; docs/deploy.md), bench (the
# benchmark, docs/performance.md), fuzz (each harness for FUZZ_SECONDS),
# clean.

PREFIX   ?= /usr/local
BUILD    ?= build
DB       ?= data/zizhi.db
LISTEN   ?= 127.0.0.1:8080
# The Mustache conformance data; a user's clone may not have it (then the
# conformance test says it skipped).
MUSTACHE_SPEC ?= ../shared/mustache-spec
# Compilers and unit tests at once: the machine's processors.
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)

CC       ?= cc
CSTD     := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN     := -Wall -Wextra -Werror -Wformat=2 -Wformat-security -Wshadow \
            -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
HARDEN   := -fPIE -fstack-protector-strong -D_FORTIFY_SOURCE=2
OPT      := -O2 -g
LDHARDEN := -pie -Wl,-z,relro -Wl,-z,now
ifeq ($(COVERAGE),1)
  # atomic: the embedded server's threads update one object's counters
  # at once (racing updates left negative counts that gcovr refused)
  OPT      := -O0 -g --coverage -fprofile-update=atomic -DZIZHI_COVERAGE
  LDHARDEN += --coverage
endif
ifeq ($(SAN),1)
  HARDEN   := -fPIE
  OPT      := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=all
  LDHARDEN := -pie -fsanitize=address,undefined
endif
CFLAGS   += $(CSTD) $(WARN) $(HARDEN) $(OPT) -Isrc -I$(BUILD)
LDFLAGS  += $(LDHARDEN)
LIBS     := -lfcgi -lmicrohttpd -lsqlite3 -lsodium -lcurl -lhpdf -lqrencode \
            -loath -lm

# Debian packages the build, the tests and `make run` need.
PACKAGES := gcc make libc6-dev pkg-config libfcgi-dev libmicrohttpd-dev \
            libsqlite3-dev libsodium-dev libcmocka-dev libcurl4-openssl-dev curl nginx \
            spawn-fcgi sqlite3 iproute2 libhpdf-dev libqrencode-dev liboath-dev \
            poppler-utils zbar-tools fonts-arphic-uming \
            clang-14 libclang-rt-14-dev openssl chromium fonts-wqy-microhei \
            procps binutils libxml2-utils

SRC      := $(filter-out src/main.c,$(wildcard src/*.c))
OBJ      := $(SRC:src/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/embedded_data.o
EMBED    := schema.sql $(wildcard templates/*.html) $(wildcard templates/*.txt) \
            $(wildcard static/*)
UNIT     := $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/test_*.c))
ITEST    := $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/itest_*.c))
TLOBJ    := $(patsubst tests/%.c,$(BUILD)/tobj/%.o,$(wildcard tests/testlib_*.c))
TESTLIBS := -lcmocka

.PHONY: all deps run check test unit itest clean install e2e screenshots \
    layercheck coverage mutate test-build check-e2e check-beside-e2e
.DELETE_ON_ERROR:

all: $(BUILD)/zizhi

deps:
	@sh tests/deps.sh $(PACKAGES)

$(BUILD)/zizhi: $(BUILD)/obj/main.o $(OBJ)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# The kill test's proof that it can fail (tests/killtest.sh, KILL_FAULT=1):
# the same program with the store's fault hook compiled in. Never installed.
$(BUILD)/zizhi-fault: $(BUILD)/obj/main.o $(filter-out $(BUILD)/obj/store.o,$(OBJ)) $(BUILD)/obj/store-fault.o
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/obj/store-fault.o: src/store.c $(wildcard src/*.h) | $(BUILD)/obj
	@echo "  CC      $< (fault hook)"
	@$(CC) $(CFLAGS) -DZIZHI_FAULTS -c -o $@ $<

$(BUILD)/obj/%.o: src/%.c $(wildcard src/*.h) | $(BUILD)/obj
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -c -o $@ $<

# Templates, schema and static files are compiled into the binary, so a
# running process never depends on its working directory.
$(BUILD)/embed: tools/embed.c | $(BUILD)/obj
	$(CC) -std=c11 -O1 -Wall -Wextra -Werror -o $@ $<

$(BUILD)/embedded_data.c: $(BUILD)/embed $(EMBED)
	@echo "  EMBED   $@"
	@$(BUILD)/embed $(EMBED) > $@

$(BUILD)/obj/embedded_data.o: $(BUILD)/embedded_data.c src/embedded.h
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -Wno-overlength-strings -c -o $@ $<

# Tests link two archives, the program's objects and the test libraries
# (tests/testlib_*.c, compiled once): each test takes only what it uses.
$(BUILD)/libzizhi.a: $(OBJ)
	@echo "  AR      $@"
	@rm -f $@ && ar rcs $@ $^

$(BUILD)/libtest.a: $(TLOBJ)
	@echo "  AR      $@"
	@rm -f $@ && ar rcs $@ $^

$(BUILD)/tobj/%.o: tests/%.c $(wildcard src/*.h) $(wildcard tests/*.h) | $(BUILD)/tobj
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -Itests -c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(BUILD)/libtest.a $(BUILD)/libzizhi.a $(wildcard tests/*.h) | $(BUILD)/tests
	@echo "  TEST    $@"
	@$(CC) $(CFLAGS) -Itests $(LDFLAGS) -o $@ $< $(BUILD)/libtest.a $(BUILD)/libzizhi.a $(LIBS) $(TESTLIBS)

# The layer check (tools/layercheck.c), and its proof on planted
# violations.
$(BUILD)/layercheck: tools/layercheck.c | $(BUILD)/obj
	@echo "  CC      $@"
	@$(CC) -std=c11 -D_DEFAULT_SOURCE -O1 -Wall -Wextra -Werror -o $@ $<

layercheck: $(BUILD)/layercheck
	@sh tests/layercheck_test.sh $(BUILD)

# The SMTP sink the mail tests talk to: a standalone program.
$(BUILD)/tests/smtp_sink: tests/smtp_sink.c | $(BUILD)/tests
	@echo "  CC      $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $<

$(BUILD)/obj $(BUILD)/tests $(BUILD)/tobj:
	mkdir -p $@

# The unit tests, JOBS at once (each in its own temporary directory); the
# output of each is printed whole when it ends (-O).
unit: $(UNIT) $(BUILD)/tests/smtp_sink
	@$(MAKE) --no-print-directory -O -j$(JOBS) $(UNIT:%=%.run)

# (the tests are never intermediate files, whoever asks for them)
.SECONDARY: $(UNIT)
%.run: %
	@echo "== $<"; s=$$(date +%s); \
	  MUSTACHE_SPEC=$(MUSTACHE_SPEC) \
	  ZIZHI_SMTP_SINK=$(BUILD)/tests/smtp_sink $< && \
	  echo "== $(notdir $<): $$(($$(date +%s) - s)) s"

# Everything `make test` runs, built JOBS at a time.
test-build: $(BUILD)/zizhi $(BUILD)/zizhi-fault $(UNIT) $(ITEST) \
    $(BUILD)/tests/smtp_sink $(BUILD)/tests/killtest_driver

itest: $(BUILD)/zizhi $(ITEST) $(BUILD)/tests/smtp_sink \
    $(BUILD)/tests/killtest_driver $(BUILD)/zizhi-fault
	@sh tests/rules_cli.sh $(BUILD)/zizhi
	@sh tests/intake_cli.sh $(BUILD)/zizhi
	@sh tests/cli_errors.sh $(BUILD)/zizhi
	@sh tests/integration.sh $(BUILD)
	@sh tests/killtest.sh $(BUILD)
	@KILL_FAULT=1 sh tests/killtest.sh $(BUILD)

test: unit itest

check: deps
	$(MAKE) layercheck BUILD=build
	$(MAKE) -j$(JOBS) test-build BUILD=build
	$(MAKE) test BUILD=build
	sh tests/hardening.sh build/zizhi
	MAKE="$(MAKE)" sh tests/deploy_test.sh build
	$(MAKE) -j2 -O check-e2e check-beside-e2e
	ZIZHI_SEED_BIN=$(CURDIR)/build/zizhi $(MAKE) itest BUILD=build-san SAN=1
	@echo "make check: all tests passed (layer check, plain and ASan+UBSan builds, deployment, browser journey, fuzz regressions and short fuzz runs)"

# Two parts of `make check` side by side (each printed whole when it
# ends): the browser journey, which mostly waits on Chromium; and the
# sanitizer build with its unit tests, then the fuzz regressions and the
# short fuzz runs (each harness a fixed time).
check-e2e:
	$(MAKE) e2e BUILD=build

check-beside-e2e:
	$(MAKE) -j$(JOBS) test-build BUILD=build-san SAN=1
	$(MAKE) unit BUILD=build-san SAN=1
	$(MAKE) -j$(JOBS) fuzz-build
	$(MAKE) fuzz-regress fuzz-short

run: deps all
	@mkdir -p $(dir $(DB))
	$(BUILD)/zizhi init --db $(DB) --demo
	$(BUILD)/zizhi serve --listen $(LISTEN) --db $(DB)

# The whole journey in a real browser (Debian's chromium, playwright-core
# from npm; needs Node.js 20 or later).
e2e: $(BUILD)/zizhi
	@sh tests/e2e/run.sh $(BUILD)

# Refresh the README's tour (docs/screenshots/*.png).
screenshots: $(BUILD)/zizhi
	@SCREENSHOTS=docs/screenshots sh tests/e2e/run.sh $(BUILD)

# Line and branch coverage of src/ by the unit and integration tests
# (gcovr): a table per file, and a failure below COVERAGE_MIN percent of
# lines in all or COVERAGE_FILE_MIN in any one file. Not part of check.
COVERAGE_MIN      ?= 92
COVERAGE_FILE_MIN ?= 70

coverage: deps
	@sh tests/deps.sh gcovr
	@rm -rf build-cov
	@$(MAKE) --no-print-directory BUILD=build-cov COVERAGE=1 unit
	@$(MAKE) --no-print-directory BUILD=build-cov COVERAGE=1 \
	    build-cov/zizhi build-cov/tests/smtp_sink \
	    $(patsubst $(BUILD)/%,build-cov/%,$(ITEST))
	@sh tests/rules_cli.sh build-cov/zizhi
	@sh tests/intake_cli.sh build-cov/zizhi
	@sh tests/cli_errors.sh build-cov/zizhi
	@sh tests/integration.sh build-cov
	@sh tests/coverage.sh build-cov $(COVERAGE_MIN) $(COVERAGE_FILE_MIN)

# Every deliberate bug of tests/mutations.txt, one at a time, on a copy
# of the tree (build-mut/tree): each must be caught by the tests it
# names. Not part of check.
mutate: deps
	@rm -rf build-mut
	@mkdir -p build-mut/tree
	@cp -R Makefile mk src tests templates static schema.sql tools docs \
	    build-mut/tree/
	@$(CC) -std=c11 -D_DEFAULT_SOURCE -O1 -Wall -Wextra -Werror \
	    -o build-mut/mutate tools/mutate.c
	@cd build-mut/tree && MUSTACHE_SPEC=$(abspath $(MUSTACHE_SPEC)) \
	    MAKEFLAGS=-j$(JOBS) ../mutate tests/mutations.txt build $(MUTATIONS)

clean:
	rm -rf build build-san build-fuzz build-cov build-mut

include tests/fuzz/fuzz.mk
include mk/install.mk mk/bench.mk
