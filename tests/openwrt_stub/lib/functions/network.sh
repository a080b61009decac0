# Stand-in for OpenWrt's /lib/functions/network.sh, which asks netifd over ubus. Here an interface
# is up when $STUB_NET/<iface>.up exists, and its first addresses are in $STUB_NET/<iface>.4 / .6.
network_flush_cache() { :; }
network_is_up() { [ -e "$STUB_NET/$1.up" ]; }
network_get_ipaddr() { [ -s "$STUB_NET/$2.4" ] && eval "$1=\$(cat \"\$STUB_NET/\$2.4\")"; }
network_get_ipaddr6() { [ -s "$STUB_NET/$2.6" ] && eval "$1=\$(cat \"\$STUB_NET/\$2.6\")"; }
