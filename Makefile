# rbm - results-based monitoring and reporting.
#
#   make            build build/rbm
#   make run        install missing Debian packages, build, run scripts/run.sh
#   make test       install missing Debian packages, build with sanitizers, run every test
#   make valgrind   run the unit tests under valgrind
#   make bench, make bench-web, make bench-storage   measurements (bench/)
#   make clean
#
# Plain GNU make. Everything under src/ except src/cli/ is built into
# librbm.a, which build/rbm and every test link.

CC      ?= gcc
PKGS    := sqlite3 jansson libzip expat
PKGS    += libsodium
PKGS    += xlsxwriter
PKGS    += pangocairo icu-uc icu-i18n libxml-2.0
PKGS    += libmicrohttpd zlib
PKGS    += libpq
CSTD    := -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN    := -Wall -Wextra -Wpedantic -Werror
CFLAGS  ?= -O2 -g
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

LIB_SRC := $(sort $(wildcard src/core/*.c src/plan/*.c src/store/*.c src/collect/*.c src/measure/*.c src/publish/*.c src/export/*.c src/auth/*.c src/web/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/*/test_*.c))
HARNESS_SRC := $(sort $(wildcard tests/harness/*.c))

# Release build.
OBJ     := build/obj
LIB_OBJ := $(LIB_SRC:%.c=$(OBJ)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(OBJ)/%.o)
# Sanitizer build, for tests.
AOBJ    := build/asan/obj
ALIB_OBJ := $(LIB_SRC:%.c=$(AOBJ)/%.o)
ACLI_OBJ := $(CLI_SRC:%.c=$(AOBJ)/%.o)
AHARNESS_OBJ := $(HARNESS_SRC:%.c=$(AOBJ)/%.o)
TEST_BIN := $(patsubst tests/%.c,build/asan/tests/%,$(TEST_SRC))

# Message catalogues: po/LANG.po -> build/locale/LANG/LC_MESSAGES/rbm.mo
PO_LANGS := $(basename $(notdir $(wildcard po/*.po)))
MO_FILES := $(PO_LANGS:%=build/locale/%/LC_MESSAGES/rbm.mo)

.PHONY: all deps run test check unit valgrind clean
all: build/rbm compile_commands.json $(MO_FILES)

build/locale/%/LC_MESSAGES/rbm.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

deps:
	@scripts/install-deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@scripts/run.sh

test: deps
	@$(MAKE) --no-print-directory all build/asan/rbm $(TEST_BIN) $(MO_FILES)
	@tests/run.sh

valgrind: all $(TEST_BIN)
	@PKGS="$(PKGS)" tests/run.sh --valgrind

build/rbm: $(CLI_OBJ) build/librbm.a
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

build/librbm.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

build/asan/rbm: $(ACLI_OBJ) build/asan/librbm.a
	$(CC) -g $(SAN) -o $@ $^ $(PKG_LIBS)

build/asan/librbm.a: $(ALIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

build/asan/tests/%: tests/%.c $(AHARNESS_OBJ) build/asan/librbm.a
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -g -O1 $(SAN) $(PKG_CFLAGS) -Isrc -Itests -MMD -MP -o $@ $< \
		$(AHARNESS_OBJ) build/asan/librbm.a $(PKG_LIBS)

$(OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

$(AOBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -g -O1 $(SAN) $(PKG_CFLAGS) -Isrc -Itests -MMD -MP -c -o $@ $<

# For clangd: one entry per source file, with the flags the release build uses.
compile_commands.json: Makefile $(LIB_SRC) $(CLI_SRC) $(TEST_SRC) $(HARNESS_SRC)
	@{ echo '['; sep=''; \
	  for f in $(LIB_SRC) $(CLI_SRC) $(TEST_SRC) $(HARNESS_SRC); do \
	    printf '%s{"directory":"%s","file":"%s","command":"%s %s %s %s -Isrc -Itests -c %s"}\n' \
	      "$$sep" "$(CURDIR)" "$$f" "$(CC)" "$(CSTD)" "$(WARN)" "$(PKG_CFLAGS)" "$$f"; sep=','; \
	  done; echo ']'; } > $@

clean:
	rm -rf build compile_commands.json

-include $(shell find build -name '*.d' 2>/dev/null)

# make bench [SIZES="1000000 10000000 50000000"]: the measure engine against SQLite and DuckDB on
# synthetic data, all three checked to give the same answers (a measurement, never a test).
# bench/run.sh prints a table per size and writes bench/results.md.
.PHONY: bench
bench: build/rbm build/librbm.a
	@SIZES="$(SIZES)" BENCH_CC="$(CC)" BENCH_CFLAGS="$(CSTD) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -Isrc" \
		BENCH_LIBS="build/librbm.a $(PKG_LIBS)" bench/run.sh

# make bench-web: a short wrk load check of rbm serve (dashboard, API, report, /healthz):
# requests per second and p50/p99 latency beside the machine's cores, into bench/web-results.md.
.PHONY: bench-web
bench-web: deps build/rbm
	@bench/web.sh

# make bench-storage [SIZES="100000 1000000"]: ingest and the report workload on SQLite and on a
# throw-away PostgreSQL server side by side, into bench/storage-results.md (a measurement, never a test).
.PHONY: bench-storage
bench-storage: deps build/rbm build/librbm.a
	@SIZES="$(SIZES)" BENCH_CC="$(CC)" BENCH_CFLAGS="$(CSTD) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -Isrc" \
		BENCH_LIBS="build/librbm.a $(PKG_LIBS)" bench/storage.sh
