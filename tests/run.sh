#!/bin/sh
# run.sh - run every test: the unit test programs and the CLI scripts.
#
# Each test prints TAP-style lines ("ok N - name" / "not ok N - name");
# this script counts them and ends with one line: "N passed, N failed".
# Usage: tests/run.sh [--valgrind]   (from the repository root, after make)
set -u
cd "$(dirname "$0")/.." || exit 2
export RBM_DATA_DIR="$PWD/data"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=99"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"

valgrind=""
PKGS=${PKGS:-sqlite3 jansson libzip expat libsodium xlsxwriter pangocairo icu-uc icu-i18n libxml-2.0 libmicrohttpd zlib libpq}
if [ "${1:-}" = "--valgrind" ]; then
	valgrind="valgrind --quiet --error-exitcode=98 --leak-check=full --errors-for-leak-kinds=definite --suppressions=tests/valgrind.supp"
	bindir=build/valgrind
	mkdir -p $bindir
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
passed=0
failed=0

# Runs one test program; counts its lines; a crash or sanitizer report fails it.
run_one() {
	name=$1
	shift
	echo "# $name"
	"$@" >"$log" 2>&1
	status=$?
	cat "$log"
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $status"
		failed=$((failed + 1))
	fi
}

for t in build/asan/tests/*/test_*; do
	[ -x "$t" ] || continue
	if [ -n "$valgrind" ]; then
		# valgrind cannot run ASan builds: build a plain copy of the test.
		src="tests/${t#build/asan/tests/}.c"
		plain="$bindir/$(basename "$t")"
		cc -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 -Isrc -Itests \
			-o "$plain" "$src" tests/harness/*.c build/librbm.a \
			$(pkg-config --cflags --libs $PKGS) -lm || exit 2
		run_one "$t (valgrind)" $valgrind "$plain"
	else
		run_one "$t" "$t"
	fi
done

if [ -z "$valgrind" ]; then
	for t in tests/*/test_*.sh; do
		[ -f "$t" ] || continue
		run_one "$t" sh "$t"
	done
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
