#!/bin/sh
# Install ddns_min on a router by copying, without the package manager: the same files, places and
# modes as the ddns-min package. Run from this folder on the router (or with ROOT=/some/dir to
# stage into a directory):  sh install.sh
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

for f in "$SRC"/ddns_min/*.py; do
	install_file 0644 "$f" "$ROOT/usr/lib/ddns_min/ddns_min/$(basename "$f")"
done
for f in "$SRC"/ddns_min/providers/*.py; do
	install_file 0644 "$f" "$ROOT/usr/lib/ddns_min/ddns_min/providers/$(basename "$f")"
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
