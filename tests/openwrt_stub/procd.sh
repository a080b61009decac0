# Stand-in for procd's shell API (/lib/functions/procd.sh): every call is logged, one line each,
# to $STUB_LOG.
procd_open_instance() { echo "open_instance $*" >>"$STUB_LOG"; }
procd_set_param() { echo "set_param $*" >>"$STUB_LOG"; }
procd_close_instance() { echo "close_instance" >>"$STUB_LOG"; }
procd_add_reload_trigger() { echo "reload_trigger $*" >>"$STUB_LOG"; }
