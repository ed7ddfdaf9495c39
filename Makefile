# bankfeed: the two commands of the README, and a few helpers.
#   make demo   installs what is missing, builds, and runs the whole path on the bundled sandbox banks
#   make test   installs what is missing, builds and runs the whole suite (default and asan+ubsan presets)
.PHONY: all deps build test demo bench fuzz clean

SHELL := /bin/bash
PRESETS ?= default asan
JOBS ?= $(shell nproc)

# Debian 12 packages the build, tests, fuzzers and benchmarks need.
APT_PACKAGES := g++ clang libclang-rt-14-dev cmake ninja-build pkg-config make tzdata ca-certificates openssl curl \
  libcurl4-openssl-dev libssl-dev libsimdjson-dev libyaml-cpp-dev libhowardhinnant-date-dev libspdlog-dev \
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc libsqlite3-dev \
  libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev libexpected-dev libcpp-httplib-dev \
  python3

all: build

deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  [ "$$(dpkg-query -W -f='$${db:Status-Status}' $$p 2>/dev/null)" = installed ] || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing packages:$$missing"; \
	  if [ "$$(id -u)" != 0 ]; then echo "run as root to install packages" >&2; exit 1; fi; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	cmake --preset default
	cmake --build --preset default -j $(JOBS)

test: deps
	@set -e; for p in $(PRESETS); do \
	  echo "=== preset $$p: configure and build"; \
	  cmake --preset $$p >/dev/null; \
	  cmake --build --preset $$p -j $(JOBS); \
	  echo "=== preset $$p: test"; \
	  ctest --preset $$p -j $(JOBS); \
	done

demo: build
	@tools/demo/run_demo.sh build/default/tools/bankfeed

bench: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS) --target bankfeed_bench_normalize bankfeed_bench_normalize_cli \
	  bankfeed_bench_ingest bankfeed_bench_daemon
	build/release/tests/bench/bankfeed_bench_normalize
	build/release/tests/bench/bankfeed_bench_normalize_cli
	build/release/tests/bench/bankfeed_bench_ingest
	build/release/tests/bench/bankfeed_bench_daemon

fuzz: deps
	tools/fuzz/run_fuzzers.sh $(FUZZ_SECONDS)

clean:
	rm -rf build
