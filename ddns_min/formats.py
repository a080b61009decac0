"""Config file formats: JSON with comments (the `ddns` package's config.json, v4.0 and v4.1
spellings), the small Cloudflare script's ddns.json; a UCI file is handed to `uci`."""

from ddns_min import compat
from ddns_min.values import as_int, is_text
from ddns_min.errors import ConfigError
from ddns_min.schema import IGNORED_KEYS, KEYS, MIN_INTERVAL


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
            from ddns_min import log
            log.warning('"sleeptime" %s is below %d seconds; using %d'
                        % (sleep, MIN_INTERVAL, MIN_INTERVAL))
        out["interval"] = max(sleep, MIN_INTERVAL)
    return out


def file_keys(data, where):
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
