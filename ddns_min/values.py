"""One setting's value -> its normal form (list, bool, int, domain name, IP rule, endpoint),
or a ConfigError naming the key."""

from ddns_min import compat
from ddns_min.errors import ConfigError
from ddns_min.schema import MAX_INTERVAL_MINUTES, MIN_INTERVAL, REGEX_CHARS, RULE_PREFIXES, \
    RULE_WORDS


def is_text(value):
    return isinstance(value, (str, compat.text_type))


def as_text(key, value):
    """A value that must be a string (a path, a URL, a name) -> native str, else ConfigError."""
    if not is_text(value):
        raise ConfigError('config: "%s" must be a string, got %s' % (key, compat.json_dumps(value)))
    return compat.to_native(value)


def as_list(key, value, rules=False):
    """A list, a JSON array in a string, or a separated string -> list of text. Names split at
    commas, semicolons and spaces; IP rules only at commas and semicolons (as in `ddns` v4.1),
    and a cmd:/shell: rule not at all: its command line is its own."""
    if value is None:
        return []
    if is_text(value):
        value = value.strip()
        if value.startswith("["):
            try:
                value = compat.json_loads(value)
            except ValueError:
                try:  # ddns reads DDNS_IPV4="['a.example.com']" as a Python literal
                    value = compat.json_loads(value.replace("'", '"'))
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
    if not is_text(name):
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
    if not is_text(rule):
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
            if prefix == "prefix:":
                body = _check_prefix(key, text, body, family)
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
    for ch in REGEX_CHARS:
        if ch in text:  # ddns v4 takes a bare pattern as a regex over this host's addresses
            _check_regex(key, text)
            return "regex:" + text
    raise ConfigError('config: "%s" has an unknown IP rule "%s" (use default, public, url:URL, '
                      'interface:NAME, prefix:NAME, regex:PATTERN, cmd:COMMAND, shell:COMMAND, '
                      'an address, a number or false)' % (key, text))


def _check_prefix(key, text, body, family):
    """prefix:ADDR/LEN (as OpenWrt's run script passes a delegated prefix) or prefix:INTERFACE."""
    from ddns_min import addr
    if family != 6:
        raise ConfigError('config: "%s" rule "%s": prefix: is an IPv6 rule' % (key, text))
    if "/" not in body and ":" not in body:
        return body  # an interface name
    net, _, bits = body.partition("/")
    if addr.parse_ipv6(net) is None or not bits.isdigit() or not 1 <= int(bits) <= 128:
        raise ConfigError('config: "%s" rule "%s" must be prefix:ADDRESS/LENGTH (e.g. '
                          'prefix:2a01:4f8:c17:b00::/56) or prefix:INTERFACE' % (key, text))
    return "%s/%d" % (addr.parse_ipv6(net), int(bits))


def _check_regex(key, pattern):
    import re
    try:
        re.compile(pattern)
    except Exception:
        raise ConfigError('config: "%s" has an invalid regular expression "%s"' % (key, pattern))


def check_endpoint(value):
    from ddns_min.transport import host_of
    url = as_text("endpoint", value).strip().rstrip("/")
    host = host_of(url)
    if url.startswith("https://") and host:
        return url
    from ddns_min.addr import is_loopback_host
    if url.startswith("http://") and is_loopback_host(host):
        return url  # a literal: a name like 127.0.0.1.example.net resolves anywhere
    raise ConfigError('config: "endpoint" must be an https:// URL (plain http:// only for '
                      'loopback), got "%s"' % url)


def check_interval(value):
    """`interval` -> seconds (0: run once). A number is minutes, as in ddns 4.2 (1..1440), so a
    ddns file means the same here; "300s" (or "5m") is ddns_min's spelling with a unit."""
    if value is None or value == "":
        return 0
    unit, text = 60, value
    if is_text(value):
        text = compat.to_native(value).strip().lower()
        if text[-1:] in ("s", "m"):
            unit, text = (1 if text[-1] == "s" else 60), text[:-1].strip()
    bad = ConfigError('config: "interval" must be 1..1440 minutes or "30s".."86400s", got "%s"'
                      % value)
    try:
        number = as_int("interval", text)
    except ConfigError:
        raise bad
    if not number:
        return 0
    if number < 0 or (unit == 60 and number > MAX_INTERVAL_MINUTES) or \
            not MIN_INTERVAL <= number * unit <= MAX_INTERVAL_MINUTES * 60:
        raise bad
    return number * unit
