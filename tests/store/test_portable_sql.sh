# test_portable_sql.sh - the SQL that modules send through rbm_store_query runs on SQLite and on
# PostgreSQL alike (store.h lists the rules; docs/storage.md why). This catches the SQLite-only
# forms that are easy to write and fail only on PostgreSQL, in every .c file outside the SQLite
# back-end itself. A hit names the file and line.
cd "$(dirname "$0")/../.." || exit 2
n=0
check() {
	name=$1
	pattern=$2
	n=$((n + 1))
	hits=$(grep -rniE --include="*.c" -e "$pattern" src | grep -v "^src/store/store_sqlite" || true)
	if [ -z "$hits" ]; then
		echo "ok $n - portable SQL, none of: $name"
	else
		echo "not ok $n - portable SQL, found: $name (see store.h)"
		echo "$hits" | head -n 5 | sed 's/^/#   /'
	fi
}
check "INSERT OR IGNORE/REPLACE or REPLACE INTO (ON CONFLICT works on both)" '"[^"]*(INSERT OR (IGNORE|REPLACE)|REPLACE INTO)'
check "date('now'), datetime(), strftime('%...') or julianday() in SQL (times come from C)" "(\\bdatetime\\(|date\\('now|strftime\\('%|julianday\\()"
check "rowid or last_insert_rowid() (use RETURNING id)" '"[^"]*\b(rowid|last_insert_rowid)\b'
check "GLOB, group_concat(), ifnull() or printf() in SQL" '"[^"]*(\bGLOB\b|group_concat\(|ifnull\(|\bprintf\()[^"]*"'
check "? IS NULL, a parameter of unknown type (write CAST(? AS TEXT) IS NULL)" '"[^"]*\? IS (NOT )?NULL'
check "CASE WHEN ? THEN, a parameter as a condition (write CASE WHEN ? = 1 THEN)" '"[^"]*WHEN \? THEN'
check "sqlite_master or PRAGMA outside the SQLite back-end" '"[^"]*(sqlite_master|\bPRAGMA\b)'
