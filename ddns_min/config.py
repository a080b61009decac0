"""Settings: command line, then config file, then DDNS_* environment; the first that sets a key wins.

Keys are those of the `ddns` package v4 (NewFuture/DDNS) so its config.json works unchanged; ours on
top: `proxied`. The result of `load()` is one validated dict; nothing here touches the network.
"""

from ddns_min import compat
from ddns_min.errors import ConfigError
from ddns_min.providers import NAMES as PROVIDERS
KEYS = ("dns", "id", "token", "endpoint", "ipv4", "ipv6", "index4", "index6", "ttl", "line",
        "proxy", "cache", "log", "proxied", "ssl", "token_file", "interval", "zone_id")
# Keys of ddns v4 files we accept and ignore: they change nothing for us.
IGNORED_KEYS = ("$schema", "cache_max_age")
MIN_INTERVAL = 30
# Records (names x types) of one config: what a run and its report fit in a 1 MB MicroPython
# heap (a router's), far more than the request budget of one run serves at once.
MAX_RECORDS = 500  # a loop faster than this only burns the providers' patience
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
RULE_WORDS = ("default", "public")
RULE_PREFIXES = ("url:", "dns:", "interface:", "regex:", "cmd:", "shell:")
_REGEX_CHARS = "\\*^$[](){}+?|"


def load(cli):
    """cli: dict of keys set on the command line (plus 'config' and 'section') -> validated config
    (the first, for a file that lists several providers)."""
    return load_all(cli)[0]


def load_all(cli):
    """-> one validated config per provider: a `ddns` v4.1 file may list several under
    "providers", each inheriting the file's other keys."""
    path = cli.get("config")
    from_file = load_file(path, cli.get("section")) if path else {}
    entries = from_file.pop("providers", None)
    env = from_env()
    if not entries:
        return [validate(merge(cli, from_file, env), dry_run=cli.get("dry_run"))]
    if not isinstance(entries, list):
        raise ConfigError('config: "providers" must be a list of objects')
    confs = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise ConfigError('config: providers[%d] must be an object' % i)
        layer = dict(from_file)
        layer.update(_file_keys(entry, "providers[%d] of %s" % (i, path)))
        try:
            confs.append(validate(merge(cli, layer, env), dry_run=cli.get("dry_run")))
        except ConfigError as exc:
            raise ConfigError("%s (in providers[%d])" % (exc, i))
    return confs


def from_dict(options):
    """Library entry: a dict of config keys, validated the same way as a file."""
    for key in options:
        if key not in KEYS and key not in IGNORED_KEYS:
            raise ConfigError('config: unknown key "%s"' % key)
    return validate(merge(options, {}, {}))


def merge(*layers):
    out = {}
    for layer in reversed(layers):
        for key in KEYS:
            if layer.get(key) is not None:
                out[key] = layer[key]
    return out


def from_env():
    """DDNS_<KEY> variables; DDNS_LOG_LEVEL/DDNS_LOG_FILE fill `log`."""
    out = {}
    for key in KEYS:
        value = compat.getenv("DDNS_" + key.upper())
        if value is not None and value != "":
            out[key] = value
    log = {}
    for part in ("level", "file"):
        value = compat.getenv("DDNS_LOG_" + part.upper())
        if value:
            log[part] = value
    if log and "log" not in out:
        out["log"] = log
    return out


def load_file(path, section=None):
    try:
        with open(path, "rb") as f:
            text = compat.to_text(f.read())
    except compat.OS_ERRORS as exc:
        raise ConfigError('config: cannot read config file "%s": %s'
                          % (path, getattr(exc, "strerror", None) or exc))
    if looks_like_uci(text):
        from ddns_min import uci
        return uci.load_section(path, section)
    if section:
        raise ConfigError('config: --section needs a UCI config file; "%s" is JSON' % path)
    try:
        data = compat.json_loads(strip_comments(text))
    except ValueError as exc:
        raise ConfigError('config: "%s" is not valid JSON: %s' % (path, exc))
    if not isinstance(data, dict):
        raise ConfigError('config: "%s" must hold a JSON object' % path)
    if "Authorization" in data and "Zone" in data and "name" in data:
        out = _from_cf_script(data, path)
    else:
        out = _file_keys(data, path)
    if out.get("token") or [p for p in out.get("providers") or [] if isinstance(p, dict) and
                            p.get("token")]:
        _warn_if_readable(path)
    return out


def _from_cf_script(data, path):
    """The ddns.json of the small Cloudflare script (name, Zone, Authorization, recordID,
    isSetedID, sleeptime): one A record, its zone by id, a loop every `sleeptime` seconds."""
    auth = data.get("Authorization")
    if not _is_text(auth) or not auth.startswith("Bearer "):
        raise ConfigError('config: "Authorization" in %s must be "Bearer <API token>"' % path)
    out = {"dns": "cloudflare", "token": auth[7:].strip(), "zone_id": data.get("Zone"),
           "ipv4": [data.get("name")], "index4": "public"}
    sleep = as_int("sleeptime", data.get("sleeptime"))
    if sleep:
        if sleep < MIN_INTERVAL:
            from ddns_min import log
            log.warning('"sleeptime" %s is below %d seconds; using %d'
                        % (sleep, MIN_INTERVAL, MIN_INTERVAL))
        out["interval"] = max(sleep, MIN_INTERVAL)
    return out


def _file_keys(data, where):
    """Keys of a config object, checked by name; the `ddns` v4.1 spellings mapped to ours."""
    out = {}
    for key in data:
        name = compat.to_native(key)
        if name in IGNORED_KEYS:
            continue
        if name == "provider":
            name = "dns"
        if name == "extra":  # v4.1: provider-specific fields; `proxied` is the one we know
            if isinstance(data[key], dict) and data[key].get("proxied") is not None:
                out.setdefault("proxied", data[key]["proxied"])
            continue
        if name not in KEYS and name != "providers":
            raise ConfigError('config: unknown key "%s" in %s (known: %s)'
                              % (name, where, ", ".join(KEYS)))
        out[name] = data[key]
    return out


def _warn_if_readable(path):
    mode = compat.file_mode(path)
    if mode is not None and mode & 0o077:
        from ddns_min import log
        log.warning('"%s" holds a token and other users can read it; run: chmod 600 %s'
                    % (path, path))


def looks_like_uci(text):
    for line in text.split("\n"):
        line = line.strip()
        if line and not line.startswith("#"):
            return line.startswith("config ") or line.startswith("package ")
    return False


def strip_comments(text):
    """Drop // and /* */ comments outside JSON strings (ddns config.json files carry them)."""
    out = []
    i, n, in_str = 0, len(text), False
    while i < n:
        ch = text[i]
        if in_str:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 1
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
            out.append(ch)
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        else:
            out.append(ch)
        i += 1
    return "".join(out)


# ---- validation -------------------------------------------------------------------------------

def _is_text(value):
    return isinstance(value, (str, compat.text_type))


def _text(key, value):
    """A value that must be a string (a path, a URL, a name) -> native str, else ConfigError."""
    if not _is_text(value):
        raise ConfigError('config: "%s" must be a string, got %s' % (key, compat.json_dumps(value)))
    return compat.to_native(value)


def as_list(key, value, rules=False):
    """A list, a JSON array in a string, or a separated string -> list of text. Names split at
    commas, semicolons and spaces; IP rules only at commas and semicolons (as in `ddns` v4.1),
    and a cmd:/shell: rule not at all: its command line is its own."""
    if value is None:
        return []
    if _is_text(value):
        value = value.strip()
        if value.startswith("["):
            try:
                value = compat.json_loads(value)
            except ValueError:
                raise ConfigError('config: "%s" is not a valid JSON list: %s' % (key, value))
        elif rules and (value.startswith("cmd:") or value.startswith("shell:")):
            return [value]
        else:
            value = value.replace(";", ",")
            parts = value.split(",") if rules else value.replace(",", " ").split()
            return [v.strip() for v in parts if v.strip()]
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def as_bool(key, value):
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ConfigError('config: "%s" must be true or false, got "%s"' % (key, value))


def as_int(key, value):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ConfigError('config: "%s" must be a number, got %s' % (key, value))
    try:
        number = int(value) if not isinstance(value, float) else value
    except (TypeError, ValueError):
        raise ConfigError('config: "%s" must be a whole number, got "%s"' % (key, value))
    if number != int(number):
        raise ConfigError('config: "%s" must be a whole number, got "%s"' % (key, value))
    return int(number)


def check_domain(key, name, relative_ok=False):
    if not _is_text(name):
        raise ConfigError('config: "%s" must list domain names, got %s' % (key, name))
    text = compat.to_native(name).strip().lower()
    if text.endswith("."):
        text = text[:-1]
    if relative_ok and (text == "@" or (text and "." not in text and check_domain(
            key, text + ".example.com"))):
        return text  # a name inside the zone given by "zone_id"
    labels = text.split(".")
    ok = 3 < len(text) <= 253 and len(labels) >= 2
    for i, label in enumerate(labels):
        if not ok:
            break
        if label == "*" and i == 0:
            continue
        ok = 0 < len(label) <= 63 and label[0] != "-" and label[-1] != "-"
        for ch in label:
            if not (ch.isalpha() or ch.isdigit() or ch in "-_") or ord(ch) > 127:
                ok = False
    if not ok or labels[-1].isdigit():
        raise ConfigError('config: "%s" has a malformed domain name "%s" (expected e.g. '
                          'home.example.com; IDNs in punycode)' % (key, compat.to_native(name)))
    return text


def check_rule(key, rule, family):
    """One IP rule -> normalised rule (str, or int for an address index). Unknown -> ConfigError."""
    from ddns_min import addr
    if isinstance(rule, bool):
        return "false" if rule is False else "default"
    if isinstance(rule, int):
        if rule < 0:
            raise ConfigError('config: "%s" index must be 0 or more, got %s' % (key, rule))
        return rule
    if not _is_text(rule):
        raise ConfigError('config: "%s" has an IP rule of the wrong type: %s' % (key, rule))
    text = compat.to_native(rule).strip()
    low = text.lower()
    if low in RULE_WORDS or low in ("false", "none", "off"):
        return "false" if low in ("false", "none", "off") else low
    if text.isdigit():
        return int(text)
    for prefix in RULE_PREFIXES:
        if low.startswith(prefix):
            body = text[len(prefix):].strip()
            if not body:
                raise ConfigError('config: "%s" rule "%s" needs a value after "%s"'
                                  % (key, text, prefix))
            if prefix == "url:" and not (body.startswith("http://") or body.startswith("https://")):
                raise ConfigError('config: "%s" rule "%s" must be an http:// or https:// URL'
                                  % (key, text))
            if prefix == "regex:":
                _check_regex(key, body)
            if prefix == "dns:":
                try:
                    addr.host_port(body, 53)
                except ValueError:
                    raise ConfigError('config: "%s" rule "%s" must be dns:HOST or dns:HOST:PORT'
                                      % (key, text))
            return prefix + body
    if addr.family_of(text) is not None:
        if addr.family_of(text) != family:
            raise ConfigError('config: "%s" is an IPv%d rule but "%s" is not an IPv%d address'
                              % (key, family, text, family))
        return addr.parse(text, family)
    for ch in _REGEX_CHARS:
        if ch in text:  # ddns v4 takes a bare pattern as a regex over this host's addresses
            _check_regex(key, text)
            return "regex:" + text
    raise ConfigError('config: "%s" has an unknown IP rule "%s" (use default, public, url:URL, '
                      'interface:NAME, regex:PATTERN, cmd:COMMAND, shell:COMMAND, an address, '
                      'a number or false)' % (key, text))


def _check_regex(key, pattern):
    import re
    try:
        re.compile(pattern)
    except Exception:
        raise ConfigError('config: "%s" has an invalid regular expression "%s"' % (key, pattern))


def check_endpoint(value):
    from ddns_min.transport import host_of
    url = _text("endpoint", value).strip().rstrip("/")
    host = host_of(url)
    if url.startswith("https://") and host:
        return url
    if url.startswith("http://") and (host == "localhost" or host.startswith("127.") or
                                      host == "::1"):
        return url
    raise ConfigError('config: "endpoint" must be an https:// URL (plain http:// only for '
                      'loopback), got "%s"' % url)


def validate(raw, dry_run=False):
    conf = {"dry_run": bool(dry_run)}
    dns = raw.get("dns")
    dns = _text("dns", dns).strip().lower() if dns is not None else None
    if dns is not None and dns not in PROVIDERS:
        raise ConfigError('config: "dns" must be one of %s, got "%s"' % (", ".join(PROVIDERS), dns))
    conf["dns"] = dns
    for key in ("id", "token", "line"):
        value = raw.get(key)
        if value is not None and not isinstance(value, (str, compat.text_type, int)):
            raise ConfigError('config: "%s" must be a string' % key)
        conf[key] = compat.to_native(str(value) if isinstance(value, int) else value) \
            if value not in (None, "") else None
    if raw.get("token_file") and not raw.get("token"):
        conf["token"] = _read_token_file(raw["token_file"])
    conf["endpoint"] = check_endpoint(raw["endpoint"]) if raw.get("endpoint") else None
    conf["zone_id"] = _text("zone_id", raw["zone_id"]) if raw.get("zone_id") else None
    conf["names"], conf["rules"] = {}, {}
    for family in (4, 6):
        key = "ipv%d" % family
        names = []
        for name in as_list(key, raw.get(key)):
            name = check_domain(key, name, bool(raw.get("zone_id")))
            if name not in names:
                names.append(name)
        conf["names"][family] = names
        rkey = "index%d" % family
        rules = as_list(rkey, raw.get(rkey), True) if not isinstance(raw.get(rkey), (bool, int)) \
            else [raw.get(rkey)]
        if raw.get(rkey) is not None and not rules:
            raise ConfigError('config: "%s" is empty' % rkey)
        rules = [check_rule(rkey, r, family) for r in rules] or ["default"]
        if "false" in rules and len(rules) > 1:
            raise ConfigError('config: "%s" cannot combine false with other rules' % rkey)
        conf["rules"][family] = rules
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
    conf["interval"] = as_int("interval", raw.get("interval")) or 0
    if conf["interval"] and conf["interval"] < MIN_INTERVAL:
        raise ConfigError('config: "interval" must be 0 (run once) or at least %d seconds, got '
                          '"%s"' % (MIN_INTERVAL, conf["interval"]))
    conf["proxy"] = _check_proxy(raw.get("proxy"))
    conf["cache"] = _check_cache(raw.get("cache"))
    conf["cafile"] = _check_ssl(raw.get("ssl"))
    conf["log_level"], conf["log_file"] = _check_log(raw.get("log"))
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


def _read_token_file(path):
    path = _text("token_file", path)
    try:
        with open(path) as f:
            token = f.read().strip()
    except compat.OS_ERRORS as exc:
        raise ConfigError('config: cannot read "token_file" "%s": %s'
                          % (path, getattr(exc, "strerror", None) or exc))
    if not token:
        raise ConfigError('config: "token_file" "%s" is empty' % path)
    _warn_if_readable(path)
    return compat.to_native(token)


def _check_proxy(value):
    """-> proxies to try in order: "HOST:PORT", "DIRECT" (none), "SYSTEM" (the environment's)."""
    items = []
    for part in as_list("proxy", value):
        part = _text("proxy", part).strip()
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
    return _text("cache", value)


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
    path = _text("ssl", value)
    if not compat.file_exists(path):
        raise ConfigError('config: "ssl" names a CA bundle that does not exist: "%s"' % path)
    return path


def _check_log(value):
    level, path = "INFO", None
    if _is_text(value):
        value = {"level": value}
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise ConfigError('config: "log" must be an object like {"level": "INFO", "file": null}')
    for key in value:
        if compat.to_native(key) not in ("level", "file", "format", "datefmt"):
            raise ConfigError('config: unknown key "log.%s" (known: level, file)' % key)
    if value.get("level"):
        level = _text("log.level", value["level"]).upper()
        if level not in LOG_LEVELS:
            raise ConfigError('config: "log.level" must be one of %s, got "%s"'
                              % (", ".join(LOG_LEVELS), value["level"]))
    if value.get("file"):
        path = _text("log.file", value["file"])
    return level, path
