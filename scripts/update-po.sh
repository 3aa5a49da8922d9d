#!/bin/sh
# update-po.sh - re-extracts the web pages' strings into po/rbm.pot and
# merges po/rbm.pot into every po/LANG.po.
#
#   scripts/update-po.sh          update po/rbm.pot and po/LANG.po
#   scripts/update-po.sh --check  change nothing; fail if a msgid of the web
#                                 pages is missing from po/rbm.pot, or a
#                                 po/LANG.po has an untranslated or fuzzy entry
#
# po/rbm.pot is built from three parts:
#   - the survey form's labels (entries with a "#. RBM_LABEL_..." comment),
#     kept as they are;
#   - TR("...") and rbm_i18n_gettext(lang, "...") in src/web/*.c (xgettext);
#   - the msgids the pages pass to gettext through a variable, which xgettext
#     cannot see: the DYNAMIC list below. Keep it in step with the code.
# New entries reach po/LANG.po with an empty msgstr: translate them by hand.
# Existing translations are kept; an entry whose msgid left the code stays in
# po/LANG.po as obsolete (#~).
set -eu
# C.UTF-8: the catalogues are UTF-8; file names sort as in C.
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.."

check=false
[ "${1:-}" = "--check" ] && check=true

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# note|msgid - one a line; the note becomes the translators' comment.
DYNAMIC='open data table level: one row per reported value|value
open data table level: one row per indicator|indicator
open data table level: one row per outcome|outcome
open data table level: one row per domain of change|domain
submission or survey state (rbm_status_name)|not started
submission or report state; a report not yet published|draft
submission state|submitted
submission state: sent back to the office by the reviewer|returned
submission state|approved
reporting cycle state|open
reporting cycle state|closed
report state|published
state of a translated paragraph: no translation yet|missing
state of a translated paragraph: the English changed since it was translated|stale
state of a translated paragraph: up to date|current
indicator state (rbm_attain_name)|achieved
indicator state|on track
indicator state|behind
indicator state|no data
indicator state: the indicator has no target for the year|no target
chart series: the indicator target of a year|target
chart series: the actual value of a year|actual
unit of an indicator: a number of people|people
unit of an indicator: yes or no|yes/no
user role: may read results|viewer
user role: reports an office'"'"'s results|reporter
user role: reviews the submissions of a region|reviewer
user role: writes and translates the report text|editor
user role|administrator
user role: anyone, not signed in|public
navigation link|Results
navigation link to the report text editor|Report text
review queue filter: submissions in every state|all
HTTP status phrase, the title of an error page|Error
HTTP status phrase, the title of an error page|Bad Request
HTTP status phrase, the title of an error page|Unauthorized
HTTP status phrase, the title of an error page|Forbidden
HTTP status phrase, the title of an error page|Not Found
HTTP status phrase, the title of an error page|Method Not Allowed
HTTP status phrase, the title of an error page|Request Timeout
HTTP status phrase, the title of an error page|Conflict
HTTP status phrase, the title of an error page|Content Too Large
HTTP status phrase, the title of an error page|URI Too Long
HTTP status phrase, the title of an error page|Unsupported Media Type
HTTP status phrase, the title of an error page|Unprocessable Content
HTTP status phrase, the title of an error page|Too Many Requests
HTTP status phrase, the title of an error page|Internal Server Error
HTTP status phrase, the title of an error page|Not Implemented
HTTP status phrase, the title of an error page|Service Unavailable
error page (400)|The request is malformed.
error page (401)|Sign in to see this page.
error page (403)|Your account may not see this page.
error page (404)|There is no page at this address.
error page (405)|This address does not accept this method.
error page (413)|The request is too large.
error page (414)|The address is too long.
error page (5xx)|The server failed to answer; its log says why.
error page (403)|The form is out of date or came from another site (its CSRF token does not match your session); reload the page and try again.
error page (400): the address|The path must begin with '"'"'/'"'"'.
error page (400): the address|The path holds a malformed escape or a NUL byte.
error page (400): the address|The path may not hold '"'"'.'"'"' or '"'"'..'"'"' segments.
error page (400): the address|The path holds a malformed escape.
error page (400): the address|too many query parameters
error page (400): the address|a query parameter is not well percent-encoded
error page (400): a form sent|the form has too many fields
error page (400): a form sent|the form body is not well percent-encoded
error page (400); keep the parameter name and values as they are|status: expected draft, submitted, returned, approved or all.
error page (400); keep the parameter name and values as they are|_action: expected approve or return.
error page (400); keep the parameter name and values as they are|_action: expected publish or unpublish.
error page (404)|There is no such survey.
error page (403)|You may answer only your own office'"'"'s survey.
error page (404)|This office is not asked for results in this cycle.
error page (404)|There is no such submission.
error page (403)|This submission is not in your region.
error page (404)|There is no published report at this address.
error page (404)|There is no such report.
error page (404)|There is no such file.
error page (404)|There is no such indicator.
error page (404)|There is no reporting cycle for this year.
error page (404)|There is no reporting cycle yet.
error page (503)|No database is open.
survey form: a problem with the answers|a narrative needs its language (ar, zh, en, fr, ru or es)
survey form|This submission is approved; it can no longer be changed here.
survey form|This submission waits for review; it can be changed again if the reviewer returns it.
review page: why a return was refused|a return needs a comment telling the office what to change'

printf '%s\n' "$DYNAMIC" | while IFS='|' read -r note msgid; do
	printf '/* TRANSLATORS: %s */\nTR("%s");\n' "$note" "$msgid"
done >"$tmp/dynamic.c"

xgettext --language=C --from-code=UTF-8 --keyword=TR --keyword=rbm_i18n_gettext:2 \
	--add-comments=TRANSLATORS --add-location=file --no-wrap --omit-header \
	-o "$tmp/web.pot" src/web/*.c
xgettext --language=C --from-code=UTF-8 --keyword=TR --add-comments=TRANSLATORS \
	--no-location --no-wrap --omit-header -o "$tmp/dynamic.pot" "$tmp/dynamic.c"
msggrep --no-wrap -X -e '^RBM_LABEL_' -o "$tmp/labels.pot" po/rbm.pot
msgcat --use-first --no-wrap -o "$tmp/rbm.pot" "$tmp/labels.pot" "$tmp/web.pot" "$tmp/dynamic.pot"

if $check; then
	rc=0
	grep '^msgid ' po/rbm.pot | sort >"$tmp/have"
	grep '^msgid ' "$tmp/rbm.pot" | sort >"$tmp/want"
	if [ -n "$(comm -13 "$tmp/have" "$tmp/want")" ]; then
		echo "po/rbm.pot lacks these msgids of the code (run scripts/update-po.sh):" >&2
		comm -13 "$tmp/have" "$tmp/want" >&2
		rc=1
	fi
	for po in po/*.po; do
		stats=$(msgfmt --check --statistics -o /dev/null "$po" 2>&1)
		echo "$po: $stats"
		case $stats in
		*untranslated* | *fuzzy*) rc=1 ;;
		esac
	done
	exit $rc
fi

cp "$tmp/rbm.pot" po/rbm.pot
for po in po/*.po; do
	msgmerge --quiet --no-wrap --no-fuzzy-matching -o "$tmp/merged.po" "$po" po/rbm.pot
	# msgmerge reorders the header's fields: keep po/LANG.po's header as it is.
	{ sed -n '1,/^$/p' "$po"; sed '1,/^$/d' "$tmp/merged.po"; } >"$tmp/kept.po"
	cp "$tmp/kept.po" "$po"
done
for po in po/*.po; do
	echo "$po: $(msgfmt --check --statistics -o /dev/null "$po" 2>&1)"
done
