#!/bin/sh
# run.sh - the main job behind 'make run': set up the database and show the plan.
#
# Usage: scripts/run.sh [--no-serve]
#   --no-serve   do everything but serve the web application (for scripted use)
#
# It initialises ./rbm.db (or $RBM_DB) with the bundled plan, loads the 2021
# sample submissions through 'rbm import' and reviews them (data/samples/2021/
# load.sh), shows the results by domain, renders the highlights note and the
# annual report in six languages and five formats into out/, and prints the
# plan's outline in English and in Chinese, then serves (rbm serve) until Ctrl-C.
set -eu
cd "$(dirname "$0")/.."

serve=1
for arg in "$@"; do
	case $arg in
	--no-serve) serve=0 ;;
	-h | --help)
		sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "rbm: run.sh: unknown argument '$arg'" >&2
		exit 2
		;;
	esac
done

RBM=build/rbm
DB=${RBM_DB:-rbm.db}
export RBM_DATA_DIR="$PWD/data"

"$RBM" init --db "$DB"
echo
echo "== Reporting cycle 2021: the sample submissions, imported and reviewed as a user would"
RBM="$RBM" data/samples/2021/load.sh "$DB"
echo
echo "== Results 2021 by domain of change (approved submissions only)"
"$RBM" results --cycle 2021 --by domain --db "$DB"

echo
echo "== Reports for 2021 in six languages, every format, into out/"
for f in data/samples/2021/editorial/*.json; do
	"$RBM" editorial import "$f" --db "$DB"
done
"$RBM" report highlights --cycle 2021 --lang all --format all -o out --db "$DB" | tail -n 1
"$RBM" report annual --cycle 2021 --lang all --format all -o out --db "$DB" | tail -n 1
echo
echo "== The plan in English"
"$RBM" plan show --db "$DB" --lang en
echo
echo "== 中文计划"
"$RBM" plan show --db "$DB" --lang zh

if [ "$serve" -eq 1 ]; then
	echo
	echo "== Serving (so far: /healthz, /api/v1/version and static files; the pages come with the web issue)"
	exec "$RBM" serve --db "$DB"
fi
