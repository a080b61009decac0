"""Validation of the merged settings: each key checked and normalised, one line naming the key
at fault otherwise (ConfigError, exit 2, before any request)."""

from ddns_min import compat
from ddns_min.errors import ConfigError
from ddns_min.providers import ALIASES, NAMES as PROVIDERS
from ddns_min.schema import ENDPOINT_PATHS, LOG_LEVELS, MAX_RECORDS
from ddns_min.values import as_bool, as_int, as_list, as_text, check_domain, check_endpoint, \
    check_interval, check_rule, is_text


def validate(raw, dry_run=False):
    conf = {"dry_run": bool(dry_run)}
    dns = raw.get("dns")
    dns = as_text("dns", dns).strip().lower() if dns is not None else None
    dns = ALIASES.get(dns, dns)
    if dns is not None and dns not in PROVIDERS:
        raise ConfigError('config: "dns" must be one of %s, got "%s"' % (", ".join(PROVIDERS), dns))
    conf["dns"] = dns
    for key in ("id", "token", "line"):
        value = raw.get(key)
        if key == "token" and isinstance(value, dict) and dns == "callback":
            value = compat.json_dumps(value)  # the POST body, as ddns's docs write it
        if value is not None and not isinstance(value, (str, compat.text_type, int)):
            raise ConfigError('config: "%s" must be a string' % key)
        conf[key] = compat.to_native(str(value) if isinstance(value, int) else value) \
            if value not in (None, "") else None
    if raw.get("token_file") and not raw.get("token"):
        conf["token"] = _read_token_file(raw["token_file"])
    conf["endpoint"] = check_endpoint(raw["endpoint"]) if raw.get("endpoint") else None
    if conf["endpoint"] and dns in ENDPOINT_PATHS and "/" not in conf["endpoint"].split("://")[1]:
        conf["endpoint"] += ENDPOINT_PATHS[dns]  # ddns's endpoint is the host alone
    conf["zone_id"] = as_text("zone_id", raw["zone_id"]) if raw.get("zone_id") else None
    conf["names"], conf["rules"], conf["hosts"] = {}, {}, {}
    for family in (4, 6):
        key = "ipv%d" % family
        names = []
        for name in as_list(key, raw.get(key)):
            name, host = _host_part(key, name, family)
            name = check_domain(key, name, bool(raw.get("zone_id")))
            if host is not None:
                if conf["hosts"].get(name, host) != host or (name in names and
                                                            name not in conf["hosts"]):
                    raise ConfigError('config: "%s" lists %s twice with different host parts'
                                      % (key, name))
                conf["hosts"][name] = host
            elif name in conf["hosts"]:
                raise ConfigError('config: "%s" lists %s twice with different host parts'
                                  % (key, name))
            if name not in names:
                names.append(name)
        conf["names"][family] = names
        rkey = "index%d" % family
        rules = as_list(rkey, raw.get(rkey), True) if not isinstance(raw.get(rkey), (bool, int)) \
            else [raw.get(rkey)]
        if raw.get(rkey) is not None and not rules and names:
            raise ConfigError('config: "%s" is empty but "%s" is not' % (rkey, key))
        rules = [check_rule(rkey, r, family) for r in rules] or ["default"]  # [] with no names
        if "false" in rules and len(rules) > 1:
            raise ConfigError('config: "%s" cannot combine false with other rules' % rkey)
        conf["rules"][family] = rules
        plain = [n for n in names if n not in conf["hosts"]]
        if family == 6 and plain and [r for r in rules if str(r).startswith("prefix:")] == rules:
            raise ConfigError('config: "index6" has only prefix: rules (%s), which serve names '
                              'with a host part: %s needs one (e.g. %s=::1234:5678), or add a '
                              'rule for the address, e.g. "prefix:...,default"'
                              % (rules[0], plain[0], plain[0]))
    count = len(conf["names"][4]) + len(conf["names"][6])
    if count > MAX_RECORDS:
        raise ConfigError('config: %d names in "ipv4" and "ipv6" together; at most %d in one '
                          'config (split them over several configs or sections)'
                          % (count, MAX_RECORDS))
    if not conf["names"][4] and not conf["names"][6]:
        raise ConfigError('config: no domain to update: set "ipv4" and/or "ipv6" '
                          '(e.g. --ipv4 home.example.com)')
    conf["ttl"] = as_int("ttl", raw.get("ttl"))
    if conf["ttl"] is not None and not 1 <= conf["ttl"] <= 604800:
        raise ConfigError('config: "ttl" must be between 1 and 604800 seconds, got "%s"'
                          % conf["ttl"])
    conf["proxied"] = as_bool("proxied", raw.get("proxied"))
    conf["interval"] = check_interval(raw.get("interval"))
    conf["proxy"] = _check_proxy(raw.get("proxy"))
    conf["cache"] = _check_cache(raw.get("cache"))
    conf["cafile"] = _check_ssl(raw.get("ssl"))
    conf["log_level"], conf["log_file"] = _check_log(raw.get("log"))
    conf["notify"] = []
    if raw.get("notify"):
        try:
            from ddns_min import notify  # only for those who use it: heap on a router
        except ImportError as exc:
            if "notify" not in str(exc):
                raise
            raise ConfigError('config: "notify" is set, but the notifications module is not '
                              'installed here (OpenWrt: opkg install ddns-min-notify)')
        conf["notify"] = notify.check(raw["notify"])
    if dns is None:
        if not dry_run:
            raise ConfigError('config: "dns" is not set (one of %s)' % ", ".join(PROVIDERS))
        return conf
    from ddns_min import providers
    provider = providers.get(dns)
    if not dry_run or conf["token"]:
        provider.check_credentials(conf)
    provider.check(conf)
    return conf


def _host_part(key, entry, family):
    """ "name=HOST[/N]" -> (name, normalised host part); a plain name -> (name, None)."""
    if not is_text(entry) or "=" not in entry:
        return entry, None
    from ddns_min import hosts as host_parts
    name, host = host_parts.split(compat.to_native(entry))
    if family != 6:
        raise ConfigError('config: "%s" entry "%s": a host part (=...) is for IPv6 names only'
                          % (key, entry))
    try:
        host_parts.parse(host)
    except ValueError as exc:
        raise ConfigError('config: "%s": host part "%s" of %s: %s' % (key, host, name, exc))
    return name, host.lower()


def _read_token_file(path):
    path = as_text("token_file", path)
    try:
        with open(path) as f:
            token = f.read().strip()
    except compat.OS_ERRORS as exc:
        raise ConfigError('config: cannot read "token_file" "%s": %s'
                          % (path, getattr(exc, "strerror", None) or exc))
    if not token:
        raise ConfigError('config: "token_file" "%s" is empty' % path)
    warn_if_readable(path)
    return compat.to_native(token)


def _check_proxy(value):
    """-> proxies to try in order: "HOST:PORT", "DIRECT" (none), "SYSTEM" (the environment's)."""
    items = []
    parts = [x for v in as_list("proxy", value) for x in (as_list("proxy", v) if is_text(v) else [v])]
    for part in parts:
        part = as_text("proxy", part).strip()
        word = part.upper()
        if word in ("DIRECT", "SYSTEM", "DEFAULT"):
            items.append("SYSTEM" if word == "DEFAULT" else word)
            continue
        if part.startswith("http://"):
            part = part[7:].rstrip("/")
        host, _, port = part.rpartition(":")
        if "://" in part or "/" in part or not host or not port.isdigit():
            raise ConfigError('config: "proxy" entries must be HOST:PORT, http://HOST:PORT, '
                              'DIRECT or SYSTEM, got "%s"' % part)
        items.append(part)
    if compat.MICROPYTHON and [p for p in items if p != "DIRECT"]:
        raise ConfigError('config: "proxy" is not supported on MicroPython; use DIRECT or run '
                          'ddns_min on CPython')
    return items


def _check_cache(value):
    if value is None or value == "":
        return default_state_path()
    if isinstance(value, bool) or str(value).lower() in ("true", "false", "1", "0"):
        return default_state_path() if as_bool("cache", value) else None
    return as_text("cache", value)


def default_state_path():
    home = compat.getenv("XDG_CACHE_HOME")
    if home:
        return home + "/ddns_min/state.json"
    home = compat.getenv("HOME")
    if home and home != "/":
        return home + "/.cache/ddns_min/state.json"
    return "/tmp/ddns_min/state.json"


def _check_ssl(value):
    if value is None or value == "" or value is True or str(value).lower() in ("auto", "true"):
        return None
    if value is False or str(value).lower() == "false":
        raise ConfigError('config: "ssl" cannot turn certificate checks off; use true/"auto" or '
                          'the path of a CA bundle')
    path = as_text("ssl", value)
    if not compat.file_exists(path):
        raise ConfigError('config: "ssl" names a CA bundle that does not exist: "%s"' % path)
    return path


def _check_log(value):
    level, path = "INFO", None
    if is_text(value):
        value = {"level": value}
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise ConfigError('config: "log" must be an object like {"level": "INFO", "file": null}')
    for key in value:
        if compat.to_native(key) not in ("level", "file", "format", "datefmt"):
            raise ConfigError('config: unknown key "log.%s" (known: level, file)' % key)
    if value.get("level"):
        level = as_text("log.level", value["level"]).upper()
        if level not in LOG_LEVELS:
            raise ConfigError('config: "log.level" must be one of %s, got "%s"'
                              % (", ".join(LOG_LEVELS), value["level"]))
    if value.get("file"):
        path = as_text("log.file", value["file"])
    return level, path


def warn_if_readable(path):
    mode = compat.file_mode(path)
    if mode is not None and mode & 0o077:
        from ddns_min import log
        log.warning('"%s" holds a token and other users can read it; run: chmod 600 %s'
                    % (path, path))
