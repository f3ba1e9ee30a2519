#!/usr/bin/env bash
# test.sh - the whole test suite from a clean tree: install dependencies,
# build with -Werror, run every unit and end-to-end test, then the same
# suite under AddressSanitizer + UndefinedBehaviorSanitizer, then a short
# libFuzzer smoke run of every fuzz target.  Between the two, a quick run of
# the benchmark suite (bench/run.sh with BENCH_QUICK=1) so a broken bench
# fails the build; its timings are not judged here.
#
#   deploy/test.sh              everything (what CI runs)
#   FUZZ_SECONDS=0 deploy/test.sh   skip the fuzz smoke run
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=$(nproc)
FUZZ_SECONDS=${FUZZ_SECONDS:-60}

bash deploy/install-deps.sh

echo "== build (release, -Werror)"
cmake -S . -B build -DPMIF_WERROR=ON >/dev/null
cmake --build build -j"$JOBS"
echo "== tests"
(cd build && ctest --output-on-failure -j"$JOBS")

echo "== bench smoke run (BENCH_QUICK=1: every benchmark once, timings not judged)"
BENCH_QUICK=1 BUILD_DIR=build bash bench/run.sh | tee build/bench-smoke.txt
# a broken bench fails the build: the table must be there, with no acked
# write lost through the SIGKILL and the audit chain intact afterwards
for want in 'acked writes present afterwards' 'audit chain after the run'; do
	if ! grep -q "$want.*\*\*pass\*\*" build/bench-smoke.txt; then
		echo "bench smoke run: no pass for '$want'" >&2
		exit 1
	fi
done

echo "== build (ASan + UBSan)"
cmake -S . -B build-asan -DPMIF_WERROR=ON -DPMIF_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-asan -j"$JOBS"
echo "== tests under ASan + UBSan"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j"$JOBS")

if [ "$FUZZ_SECONDS" -gt 0 ] && [ -f tests/fuzz/CMakeLists.txt ]; then
	echo "== fuzz smoke run (${FUZZ_SECONDS}s per target)"
	cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DPMIF_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	cmake --build build-fuzz -j"$JOBS"
	bash tests/fuzz/run.sh build-fuzz "$FUZZ_SECONDS"
fi
echo "== all tests passed"
