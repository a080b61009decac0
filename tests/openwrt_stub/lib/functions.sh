# Stand-in for OpenWrt's /lib/functions.sh (config_load, config_get, config_get_bool,
# config_foreach). The real config_load evals `uci export`; this one reads the file with
# ddns_min's own parser (run by the test's python) and defines the same CONFIG_<section>_<option>
# variables, lists joined by spaces, anonymous sections under their cfgNNxxxx names.
config_load() {
	eval "$("$STUB_PYTHON" - "${IPKG_INSTROOT:-}/etc/config/$1" <<'PY'
import sys
sys.path.insert(0, __import__("os").environ["STUB_REPO"])
from ddns_min import uci
def q(v):
    return "'" + v.replace("'", "'\"'\"'") + "'"
names = []
for s in uci.parse(open(sys.argv[1]).read(), sys.argv[1]):
    names.append(s["name"])
    print("CONFIG_%s_TYPE=%s" % (s["name"], q(s["type"])))
    for key, value in s["options"].items():
        print("CONFIG_%s_%s=%s" % (s["name"], key, q(" ".join(value) if isinstance(value, list) else value)))
print("CONFIG_SECTIONS=%s" % q(" ".join(names)))
PY
)"
}

config_get() { # VAR SECTION OPTION [DEFAULT]
	eval "_v=\${CONFIG_$2_$3-}"
	[ -n "$_v" ] || _v="${4:-}"
	eval "$1=\$_v"
}

config_get_bool() { # VAR SECTION OPTION [DEFAULT]: 1 or 0, as uci's booleans
	config_get "$@"
	eval "_b=\$$1"
	case "$_b" in 1 | on | true | yes | enabled) _b=1 ;; *) _b=0 ;; esac
	eval "$1=\$_b"
}

config_foreach() { # FUNCTION TYPE
	for _s in $CONFIG_SECTIONS; do
		_t=""
		eval "_t=\$CONFIG_${_s}_TYPE"
		[ "$_t" = "$2" ] && "$1" "$_s"
	done
	return 0
}

# Stand-in for busybox's logger (`logger -t TAG -p FACILITY.LEVEL MESSAGE`): one line
# "FACILITY.LEVEL TAG: MESSAGE" appended to $STUB_SYSLOG, as logread shows it. A function, not a
# program on PATH: a busybox built with FEATURE_SH_STANDALONE (Debian's busybox-static) runs its
# own applets before anything on PATH, but a shell function before both. The scripts that log
# source this file first, as they source OpenWrt's.
logger() {
	_tag=logger _prio=user.notice
	while [ $# -gt 1 ]; do
		case $1 in
			-t) _tag=$2; shift 2 ;;
			-p) _prio=$2; shift 2 ;;
			*) break ;;
		esac
	done
	echo "$_prio $_tag: $*" >>"$STUB_SYSLOG"
}
