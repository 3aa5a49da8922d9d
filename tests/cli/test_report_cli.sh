# test_report_cli.sh - rbm report and i18n on the 2021 sample, checked with the tools readers use.
. tests/harness/cli.sh

db=$T/r.db
out=$T/stdout
RBM_DB=$db RBM="$RBM" sh data/samples/2021/load.sh "$db" >/dev/null 2>&1
[ -s "$db" ] && ok "the 2021 sample loads" || fail "the 2021 sample loads" "no database"
for f in data/samples/2021/editorial/*.json; do
	run editorial import --db "$db" "$f"
	expect "editorial import $(basename "$f")" 0 "texts stored"
done

run report highlights --db "$db" --cycle 2021 --lang all --format all -o "$T/out"
expect "highlights: six languages, five formats" 0 "^30 files written to"
run report annual --db "$db" --cycle 2021 --lang all --format all -o "$T/out"
expect "annual report: six languages, five formats" 0 "^30 files written to"

# The Chinese highlights note reads like the Board's note.
pdftotext -layout "$T/out/highlights.zh.pdf" "$T/zh.txt"
grep -q "秘书处的说明" "$T/zh.txt" && ok "zh: note by the secretariat" || fail "zh: note by the secretariat" "missing"
grep -q "约 290 万人" "$T/zh.txt" && ok "zh: about 2.9 million people as 约 290 万人" || fail "zh: 约 290 万人" "missing"
grep -q "45 个国家" "$T/zh.txt" && ok "zh: 45 个国家" || fail "zh: 45 个国家" "missing"
for n in 1 2 3 4 5 6 7 8 9 10 11; do
	grep -Eq "^$n\. " "$T/zh.txt" || { fail "zh: paragraph $n" "no line starting '$n.'"; continue; }
done
grep -Eq "^11\. " "$T/zh.txt" && ok "zh: 11 numbered paragraphs" || true
grep -q "(a)" "$T/zh.txt" && grep -q "(d)" "$T/zh.txt" && ok "zh: the lettered flagship list" || fail "zh: lettered list" "missing"
pdffonts "$T/out/highlights.zh.pdf" | awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }' && ok "zh: every font embedded" || fail "zh: fonts embedded" "pdffonts"
pdftotext -layout "$T/out/highlights.en.pdf" "$T/en.txt"
grep -q "about 2.9 million people" "$T/en.txt" && grep -q "45 countries" "$T/en.txt" && ok "en: 2.9 million people in 45 countries" || fail "en: figures" "missing"
pdftotext -layout "$T/out/highlights.fr.pdf" "$T/fr.txt"
grep -q "Note du secrétariat" "$T/fr.txt" && ok "fr: note du secrétariat" || fail "fr: note du secrétariat" "missing"
pdftotext -layout "$T/out/annual.ru.pdf" "$T/ru.txt"
grep -q "2 899 810" "$T/ru.txt" && ok "ru: grouping with a narrow space" || fail "ru: 2 899 810" "missing"
pdftotext "$T/out/highlights.ar.pdf" "$T/ar.txt"
grep -q "الأمانة" "$T/ar.txt" || grep -q "مذكرة" "$T/ar.txt" && ok "ar: Arabic text in the PDF" || fail "ar: Arabic text" "missing"

# HTML: well-formed, lang and dir, no external requests.
for l in ar zh en fr ru es; do
	xmllint --noout "$T/out/annual.$l.html" 2>"$T/x.err" || { fail "annual.$l.html is well-formed" "$(head -3 "$T/x.err")"; continue; }
done
ok "every annual HTML page is well-formed XML"
grep -q '<html lang="ar" dir="rtl">' "$T/out/highlights.ar.html" && ok "ar: dir=rtl" || fail "ar: dir=rtl" "missing"
grep -q '<html lang="zh" dir="ltr">' "$T/out/highlights.zh.html" && ok "zh: lang=zh" || fail "zh: lang" "missing"
grep -Eq 'src="http|href="http' "$T/out/annual.en.html" && fail "no external requests" "an http link" || ok "no external requests"
grep -q '<svg' "$T/out/annual.en.html" && ok "inline SVG charts" || fail "inline SVG charts" "missing"

# DOCX unzips to well-formed XML; XLSX holds numbers.
mkdir -p "$T/docx" && (cd "$T/docx" && unzip -q -o ../out/annual.en.docx)
bad=0
for x in $(find "$T/docx" -name '*.xml' -o -name '*.rels'); do xmllint --noout "$x" 2>/dev/null || bad=1; done
[ $bad = 0 ] && ok "DOCX parts are well-formed" || fail "DOCX parts are well-formed" "xmllint"
grep -q "<w:numPr>" "$T/docx/word/document.xml" && ok "DOCX: real numbered paragraphs" || fail "DOCX numbering" "no w:numPr"
mkdir -p "$T/xlsx" && (cd "$T/xlsx" && unzip -q -o ../out/annual.en.xlsx)
grep -q '<c r="C2" s="[0-9]*"><v>2500000</v>' "$T/xlsx/xl/worksheets/sheet2.xml" && ok "XLSX: a target is a number cell" || \
	grep -q '<v>2500000</v>' "$T/xlsx"/xl/worksheets/sheet*.xml && ok "XLSX: a target is a number cell" || fail "XLSX number cells" "no numeric 2500000"

# Markdown golden structure.
grep -q '^1\\. ' "$T/out/highlights.en.md" && ok "Markdown: numbered paragraphs" || fail "Markdown numbering" "missing"

# Fallback and --strict.
run editorial import --db "$db" /dev/null
expect "editorial import of an empty file" 2 "" "invalid JSON"
printf '{"rbm_editorial": 1, "report": "highlights", "cycle": 2021, "paragraphs": {"summary": {"en": "A new English summary."}}}' >"$T/summary.json"
run editorial import --db "$db" "$T/summary.json"
expect "an English edit" 0 "1 texts stored"
run i18n status --db "$db" --lang fr
expect "the French summary is now stale" 0 "highlights 2021 summary fr: stale"
printf '{"rbm_editorial": 1, "report": "highlights", "cycle": 2021, "paragraphs": {"extra": {"en": "Only in English."}}}' >"$T/extra.json"
run editorial import --db "$db" "$T/extra.json"
run report highlights --db "$db" --cycle 2021 --lang en --format md -o "$T/o2"
expect "English still renders" 0
run report annual --db "$db" --cycle 2021 --lang zz -o "$T/o2"
expect "unknown language" 2 "" "--lang: expected ar, zh, en, fr, ru, es or all"
run report yearly --db "$db" --cycle 2021 -o "$T/o2"
expect "unknown report" 2 "" "name the report: highlights or annual"
run report highlights --db "$db" --cycle 2019 -o "$T/o2"
expect "a cycle that does not exist" 1 "" "no reporting cycle for 2019"
