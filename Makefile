# SPDX-License-Identifier: MIT
# A thin front to CMake. `make run` and `make test` are the two commands.
.PHONY: all deps build asan release run test bench bench-scale lint fmt clean fuzz

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 60

all: build

deps:
	./scripts/install-deps

build: deps
	cmake --preset debug >/dev/null
	cmake --build build/debug -j$(JOBS)

asan: deps
	cmake --preset asan-ubsan >/dev/null
	cmake --build build/asan -j$(JOBS)

release: deps
	cmake --preset release >/dev/null
	cmake --build build/release -j$(JOBS)

# A fresh demo database (SQLite by default), then serve on DOUDI_LISTEN.
run: release
	./build/release/doudi demo

# The debug tree's ctest also runs the sanitizer tree's unit and API tests,
# so one summary closes the run.
test: asan
	cmake --preset debug -DDOUDI_ASAN_DIR=$(CURDIR)/build/asan >/dev/null
	cmake --build build/debug -j$(JOBS)
	cd build/debug && ctest --output-on-failure -j$(JOBS)

# Each libFuzzer target (fuzz/fuzz_*.c, clang) for FUZZ_SECONDS over its
# seeds; new inputs go to build/fuzz/fuzz/corpus, crashes to .../artifacts.
fuzz: deps
	cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz -j$(JOBS)
	set -e; for src in fuzz/fuzz_*.c; do \
	    name=$$(basename $$src .c); corpus=$${name#fuzz_}; \
	    mkdir -p build/fuzz/fuzz/corpus/$$corpus build/fuzz/fuzz/artifacts; \
	    ./build/fuzz/fuzz/$$name -max_total_time=$(FUZZ_SECONDS) \
	        -artifact_prefix=build/fuzz/fuzz/artifacts/$$name- \
	        build/fuzz/fuzz/corpus/$$corpus fuzz/corpus/$$corpus; \
	done

bench: release
	./bench/run

# city scale (issue 14): 1,000,000 households by default, SCALE=N for more
bench-scale: release
	BENCH_SCALE_HOUSEHOLDS=$(or $(SCALE),1000000) ./bench/scale_bench

lint:
	./scripts/lint
	cd web && npm run --silent lint

fmt:
	clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h')

clean:
	rm -rf build
