#!/bin/sh
# The Home Assistant integration's tests (tests/ha) in a real HA core: makes a venv with pyenv's
# newest CPython 3.13 (HA_VENV, default /tmp/ha-venv), installs the pinned versions of
# tests/ha/requirements.txt into it (skipped when they are already there), then runs pytest with
# tests/ha/pytest.ini. Extra arguments go to pytest. HA_PYTHON names another interpreter.
set -e
cd "$(dirname "$0")/../.."
VENV=${HA_VENV:-/tmp/ha-venv}
if [ -z "$HA_PYTHON" ]; then
    root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
    newest=$(ls "$root/versions" 2>/dev/null | grep -E '^3\.13\.[0-9]+$' | sort -V | tail -n 1)
    HA_PYTHON=${newest:+$root/versions/$newest/bin/python}
    HA_PYTHON=${HA_PYTHON:-$(command -v python3.13 || true)}
fi
if [ -z "$HA_PYTHON" ] || [ ! -x "$HA_PYTHON" ]; then
    echo "tests/ha/run.sh: no CPython 3.13 found (pyenv install 3.13, or set HA_PYTHON)" >&2
    exit 2
fi
if [ ! -x "$VENV/bin/python" ] || \
        [ "$("$VENV/bin/python" -c 'import sys; print(sys.version.split()[0])')" != \
          "$("$HA_PYTHON" -c 'import sys; print(sys.version.split()[0])')" ]; then
    rm -rf "$VENV"
    "$HA_PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.ddns_min-requirements"
if ! cmp -s tests/ha/requirements.txt "$stamp"; then
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r tests/ha/requirements.txt
    cp tests/ha/requirements.txt "$stamp"
fi
exec "$VENV/bin/python" -m pytest -c tests/ha/pytest.ini -q -p no:sugar tests/ha "$@"
