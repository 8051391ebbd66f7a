#!/bin/sh
# The messages on stderr (reportgen/say.py): extract, update and compile the catalogues.
#
#   sh scripts/messages.sh          extract reportgen/locale/reportgen.pot from the code, merge it
#                                   into each reportgen/locale/<lang>/LC_MESSAGES/reportgen.po
#                                   (new messages arrive untranslated), compile each .po to .mo
#
# Translate the new entries of the .po (msgstr), then run it again: the .mo beside the .po is
# what an installed reportgen reads (tests/test_messages.py checks that it is current).
set -eu
cd "$(dirname "$0")/.."
BABEL=".venv/bin/pybabel"
"$BABEL" extract --no-location --sort-output --omit-header -k _ -k _n:1,2 -k N_ \
    --no-default-keywords -o reportgen/locale/reportgen.pot reportgen
for po in reportgen/locale/*/LC_MESSAGES/reportgen.po; do
    "$BABEL" update --no-fuzzy-matching --omit-header -i reportgen/locale/reportgen.pot -o "$po"
    "$BABEL" compile -i "$po" -o "${po%.po}.mo"
done
