#!/bin/sh
# Refresh constraints.txt: the newest versions pip chooses today for reportgen and every
# extra, in a fresh environment, run through the whole suite before they are kept.
#
#   sh scripts/update-constraints.sh        then review `git diff constraints.txt` and commit
#
# The pins are what CI tested; scripts/install.sh installs with them, so the same
# command on a new worker makes the same bytes.
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
"$PYTHON" -m venv "$fresh/venv"
"$fresh/venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
"$fresh/venv/bin/python" -m pip install -q --disable-pip-version-check -e '.[test,dask,live]'
"$fresh/venv/bin/python" -m pytest -q
{
    echo "# The versions CI tested (scripts/install.sh installs with them)."
    echo "# Refresh: sh scripts/update-constraints.sh (see README, \"Batch jobs\")."
    "$fresh/venv/bin/python" -m pip freeze --exclude-editable | grep -iv '^reportgen\b'
} > constraints.txt
echo "update-constraints.sh: constraints.txt updated; review the diff and commit it" >&2
