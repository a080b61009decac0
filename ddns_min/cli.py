"""Command line: hand-parsed argv (MicroPython has no argparse), output, exit codes.

The one place that catches DDNSError. Exit codes: 0 every record holds the right address;
1 a record failed at run time; 2 configuration or usage error (nothing was sent); 3 the provider
refused the credentials.
"""

from ddns_min import __version__, compat, log
from ddns_min.errors import ConfigError, DDNSError

HELP = """usage: ddns-min [options]

Keep A/AAAA records at Cloudflare or DNSPod pointed at this host's addresses.

  -c, --config PATH ... config files, run in turn: JSON (ddns's config.json) or UCI
      --section NAME    with a UCI file: the section to use
      --dns NAME        provider: cloudflare or dnspod
      --id ID           DNSPod token ID; Cloudflare account e-mail (with a global key)
      --token TOKEN     API token (better in the config file or DDNS_TOKEN: argv is public)
      --token-file PATH read the token from this file
      --ipv4 NAME ...   names whose A record gets this host's IPv4 address
      --ipv6 NAME ...   names whose AAAA record gets this host's IPv6 address; NAME=HOST
                        for a host behind it: the prefix + HOST (::1234, mac:MAC, ::5:0:0:0:1/56)
      --index4 RULE ... where the IPv4 address comes from: default, public, url:URL,
      --index6 RULE ... interface:NAME, regex:PATTERN, cmd:COMMAND, shell:COMMAND,
                        an address, a number, or false (tried in order); IPv6 also
                        prefix:NAME or prefix:ADDR/LEN, for names with a host part
      --ttl SECONDS     ttl of created/updated records (default: provider's / kept as is)
      --proxied [BOOL]  Cloudflare proxy on created/updated records (default: kept as is)
      --line LINE       DNSPod record line (default: the default line)
      --endpoint URL    provider API base URL
      --cache PATH|BOOL state file, or false to read the provider every run (--no-cache)
      --ssl PATH        CA bundle for TLS (certificates are always verified)
      --proxy PROXY ... HTTP proxies to try in order: HOST:PORT, DIRECT, SYSTEM
      --interval MINUTES
                        keep running: check every MINUTES (1..1440), or "300s"
      --notify TARGET ...
                        tell of changes and failures, or ping a health check after every
                        pass: webhook:URL, webhook+post:URL, ntfy:URL, gotify:URL,
                        telegram:URL, healthchecks:URL, kuma:URL (#change,failure,recovery)
      --log-level LEVEL DEBUG, INFO (default), WARNING, ERROR
      --log-file PATH   also append log lines, with timestamps, to PATH
      --debug           same as --log-level DEBUG
      --syslog          also send log lines to syslog (CPython; OpenWrt's run script does it)
      --dry-run         detect and show what would change; write nothing
      --json            print one JSON object with a result per record on stdout
      --status          print the state file as JSON (no network) and exit
  -v, --version         print the version and exit
  -h, --help            this help

Settings come from the command line, then the config file, then DDNS_* environment variables
(DDNS_TOKEN, DDNS_IPV4=a.example.com,b.example.com, ...). ddns's flags work too.
Exit: 0 ok, 1 a record failed, 2 bad configuration, 3 credentials refused.
"""

# flag -> (config key, how many values: 1, "*" for one or more, "?" for an optional one)
VALUE_FLAGS = {
    "-c": ("config", "*"), "--config": ("config", "*"), "--section": ("section", 1),
    "--dns": ("dns", 1), "--id": ("id", 1), "--token": ("token", 1),
    "--token-file": ("token_file", 1),
    "--endpoint": ("endpoint", 1), "--ipv4": ("ipv4", "*"), "--ipv6": ("ipv6", "*"),
    "--index4": ("index4", "*"), "--index6": ("index6", "*"), "--ttl": ("ttl", 1),
    "--line": ("line", 1), "--proxy": ("proxy", "*"), "--cache": ("cache", "?"),
    "--ssl": ("ssl", "?"), "--interval": ("interval", 1),
    "--notify": ("notify", "*"),
    "--log-level": ("log.level", 1), "--log-file": ("log.file", 1),
    "--log-format": ("log_format", 1), "--log-datefmt": ("log_datefmt", 1),
    "--cache-max-age": ("cache_max_age", 1),
}
SWITCHES = {"--dry-run": "dry_run", "--json": "json", "--status": "status",
            "--syslog": "syslog", "--version": "version", "-v": "version", "-h": "help",
            "--help": "help", "--debug": "debug"}
BOOL_WORDS = ("true", "false", "yes", "no", "on", "off", "1", "0")
# what ddns accepts and ddns_min refuses, and why (one line each)
REFUSED = {
    "--no-ssl": "TLS is always verified",
    "--new-config": "ddns_min writes no templates",
    "task": "use cron or a systemd timer",
    "web": "no web dashboard; --interval keeps it running",
    "mcp": "no MCP server",
}
NO_EFFECT_FLAGS = ("log_format", "log_datefmt", "cache_max_age")


def parse_args(argv):
    opts, i = {}, 0
    while i < len(argv):
        arg = argv[i]
        value = None
        if arg.startswith("--") and "=" in arg:
            arg, value = arg.split("=", 1)
        if arg.startswith("--"):  # ddns 4.0 spells --log.level, 4.1 --log_level
            arg = "--" + arg[2:].replace("_", "-").replace(".", "-")
        if arg in REFUSED:
            raise ConfigError('usage: ddns\'s "%s" is not supported: %s'
                              % (arg, REFUSED[arg]))
        if arg in SWITCHES:
            opts[SWITCHES[arg]] = True
        elif arg == "--no-cache":
            opts["cache"] = False
        elif arg == "--proxied":
            if value is None and i + 1 < len(argv) and argv[i + 1].lower() in BOOL_WORDS:
                i += 1
                value = argv[i]
            opts["proxied"] = value if value is not None else True
        elif arg in VALUE_FLAGS:
            key, count = VALUE_FLAGS[arg]
            values = [value] if value is not None else []
            while i + 1 < len(argv) and (not values or count == "*") and \
                    not (argv[i + 1].startswith("-") and len(argv[i + 1]) > 1):
                i += 1
                values.append(argv[i])
            if not values and count == "?":
                values = [True]  # ddns: --cache / --ssl alone turn it on
            if not values:
                raise ConfigError("usage: %s needs a value (see --help)" % arg)
            if count == "*":
                if key in ("ipv4", "ipv6"):  # names may also come comma-separated
                    values = [x for v in values for x in v.replace(",", " ").split()]
                opts[key] = opts.get(key, []) + values
            else:
                opts[key] = values[0]
        else:
            raise ConfigError('usage: unknown option "%s" (see --help)' % arg)
        i += 1
    for key in NO_EFFECT_FLAGS:
        if key in opts:
            from ddns_min.formats import no_effect
            no_effect(key, opts.pop(key), "the command line")
    log_opts = {}
    for part in ("level", "file"):
        if "log." + part in opts:
            log_opts[part] = opts.pop("log." + part)
    if opts.get("debug"):
        log_opts["level"] = "DEBUG"
    if log_opts:
        opts["log"] = log_opts
    return opts


def main(argv):
    as_json = "--json" in argv
    try:
        opts = parse_args(argv)
        if opts.get("help"):
            compat.write_stdout(HELP)
            return 0
        if opts.get("version"):
            compat.write_stdout("ddns_min " + __version__ + "\n")
            return 0
        if opts.get("status"):
            return show_status(opts)
        confs = _load(opts)
        if confs[0].get("interval") and not opts.get("dry_run"):
            from ddns_min import loop
            return loop.forever(confs, lambda report: _report(report, as_json))
        from ddns_min import updater
        report = updater.run_all(confs, dry_run=opts.get("dry_run"))
    except MemoryError:  # a small MicroPython heap; the state file is as it was (atomic writes)
        exc = DDNSError("out of memory: fewer names per config, or a larger heap (MicroPython: "
                        "-X heapsize=...)")
        log.error(str(exc))
        if as_json:
            _print_json({"ok": False, "exit_code": 1, "error": str(exc),
                         "time": log.timestamp(), "records": []})
        return 1
    except DDNSError as exc:
        message = log.mask(str(exc))
        log.error(message)
        if as_json:
            _print_json({"ok": False, "exit_code": exc.exit_code, "error": message,
                         "time": log.timestamp(), "records": []})
        return exc.exit_code
    except KeyboardInterrupt:
        log.error("interrupted")
        return 1
    return _report(report, as_json)


def _report(report, as_json):
    if as_json:
        _print_json(report)
    elif not report["records"]:
        log.info("nothing to do")
    return report["exit_code"]


def _load(opts):
    from ddns_min import config
    opts["default_config"] = True  # as ddns: no -c, no DDNS_CONFIG -> ./config.json, ...
    confs = config.load_all(opts)
    log.setup(confs[0]["log_level"], confs[0]["log_file"], opts.get("syslog"))
    for conf in confs:
        log.add_secret(conf.get("token"))
    return confs


def show_status(opts):
    """The state file as JSON, with times readable: for a Home Assistant command_line sensor."""
    from ddns_min import config
    from ddns_min.state import State
    conf = config.load(opts) if opts.get("config") or opts.get("ipv4") or opts.get("ipv6") \
        else {"cache": config.default_state_path()}
    state = State(conf.get("cache"))
    records = []
    for key in sorted(state.records):
        entry = state.get(key)
        if not entry:
            continue
        shown = {"domain": entry.get("domain"), "type": entry.get("type"),
                 "provider": entry.get("provider"), "ip": entry.get("ip"),
                 "action": entry.get("action"), "error": entry.get("error")}
        for field in ("verified", "changed", "failed"):
            shown[field] = log.timestamp(entry[field]) if entry.get(field) else None
        records.append(shown)
    _print_json({"ok": not [r for r in records if r.get("error")], "state": conf.get("cache"),
                 "time": log.timestamp(), "records": records})
    return 0


def _print_json(data):
    """One JSON object on one line, written a record at a time: 500 records as one string do
    not fit a router's MicroPython heap."""
    head = dict((k, v) for k, v in data.items() if k != "records")
    text = compat.json_dumps(head)[:-1]
    compat.write_stdout(log.mask(text) + (", " if head else "") + '"records": [')
    for i, record in enumerate(data.get("records") or []):
        compat.write_stdout((", " if i else "") + log.mask(compat.json_dumps(record)))
        compat.collect()
    compat.write_stdout("]}\n")
