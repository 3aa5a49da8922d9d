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
# plan's outline in English and in Chinese, opens the 2022 cycle for a few offices
# (so that reporters and reviewers have work in the browser), gives each sample
# user a fresh random password, prints the sign-ins, then serves (rbm serve)
# until Ctrl-C.
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

# --replace: a database made before the bundled plan last changed takes the new plan (the same plan: no-op).
"$RBM" init --db "$DB" --replace
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
echo "== Open data for 2021 into out/: a data package (CSV + Table Schema), XLSX tables, IATI 2.03"
"$RBM" export datapackage --cycle 2021 -o out/data-2021 --db "$DB" | tail -n 1
"$RBM" export xlsx --cycle 2021 -o out/results-2021.xlsx --db "$DB" | tail -n 1
"$RBM" export iati --cycle 2021 --cycles 2020-2021 -o out/iati-2021.xml --db "$DB" | tail -n 1
# Published: the web application shows them to the public (once; a second run finds them so).
for r in highlights annual; do
	"$RBM" report publish "$r" --cycle 2021 --db "$DB" 2>/dev/null || true
done
echo
echo "== The plan in English"
"$RBM" plan show --db "$DB" --lang en
echo
echo "== 中文计划"
"$RBM" plan show --db "$DB" --lang zh

echo
echo "== Reporting cycle 2022, open from today for the Kenya and Africa offices"
if ! "$RBM" cycle status 2022 --db "$DB" >/dev/null 2>&1; then
	"$RBM" cycle open 2022 --from "$(date -u +%F)" --to "$(date -u -d '+60 days' +%F)" \
		--offices KEN,ETH,ROAF --db "$DB"
fi

# One sample user per role. Each run sets a fresh random password and prints it,
# so the database never holds a password anyone could guess from this file.
echo
echo "== Sign-ins for the web application (passwords are new on every run)"
printf '%-10s %-14s %-16s %s\n' user role covers password
while read -r name role scope; do
	pw=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
	if "$RBM" user list --db "$DB" | grep -q "^$name "; then
		printf '%s\n' "$pw" | "$RBM" user passwd "$name" --db "$DB" >/dev/null
	else
		# shellcheck disable=SC2086
		printf '%s\n' "$pw" | "$RBM" user add "$name" --role "$role" $scope --db "$DB" >/dev/null
	fi
	printf '%-10s %-14s %-16s %s\n' "$name" "$role" "${scope#--* }" "$pw"
done <<'USERS'
admin administrator
editor editor
rafael reviewer --region ROAF
amina reporter --office KEN
viewer viewer
USERS

if [ "$serve" -eq 1 ]; then
	echo
	echo "== Serving the web application: sign in with a user above (Ctrl-C to stop)"
	exec "$RBM" serve --db "$DB"
fi
