#!/bin/sh
# import_memory.sh - peak memory of 'rbm import' on a large KoBoToolbox CSV (a measurement, not a test).
#
# Usage: bench/import_memory.sh [MEGABYTES]   (default 2048: a 2 GB file)
#
# Writes a KoBo-style export of the KEN form with MEGABYTES of rows (each a different
# submission uuid, long narratives), then runs 'rbm import --dry-run' on it: the
# first pass streams and checks every row, the second stores inside one transaction
# that the dry run rolls back. Prints the file size, the time and the peak resident
# memory (GNU time's %M), beside the machine's core count.
set -eu
cd "$(dirname "$0")/.."
mb=${1:-2048}
dir=$(mktemp -d "${TMPDIR:-/tmp}/rbm-bench-XXXXXX")
trap 'rm -rf "$dir"' EXIT
make -s build/rbm >/dev/null
export RBM_DATA_DIR="$PWD/data" RBM_NOW=2022-02-01T10:00:00Z
db=$dir/bench.db
build/rbm init --db "$db" >/dev/null
build/rbm --db "$db" cycle open 2021 --from 2022-01-10 --to 2022-02-28 >/dev/null
csv=$dir/kobo.csv
echo "rbm: writing a ${mb} MB KoBoToolbox CSV..." >&2
# One narrative of ~1.5 KB per row makes the file large without making rows trivial.
awk -v mb="$mb" 'BEGIN {
	text = "Residents committees repaired and ran water points, and the office supported them with materials and training. ";
	while (length(text) < 1500) text = text text;
	print "d_1/o_1_1/v_1_1_a,d_1/o_1_1/v_1_1_a__female,d_1/o_1_1/o_1_1_narrative,d_1/o_1_1/o_1_1_lang,rbm_office,rbm_cycle,_uuid,_submission_time";
	limit = mb * 1024 * 1024; size = 0; i = 0;
	while (size < limit) {
		i++;
		line = sprintf("%d,%d,\"%s\",en,KEN,2021,bench-%d,2022-02-01T10:00:00", 1000 + i % 5000, 500 + i % 400, text, i);
		print line;
		size += length(line) + 1;
	}
}' > "$csv"
bytes=$(stat -c %s "$csv")
echo "rbm: importing (dry run)..." >&2
/usr/bin/time -f '%e %M' -o "$dir/time" build/rbm --db "$db" import --dry-run "$csv" >"$dir/out" 2>"$dir/err" || {
	cat "$dir/err" >&2
	exit 1
}
read -r secs kb <"$dir/time"
rows=$(($(wc -l <"$csv") - 1))
echo "file: $bytes bytes, $rows rows; rbm import --dry-run: $secs s, peak RSS $kb KiB; cores: $(nproc)"
cat "$dir/out"
