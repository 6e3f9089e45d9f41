# mk/bench.mk: `make bench` (included by the Makefile).
#
# One run on this machine, nginx in front of 4 `zizhi fcgi` workers, wrk
# at 32 connections, at 1,000, 10,000 and 100,000 seeded cases, against
# the floor (tests/bench/floor.c, a minimal libfcgi program behind the
# same nginx): 3 rounds of 5 s per page, each round every size in turn,
# the floor run before and after each size's pages; medians and spreads. Prints the tables; docs/performance.md
# explains them.
#
#   make bench [BENCH_CASES="1000 10000 100000"] [BENCH_SECONDS=5]
#              [BENCH_ROUNDS=3] [BENCH_CONNECTIONS=32] [BENCH_WORKERS=4]
#              [BENCH_DB_DIR=DIR]   (keeps the seeded databases for the next run)

BENCH_PACKAGES    := wrk nginx curl sqlite3 libfcgi-dev iproute2 time
BENCH_CASES       ?= 1000 10000 100000
BENCH_SECONDS     ?= 5
BENCH_ROUNDS      ?= 3
BENCH_CONNECTIONS ?= 32
BENCH_WORKERS     ?= 4
BENCH_DB_DIR      ?=

$(BUILD)/bench/floor: tests/bench/floor.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< -lfcgi

bench: deps
	@sh tests/deps.sh $(BENCH_PACKAGES)
	@$(MAKE) --no-print-directory $(BUILD)/zizhi $(BUILD)/bench/floor
	@BENCH_CASES="$(BENCH_CASES)" BENCH_SECONDS=$(BENCH_SECONDS) \
	  BENCH_ROUNDS=$(BENCH_ROUNDS) \
	  BENCH_CONNECTIONS=$(BENCH_CONNECTIONS) \
	  BENCH_WORKERS=$(BENCH_WORKERS) BENCH_DB_DIR="$(BENCH_DB_DIR)" \
	  sh tests/bench/bench.sh $(BUILD)

.PHONY: bench
