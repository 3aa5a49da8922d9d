# cli.sh - helpers for tests that run rbm as a user would (sourced by tests/*/test_*.sh).
#
#   run ARGS...          runs rbm; sets $status, and the files $out and $err
#   ok NAME              prints "ok N - NAME"
#   fail NAME WHY        prints "not ok N - NAME" and why
#   expect NAME STATUS [PATTERN_IN_STDOUT] [PATTERN_IN_STDERR]
#                        checks the last run's exit status and output (grep -E patterns)

RBM=${RBM:-build/asan/rbm}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
out=$T/stdout
err=$T/stderr
n=0

run() {
	"$RBM" "$@" >"$out" 2>"$err"
	status=$?
}

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

fail() {
	n=$((n + 1))
	echo "not ok $n - $1"
	echo "#   $2"
	sed 's/^/#   stdout: /' "$out" | head -n 15
	sed 's/^/#   stderr: /' "$err" | head -n 15
}

expect() {
	name=$1 want=$2 pat_out=${3:-} pat_err=${4:-}
	if [ "$status" -ne "$want" ]; then
		fail "$name" "exit status $status, expected $want"
	elif [ -n "$pat_out" ] && ! grep -Eq -- "$pat_out" "$out"; then
		fail "$name" "stdout lacks /$pat_out/"
	elif [ -n "$pat_err" ] && ! grep -Eq -- "$pat_err" "$err"; then
		fail "$name" "stderr lacks /$pat_err/"
	elif grep -q 'runtime error\|AddressSanitizer\|LeakSanitizer' "$err"; then
		fail "$name" "sanitizer report"
	else
		ok "$name"
	fi
}
