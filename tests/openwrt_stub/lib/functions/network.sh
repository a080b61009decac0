# Stand-in for OpenWrt's /lib/functions/network.sh: addresses come from $STUB_NET/<iface>.4 / .6
network_flush_cache() { :; }
network_get_ipaddr() { [ -s "$STUB_NET/$2.4" ] && eval "$1=\$(cat \"\$STUB_NET/\$2.4\")"; }
network_get_ipaddr6() { [ -s "$STUB_NET/$2.6" ] && eval "$1=\$(cat \"\$STUB_NET/\$2.6\")"; }
