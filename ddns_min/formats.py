"""Config file formats: JSON with comments (the `ddns` package's config.json, v4.0 and v4.1
spellings), the small Cloudflare script's ddns.json; a UCI file is handed to `uci`."""

from ddns_min import compat, log
from ddns_min.errors import ConfigError
from ddns_min.schema import EXTRA_KEYS, IGNORED_KEYS, KEYS, MIN_INTERVAL, NO_EFFECT
from ddns_min.values import as_bool, as_int, is_text


def parse_text(text, path, section=None):
    """The text of the config file at `path` -> its keys (not yet validated)."""
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
        return _from_cf_script(data, path)
    return file_keys(data, path)


def _from_cf_script(data, path):
    """The ddns.json of the small Cloudflare script (name, Zone, Authorization, recordID,
    isSetedID, sleeptime): one A record, its zone by id, a loop every `sleeptime` seconds."""
    auth = data.get("Authorization")
    if not is_text(auth) or not auth.startswith("Bearer "):
        raise ConfigError('config: "Authorization" in %s must be "Bearer <API token>"' % path)
    out = {"dns": "cloudflare", "token": auth[7:].strip(), "zone_id": data.get("Zone"),
           "ipv4": [data.get("name")], "index4": "public"}
    sleep = as_int("sleeptime", data.get("sleeptime"))
    if sleep:
        if sleep < MIN_INTERVAL:
            log.warning('"sleeptime" %s is below %d seconds; using %d'
                        % (sleep, MIN_INTERVAL, MIN_INTERVAL))
        out["interval"] = "%ds" % max(sleep, MIN_INTERVAL)  # seconds, not ddns's minutes
    return out


def file_keys(data, where):
    """Keys of a config object (a file, a `providers` entry, or the DDNS_* environment), with
    the `ddns` package's spellings (v4.0 nested `log`, v4.1 `provider`, `extra`, `extra_*`,
    flattened `log_level`) mapped to ours. A key ddns knows but ddns_min cannot honour is
    named in a warning; none is dropped silently."""
    out, log_part = {}, {}
    for key in data:
        name, value = compat.to_native(key), data[key]
        if name in IGNORED_KEYS:
            continue
        if name == "provider":
            name = "dns"
        if name == "extra":
            if not isinstance(value, dict):
                raise ConfigError('config: "extra" in %s must be an object' % where)
            for sub in value:
                _extra(out, compat.to_native(sub), value[sub], where)
        elif name.startswith("extra_"):
            _extra(out, name[6:], value, where)
        elif name == "log" and isinstance(value, dict):
            for sub in value:
                _log_key(log_part, compat.to_native(sub), value[sub], where)
        elif name.startswith("log_"):
            _log_key(log_part, name[4:], value, where)
        elif name == "debug":
            if as_bool("debug", value):
                log_part["level"] = "DEBUG"
        elif name in NO_EFFECT or name.startswith("http_"):
            no_effect(name, value, where)
        elif name in KEYS or name == "providers":
            out[name] = value
        else:
            # ddns hands unknown keys to the provider as extras
            _extra(out, name, value, where)
    if log_part:
        old = out.get("log")
        log_part.update({"level": old} if is_text(old) else old or {})
        out["log"] = log_part
    return out


def _extra(out, name, value, where):
    if name in EXTRA_KEYS:
        out.setdefault(name, value)
    elif value is not None:
        log.warning('config: "%s" in %s is ignored (a ddns provider extra; ddns_min sets only '
                    'proxied)' % (name, where))


def _log_key(log_part, name, value, where):
    if name in ("level", "file"):
        if value is not None:
            log_part[name] = value
    elif name in ("format", "datefmt"):
        no_effect("log_" + name, value, where)
    else:
        raise ConfigError('config: unknown key "log.%s" in %s (known: level, file)'
                          % (name, where))


def no_effect(name, value, where):
    """A `ddns` key that changes nothing here: a warning unless it holds ddns's default."""
    default, why = NO_EFFECT.get(name, NO_EFFECT["http"])
    if value is not None and str(value) != str(default) and value != []:
        log.warning('config: "%s" in %s has no effect (%s)' % (name, where, why))


def looks_like_uci(text):
    for line in text.split("\n"):
        line = line.strip()
        if line and not line.startswith("#"):
            return line.startswith("config ") or line.startswith("package ")
    return False


def strip_comments(text):
    """Drop //, # and /* */ comments outside JSON strings (ddns 4.1+ takes # and // lines and
    line ends; its files carry them)."""
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
        elif ch == "#" or text.startswith("//", i):
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
