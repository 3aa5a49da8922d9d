#!/bin/sh
# Loads the rbm sample data of reporting cycle 2021 into a database, replaying the collection:
# the cycle opens on 10 January 2022, offices submit (rbm JSON and a KoBoToolbox CSV export),
# reviewers return five submissions with a comment on 22 February, the offices send corrected
# versions, and every submission is approved from 1 March. Timestamps come from RBM_NOW.
#
#   data/samples/2021/load.sh DB          (from the repository root; uses build/rbm unless $RBM is set)
#
# DB is a SQLite file or a postgres:// URL (the database must exist; 'rbm init' makes its tables).
#
# The data are illustrative, written by the rbm project (see README.md). Running the script again
# on the same database changes nothing: imports of unchanged content are no-ops, and once the
# corrections are in, the original files are not imported again (they would undo the corrections).
# It stops at the first failure (exit status non-zero).
set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 DB" >&2
	exit 2
fi
DB=$1
RBM=${RBM:-build/rbm}
HERE=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
TAB=$(printf '\t')
IMPORTER=${RBM_USER:-samples.importer}
REVIEWER=${RBM_USER:-samples.reviewer}

if ! command -v "$RBM" >/dev/null 2>&1; then
	echo "$0: $RBM not found: run 'make' first, or set RBM" >&2
	exit 1
fi

rbm() { "$RBM" --db "$DB" "$@"; }
at() { RBM_NOW=$1; export RBM_NOW; }
as() { RBM_USER=$1; export RBM_USER; }

# state OFFICE: "ID STATUS REV" of the office's 2021 submission, nothing when there is none.
state() {
	_list=$(rbm submissions list --cycle 2021 --office "$1")
	printf '%s\n' "$_list" | awk '$2 == "2021" { print $1, $4, $6; exit }'
}

case $DB in
postgres://* | postgresql://*)
	# A server's database exists already: 'rbm init' makes its tables (and changes nothing after).
	at 2022-01-03T08:00:00Z
	rbm init >/dev/null ;;
*)
	if [ ! -f "$DB" ]; then
		at 2022-01-03T08:00:00Z
		rbm init
	fi ;;
esac

# 1. The cycle.
at 2022-01-10T08:00:00Z
as "$REVIEWER"
cycles=$(rbm cycle list)
if printf '%s\n' "$cycles" | awk '$1 == "2021" { f = 1 } END { exit !f }'; then
	echo "cycle 2021 exists already: not opened again"
else
	rbm cycle open 2021 --from 2022-01-10 --to 2022-02-28
fi

# 2. The submissions, unless the corrections are in already.
corrected=no
while IFS=$TAB read -r office _ returned_at comment; do
	[ "$office" = office ] && continue
	s=$(state "$office")
	# shellcheck disable=SC2086
	set -- $s
	if [ $# -eq 3 ] && [ "$3" -gt 1 ]; then
		corrected=yes
	fi
done <"$HERE/returns.tsv"

as "$IMPORTER"
if [ "$corrected" = yes ]; then
	echo "the corrections are in already: the original submissions are not imported again"
else
	at 2022-02-21T07:00:00Z
	rbm import "$HERE/submissions-hq-regional.json"
	at 2022-02-21T07:10:00Z
	rbm import "$HERE/submissions-countries-a.json"
	at 2022-02-21T07:20:00Z
	rbm import "$HERE/kobo-export-countries-b.csv"
fi

# 3. Reviewers return some submissions with a comment.
as "$REVIEWER"
while IFS=$TAB read -r office _ returned_at comment; do
	[ "$office" = office ] && continue
	s=$(state "$office")
	# shellcheck disable=SC2086
	set -- $s
	if [ $# -ne 3 ]; then
		echo "$0: no 2021 submission of $office to return" >&2
		exit 1
	fi
	if [ "$2" = submitted ] && [ "$3" -eq 1 ]; then
		at "$returned_at"
		rbm review return "$1" --rev 1 --comment "$comment"
	else
		echo "$office: submission $1 is $2 at revision $3: not returned again"
	fi
done <"$HERE/returns.tsv"

# 4. The offices send corrected versions (same uuids: new revisions).
as "$IMPORTER"
at 2022-02-27T09:00:00Z
rbm import "$HERE/corrections.json"

# 5. Every submitted submission is approved, a few minutes apart.
as "$REVIEWER"
list=$(rbm submissions list --cycle 2021 --status submitted)
ids=$(printf '%s\n' "$list" | awk '$2 == "2021" { print $1 ":" $6 }')
i=0
for x in $ids; do
	t=$((i * 6))
	at "$(printf '2022-03-01T%02d:%02d:00Z' $((9 + t / 60)) $((t % 60)))"
	rbm review approve "${x%%:*}" --rev "${x#*:}" >/dev/null
	i=$((i + 1))
done
echo "approved $i submissions"

# 6. Where the collection stands.
status=$(rbm cycle status 2021)
last=$(printf '%s\n' "$status" | tail -n 1)
echo "$last"
printf '%s\n' "$last" | awk '{ n = $2 + 0; a = -1
	if (match($0, /approved [0-9]+/)) a = substr($0, RSTART + 9, RLENGTH - 9) + 0 }
	END { exit !(n > 0 && n == a) }' || {
	echo "$0: not every participating office is approved (see 'rbm cycle status 2021')" >&2
	exit 1
}
