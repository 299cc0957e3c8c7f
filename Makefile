# pf: tools for Grafana Pathfinder live-session recordings.
#
#   make demo     install what is missing, build, run the tools on examples/
#   make check    install what is missing, build, run the whole test suite
#   make bench    the benchmarks of BENCHMARKS.md
#   make lint     check the man pages and shell scripts
#   make install  PREFIX=/usr/local DESTDIR=
#
# Knobs: SANITIZE=address,undefined  DEBUG=1  DEVELOPER=1 (-Werror)

VERSION = 0.1.0

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man

CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS = jansson zlib libcurl

# Debian packages: to build, and to run the tests.
BUILD_DEBS = gcc make pkg-config libjansson-dev zlib1g-dev libarchive-dev \
	libsqlite3-dev libcurl4-openssl-dev
CHECK_DEBS = bats jq python3 python3-jsonschema groff-base shellcheck gzip
BENCH_DEBS = jq time gzip

# Sanitized objects must not mix with plain ones: each build has its tree.
ifneq ($(SANITIZE),)
BUILD ?= build-san
SAN_FLAGS = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
else
BUILD ?= build
SAN_FLAGS =
endif

WARN = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wformat=2 -Wno-unused-parameter
ifneq ($(DEVELOPER),)
WARN += -Werror
endif
ifneq ($(DEBUG),)
OPT = -O0 -g3
else
OPT = -O2 -g
endif

PF_CFLAGS = -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(SAN_FLAGS) -Ilib \
	$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null) $(CFLAGS)
PF_LDFLAGS = $(SAN_FLAGS) $(LDFLAGS)
PF_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lm $(LIBS)

TOOLS = pf-lint pf-record pf-play
LIB_SRC = $(wildcard lib/*.c)
LIB_OBJ = $(LIB_SRC:lib/%.c=$(BUILD)/lib/%.o)
BINS = $(TOOLS:%=$(BUILD)/%)
HELPERS = $(BUILD)/pf-test-tool $(BUILD)/bench-bare $(BUILD)/bench-arrivals
MAN1 = $(TOOLS:%=man/%.1)
MAN5 = man/pf-recording.5

all: $(BINS) $(HELPERS)

$(BUILD)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(CC) $(PF_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/cmd/%.o: cmd/%.c
	@mkdir -p $(@D)
	$(CC) $(PF_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/tests/%.o: tests/helper/%.c
	@mkdir -p $(@D)
	$(CC) $(PF_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libpf.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(BUILD)/pf-%: $(BUILD)/cmd/pf-%.o $(BUILD)/libpf.a
	$(CC) $(PF_LDFLAGS) -o $@ $< $(BUILD)/libpf.a $(PF_LIBS)

$(BUILD)/pf-test-tool: $(BUILD)/tests/pf-test-tool.o $(BUILD)/libpf.a
	$(CC) $(PF_LDFLAGS) -o $@ $< $(BUILD)/libpf.a $(PF_LIBS)

$(BUILD)/bench-bare: $(BUILD)/tests/bench-bare.o
	$(CC) $(PF_LDFLAGS) -o $@ $< $(PF_LIBS)

$(BUILD)/bench-arrivals: $(BUILD)/tests/bench-arrivals.o
	$(CC) $(PF_LDFLAGS) -o $@ $<

-include $(LIB_OBJ:.o=.d) $(BINS:$(BUILD)/%=$(BUILD)/cmd/%.d) \
	$(BUILD)/tests/pf-test-tool.d $(BUILD)/tests/bench-bare.d \
	$(BUILD)/tests/bench-arrivals.d

# Installs the Debian packages named in $(1) that are missing: as root with
# apt-get, otherwise by printing the command to run.
define install_debs
	@if ! command -v dpkg-query >/dev/null 2>&1; then \
		echo "note: not a Debian system; make sure these are installed: $(1)"; \
		exit 0; \
	fi; \
	missing=; \
	for p in $(1); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
			grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" -ne 0 ]; then \
		echo "Missing packages; as root, run:"; \
		echo "  apt-get install -y$$missing"; \
		exit 1; \
	fi; \
	echo "installing:$$missing"; \
	apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $$missing >/dev/null
endef

deps:
	$(call install_debs,$(BUILD_DEBS))

check-deps: deps
	$(call install_debs,$(CHECK_DEBS))

# The two commands of the README: each installs what it needs first, then
# builds in a fresh make so pkg-config sees the new packages.
demo: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) sh examples/demo.sh

check: check-deps
	@$(MAKE) --no-print-directory all
	@PF_BUILD=$(CURDIR)/$(BUILD) sh tests/run

test: all
	@PF_BUILD=$(CURDIR)/$(BUILD) sh tests/run

bench: deps
	$(call install_debs,$(BENCH_DEBS))
	@$(MAKE) --no-print-directory all
	@PF_BUILD=$(CURDIR)/$(BUILD) sh tests/bench.sh

lint:
	@status=0; \
	for m in $(MAN1) $(MAN5); do \
		out=$$(groff -mdoc -ww -z $$m 2>&1); \
		if [ -n "$$out" ]; then echo "$$m: $$out"; status=1; fi; \
		if command -v mandoc >/dev/null 2>&1; then \
			out=$$(mandoc -Tlint -Wwarning $$m 2>&1); \
			if [ -n "$$out" ]; then echo "$$out"; status=1; fi; \
		fi; \
	done; \
	shellcheck -s bash tests/run tests/bench.sh examples/demo.sh .ci/run \
		tests/*.bash || status=1; \
	shellcheck -s bash -e SC2154,SC2034,SC2030,SC2031 tests/*.bats || status=1; \
	exit $$status

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DATADIR)/pf
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5
	install -m 644 share/pf/pf-event.schema.json $(DESTDIR)$(DATADIR)/pf

uninstall:
	rm -f $(TOOLS:%=$(DESTDIR)$(BINDIR)/%) \
		$(MAN1:man/%=$(DESTDIR)$(MANDIR)/man1/%) \
		$(MAN5:man/%=$(DESTDIR)$(MANDIR)/man5/%) \
		$(DESTDIR)$(DATADIR)/pf/pf-event.schema.json
	-rmdir $(DESTDIR)$(DATADIR)/pf 2>/dev/null

clean:
	rm -rf build build-san

.SECONDARY:

.PHONY: all deps check-deps demo check test bench lint install uninstall clean
