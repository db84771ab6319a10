# vitals — the two commands a fresh Debian 12 machine needs: `make run` and `make test`.
BUILD      ?= build
TSAN_BUILD ?= build-tsan
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
# Seconds each fuzz harness runs: in `make test`, and in `make fuzz`.
FUZZ_TEST_SECONDS ?= 30
FUZZ_SECONDS ?= 300
JOBS       ?= $(shell nproc)
LISTEN     ?= 127.0.0.1:8080
DB         ?= vitals.db
GENERATOR  := -G Ninja

.PHONY: all deps configure build run demo test bench tsan asan fuzz-build fuzz format \
        format-check clean

all: build

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=Release \
	  -DVITALS_TSAN_TEST=$(abspath $(TSAN_BUILD))/src/engine/monitor_concurrency_test > /dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# The main job: the server on the embedded SQLite file. `make demo` runs the simulated fleet.
run: build
	@echo "vitals: dashboard at http://$(LISTEN)/"
	./$(BUILD)/vitals serve --listen $(LISTEN) --db $(DB)

demo: build
	./$(BUILD)/vitals demo

# The concurrency test again, under ThreadSanitizer, in a tree of its own.
tsan: deps
	@cmake -S . -B $(TSAN_BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DVITALS_SANITIZE=thread -DVITALS_BUILD_BENCH=OFF > /dev/null
	@cmake --build $(TSAN_BUILD) -j $(JOBS) --target monitor_concurrency_test

# Sanitizer trees: tests only (no benchmarks, no dashboard), -O1 with line tables for the stacks.
SANITIZER_TREE := $(GENERATOR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DVITALS_BUILD_BENCH=OFF -DVITALS_BUILD_WEB=OFF
# ASan and LeakSanitizer reports go to files, so that those of child processes (`vitals serve`,
# whose output the tests keep to themselves) fail `make test` too; they are printed when any
# exist. A UBSan report stops its process (-fno-sanitize-recover), which fails the test.
SANITIZER_LOGS := $(abspath $(ASAN_BUILD))/sanitizer-reports
SANITIZER_ENV := ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:log_path=$(SANITIZER_LOGS)/asan \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# The whole unit and integration suite under AddressSanitizer and UndefinedBehaviorSanitizer.
asan: deps
	@cmake -S . -B $(ASAN_BUILD) $(SANITIZER_TREE) -DVITALS_SANITIZE=address,undefined > /dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)

# The libFuzzer harnesses of fuzz/ (clang from Debian), every library built with coverage.
fuzz-build: deps
	@CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_BUILD) $(SANITIZER_TREE) -DVITALS_FUZZ=ON \
	  -DVITALS_BUILD_TESTS=OFF -DVITALS_FUZZ_SECONDS=$(FUZZ_TEST_SECONDS) > /dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target vitals_fuzzers

# Each harness for FUZZ_SECONDS; findings in $(FUZZ_BUILD)/fuzz/runs/<name>/.
fuzz: fuzz-build
	cd $(FUZZ_BUILD) && FUZZ_SECONDS=$(FUZZ_SECONDS) ctest -L fuzz --output-on-failure -j $(JOBS)

test: build tsan asan fuzz-build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@rm -rf $(SANITIZER_LOGS) && mkdir -p $(SANITIZER_LOGS)
	cd $(ASAN_BUILD) && $(SANITIZER_ENV) ctest --output-on-failure -j $(JOBS); rc=$$?; \
	  if ls $(SANITIZER_LOGS)/* > /dev/null 2>&1; then cat $(SANITIZER_LOGS)/*; rc=1; fi; exit $$rc
	cd $(FUZZ_BUILD) && ctest -L fuzz --output-on-failure -j $(JOBS)

bench: build
	@bash scripts/install-deps.sh bench
	@bash scripts/run-benchmarks.sh $(BUILD)

format:
	@git ls-files '*.h' '*.cc' | xargs clang-format -i

format-check:
	@git ls-files '*.h' '*.cc' | xargs clang-format --dry-run --Werror

clean:
	rm -rf $(BUILD) $(TSAN_BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
