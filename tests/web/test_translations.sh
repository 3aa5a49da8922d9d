# test_translations.sh - every string the web pages show is in po/rbm.pot and translated, not
# fuzzy, in each of the five other languages (scripts/update-po.sh --check), and the catalogues
# compile (msgfmt --check, as the build does).
. tests/harness/cli.sh

if out=$(scripts/update-po.sh --check 2>&1); then
	ok "translations: every web string is in po/rbm.pot and translated in ar, zh, fr, ru, es"
else
	fail "translations: every web string is in po/rbm.pot and translated in ar, zh, fr, ru, es" "$out"
fi
for l in ar zh fr ru es; do
	if stats=$(msgfmt --check --statistics -o /dev/null "po/$l.po" 2>&1) && ! echo "$stats" | grep -q 'untranslated\|fuzzy'; then
		ok "translations: po/$l.po compiles, complete ($stats)"
	else
		fail "translations: po/$l.po compiles, complete" "$stats"
	fi
done
