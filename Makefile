# vitals — the two commands a fresh Debian 12 machine needs: `make run` and `make test`.
BUILD      ?= build
TSAN_BUILD ?= build-tsan
JOBS       ?= $(shell nproc)
LISTEN     ?= 127.0.0.1:8080
DB         ?= vitals.db
GENERATOR  := -G Ninja

.PHONY: all deps configure build run demo test bench tsan format format-check clean

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

test: build tsan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	@bash scripts/install-deps.sh bench
	@bash scripts/run-benchmarks.sh $(BUILD)

format:
	@git ls-files '*.h' '*.cc' | xargs clang-format -i

format-check:
	@git ls-files '*.h' '*.cc' | xargs clang-format --dry-run --Werror

clean:
	rm -rf $(BUILD) $(TSAN_BUILD)
