# tests/fuzz/fuzz.mk: libFuzzer harnesses, one per input parser.
#
# Included by the main Makefile. Needs clang and libFuzzer from Debian
# (packages clang-14 and libclang-rt-14-dev; `clang` must be on PATH).
#
#   make fuzz          build every harness (ASan+UBSan+libFuzzer) and run
#                      each for FUZZ_SECONDS (default 600) in turn, from
#                      the seeds plus the corpus grown by earlier runs;
#                      fails on any crash, leak, timeout or broken
#                      invariant, and ends with one line per harness:
#                      its exec count, speed and corpus size
#   make fuzz-short    the same for FUZZ_SHORT_SECONDS (default 10) each;
#                      part of `make check`
#   make fuzz-regress  run every file in tests/fuzz/regress/<name>/ and
#                      tests/fuzz/seeds/<name>/ once through its harness
#   make fuzz-build    build the harnesses only
#   make fuzz-clean    remove $(FUZZ_BUILD) (binaries, grown corpora, logs)
#
# Harnesses (tests/fuzz/fuzz_<name>.c; each states its invariants at the
# top): urlencoded, cookie, multipart, path, files, tmpl, request.
# Seeds are in tests/fuzz/seeds/<name>/, a dictionary, if any, in
# tests/fuzz/<name>.dict.
#
# Everything is built and written under FUZZ_BUILD (default build-fuzz):
# the grown corpus in corpus/<name>/, crash inputs in artifacts/<name>/,
# the libFuzzer output of the last run in logs/<name>.log.
#
# When a run fails: the log names the input (artifacts/<name>/crash-...,
# leak-..., timeout-...). Reproduce it with
#   build-fuzz/fuzz_<name> build-fuzz/artifacts/<name>/crash-...
# fix the bug in src/, then copy the input to tests/fuzz/regress/<name>/
# under a name saying what it was (e.g. multipart-overread-1) so that
# `make fuzz-regress` keeps it fixed.
#
# One harness runs at a time (the machine has two cores); each gets
# -rss_limit_mb=2048 and -timeout=10 (seconds per input).

# Including this file does not change the default goal.
FUZZ_SAVED_GOAL    := $(.DEFAULT_GOAL)

FUZZ_CC            ?= clang
FUZZ_BUILD         ?= build-fuzz
FUZZ_SECONDS       ?= 600
FUZZ_SHORT_SECONDS ?= 10
FUZZ_NAMES         := urlencoded cookie multipart path files tmpl request
FUZZ_SAN           := -fsanitize=address,undefined -fno-sanitize-recover=all \
                      -fno-omit-frame-pointer
FUZZ_CFLAGS        := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
                      -Isrc -I$(FUZZ_BUILD) -O1 -g -Wall -Wextra \
                      -Wno-unused-parameter $(FUZZ_SAN)
# Libraries: the small harnesses need at most these; the request harness
# links the main Makefile's LIBS, whatever the modules come to need.
FUZZ_LIBS          := -lsodium -lm

# The sources of src/ each harness links (main.c, the doors and the
# subcommands never); embedded_data is the generated file of templates,
# schema.sql and static/.
FUZZ_SRC_urlencoded := parse utf8 util
FUZZ_SRC_cookie     := parse utf8 util
FUZZ_SRC_multipart  := parse utf8 util
FUZZ_SRC_path       := parse utf8 util
FUZZ_SRC_files      := files parse utf8 util
FUZZ_SRC_tmpl       := tmpl util embedded embedded_data
# The request path is every module but main.c, the two doors (httpd.c,
# fcgi.c), the subcommands (cli_*.c, opts.c) and password.c, which the
# harness replaces with a fast stand-in (fuzz_request.c says why); taken
# from src/ so that a new pages_*.c joins without an edit here.
FUZZ_SRC_request    := $(filter-out main httpd fcgi opts password cli_%, \
                       $(basename $(notdir $(wildcard src/*.c)))) \
                       embedded_data

FUZZ_BINS := $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz_%)
FUZZ_EMBED := schema.sql $(wildcard templates/*.html) $(wildcard static/*)

.PHONY: fuzz fuzz-short fuzz-regress fuzz-build fuzz-clean

fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	@sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_NAMES)

fuzz-short: $(FUZZ_BINS)
	@sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SHORT_SECONDS) $(FUZZ_NAMES)

fuzz-regress: $(FUZZ_BINS)
	@sh tests/fuzz/run.sh -regress $(FUZZ_BUILD) 0 $(FUZZ_NAMES)

fuzz-clean:
	rm -rf $(FUZZ_BUILD)

$(FUZZ_BUILD)/obj:
	mkdir -p $@

# Project objects: instrumented for coverage and the sanitizers, linked
# into the harnesses.
$(FUZZ_BUILD)/obj/%.o: src/%.c $(wildcard src/*.h) | $(FUZZ_BUILD)/obj
	@echo "  FUZZCC  $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/embed: tools/embed.c | $(FUZZ_BUILD)/obj
	@$(FUZZ_CC) -std=c11 -O1 -o $@ $<

$(FUZZ_BUILD)/embedded_data.c: $(FUZZ_BUILD)/embed $(FUZZ_EMBED)
	@$(FUZZ_BUILD)/embed $(FUZZ_EMBED) > $@

$(FUZZ_BUILD)/obj/embedded_data.o: $(FUZZ_BUILD)/embedded_data.c src/embedded.h
	@echo "  FUZZCC  $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

# One harness: its own file, then its list of project objects.
define FUZZ_HARNESS
$(FUZZ_BUILD)/fuzz_$(1): tests/fuzz/fuzz_$(1).c tests/fuzz/fuzz_common.h \
    $(FUZZ_SRC_$(1):%=$(FUZZ_BUILD)/obj/%.o)
	@echo "  FUZZLD  $$@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $$@ $$< \
	    $(FUZZ_SRC_$(1):%=$(FUZZ_BUILD)/obj/%.o) \
	    $$(if $$(filter request,$(1)),$$(LIBS),$(FUZZ_LIBS))
endef
$(foreach n,$(FUZZ_NAMES),$(eval $(call FUZZ_HARNESS,$(n))))

.DEFAULT_GOAL := $(FUZZ_SAVED_GOAL)
