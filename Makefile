# Thin wrapper over CMake. `make demo` and `make test` install what they need first.
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all build demo test deps-demo deps-test clean

all: build

deps-demo:
	@sh scripts/deps.sh demo

deps-test:
	@sh scripts/deps.sh test

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: deps-demo $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo: deps-demo $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS) --target elfmod demo
	@$(BUILD)/examples/demo

test: deps-test $(BUILD)/CMakeCache.txt
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD)

# Cross runners build/cross/<triple>/elfmod for the Linux triples of cmake/toolchains/
# (run them with qemu-<arch> -L /usr/<triple>). The library and CLI only: no tests.
CROSS_TRIPLES ?= i686-linux-gnu aarch64-linux-gnu arm-linux-gnueabihf riscv64-linux-gnu \
	mips-linux-gnu mipsel-linux-gnu

.PHONY: cross
cross:
	@set -e; for t in $(CROSS_TRIPLES); do \
		cmake -S . -B $(BUILD)/cross/$$t -DELFMOD_BUILD_TESTS=OFF \
			-DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/cmake/toolchains/$$t.cmake; \
		cmake --build $(BUILD)/cross/$$t -j $(JOBS) --target elfmod; \
	done

# One table of benchmark figures, each a ratio against a baseline run in the same process
# (docs/performance.md). The benchmarks are not part of the default build.
.PHONY: bench deps-bench
deps-bench:
	@sh scripts/deps.sh bench

bench: deps-bench $(BUILD)/CMakeCache.txt
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS) --target elfmod_bench_all
	@$(BUILD)/bench/elfmod_bench --so $(BUILD)/bench/bench_so.so --zlib $(BUILD)/bench/bench_zlib.o \
		--big $(BUILD)/bench/bench_big.o --sizes $(BUILD)/bench/sizes
