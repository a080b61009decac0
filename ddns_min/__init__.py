"""ddns_min: keep A/AAAA records at Cloudflare or DNSPod pointed at this host's addresses.

Library entry for scripts and MicroPython boards: ``ddns_min.run(options)`` takes the same keys as
the config file and returns the report dict that ``--json`` prints.
"""

__version__ = "0.1.0"
RELEASED = 1795000000  # 2026-11-18: a clock before this is certainly wrong (see transport)

# DNSPod's API rules ask every client to send "name/version (contact)" as its User-Agent.
USER_AGENT = "ddns_min/" + __version__ + " (ddns_min@users.noreply.github.com)"


def run(options, dry_run=False):
    """Run one update pass with a dict of config keys; returns the report dict."""
    from ddns_min import config, updater
    conf = config.from_dict(options)
    return updater.run(conf, dry_run=dry_run)
