# Stand-in for OpenWrt's /lib/functions/network.sh, which asks netifd over ubus. Here an interface
# is up when $STUB_NET/<iface>.up exists, and its addresses are in $STUB_NET/<iface>.4 / .6,
# space-separated, in the order `ubus call network.interface dump` lists them (ipv4-address /
# ipv6-address, then for IPv6 the ipv6-prefix-assignment local addresses). As OpenWrt's:
# network_get_ipaddr[6] give the first, network_get_ipaddrs[6] all of them; an interface
# without any leaves the variable empty and fails.
network_flush_cache() { :; }
network_is_up() { [ -e "$STUB_NET/$1.up" ]; }
_stub_addrs() { # VAR FILE FIRST_ONLY
	_a=""
	[ -s "$2" ] && read -r _a <"$2"
	[ "$3" = 1 ] && _a=${_a%% *}
	eval "$1=\$_a"
	[ -n "$_a" ]
}
network_get_ipaddr() { _stub_addrs "$1" "$STUB_NET/$2.4" 1; }
network_get_ipaddr6() { _stub_addrs "$1" "$STUB_NET/$2.6" 1; }
network_get_ipaddrs() { _stub_addrs "$1" "$STUB_NET/$2.4" 0; }
network_get_ipaddrs6() { _stub_addrs "$1" "$STUB_NET/$2.6" 0; }
# Delegated IPv6 prefixes (netifd's ipv6-prefix, "ADDRESS/MASK"), space-separated in
# $STUB_NET/<iface>.p6: network_get_prefix6 gives the first, network_get_prefixes6 all.
network_get_prefix6() { _stub_addrs "$1" "$STUB_NET/$2.p6" 1; }
network_get_prefixes6() { _stub_addrs "$1" "$STUB_NET/$2.p6" 0; }
