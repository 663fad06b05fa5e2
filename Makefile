# SPDX-License-Identifier: MIT
# A thin front to CMake. `make run` and `make test` are the two commands.
.PHONY: all deps build asan release run test bench lint fmt clean

JOBS ?= $(shell nproc 2>/dev/null || echo 2)

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

bench: release
	./bench/run

lint:
	./scripts/lint

fmt:
	clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h')

clean:
	rm -rf build
