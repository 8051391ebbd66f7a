#!/bin/sh
# Install reportgen into ./.venv on a Debian machine with Python 3.11+.
#
#   sh scripts/install.sh          the tool, to render reports
#   sh scripts/install.sh --test   the tool (editable) and the test dependencies
#
# System packages come from Debian when we are root (or have sudo):
#   libpango/libpangoft2  WeasyPrint's text layout (present on most machines)
#   libharfbuzz-subset0   font subsetting in C; without it WeasyPrint falls
#                         back to fontTools and renders about 6x slower
#   python3-venv          only when this Python cannot make a virtualenv
#   chromium, chromium-driver  with --test only: tests/live/test_browser.py drives
#                         the live lesson's page in them, and tests/render/
#                         test_accessibility.py runs axe-core in them
#   npm                   with --test only, when there is no npm: fetches axe-core 4
#                         for tests/render/test_accessibility.py
# No fonts: the report uses only font files from its Python dependencies
# (STIXGeneral from matplotlib, STIX Two Math from ziamath, Noto Sans CJK JP
# from noto-cjk-sans-jp-regular/-bold), so it needs none from the system.
set -eu
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "install.sh: reportgen needs Python 3.11 or newer ($PYTHON is $("$PYTHON" -V 2>&1))" >&2
    exit 1
}

SYSTEM_PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    SYSTEM_PACKAGES="$SYSTEM_PACKAGES python3-venv"
fi
if [ "${1:-}" = "--test" ]; then
    SYSTEM_PACKAGES="$SYSTEM_PACKAGES chromium chromium-driver"
    command -v npm >/dev/null || SYSTEM_PACKAGES="$SYSTEM_PACKAGES npm"
fi

missing=""
for pkg in $SYSTEM_PACKAGES; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO=sudo; else SUDO=none; fi
    if [ "$SUDO" = none ]; then
        echo "install.sh: please install these Debian packages as root:$missing" >&2
    else
        echo "install.sh: installing Debian packages:$missing" >&2
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
    fi
fi

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
# The versions CI tested (constraints.txt), so a new machine makes the same bytes;
# REPORTGEN_CONSTRAINTS=none installs the newest versions instead.
CONSTRAINTS="-c constraints.txt"
[ "${REPORTGEN_CONSTRAINTS:-}" = none ] && CONSTRAINTS=""
if [ "${1:-}" = "--test" ]; then
    .venv/bin/python -m pip install -q --disable-pip-version-check $CONSTRAINTS -e '.[test]'
else
    .venv/bin/python -m pip install -q --disable-pip-version-check $CONSTRAINTS .
fi
echo "install.sh: reportgen installed in .venv ($(.venv/bin/reportgen --version))" >&2
