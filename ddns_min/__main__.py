import sys

from ddns_min import cli

sys.exit(cli.main(sys.argv[1:]))
