"""`python -m ddns_min`. Kept as source (with __init__) when the rest is MicroPython bytecode, so
that bytecode this MicroPython refuses is one line that says what to do, not a traceback."""
import sys

try:
    from ddns_min import cli
except ValueError as exc:
    if ".mpy" not in str(exc):
        raise
    sys.stderr.write("error: ddns_min's bytecode (.mpy) does not suit this MicroPython (%s): "
                     "reinstall the ddns-min package, or install.sh without MPY=1\n" % exc)
    sys.exit(2)

sys.exit(cli.main(sys.argv[1:]))
