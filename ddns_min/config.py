"""Settings: command line, then config file, then DDNS_* environment; the first that sets a key wins.

Keys are those of the `ddns` package v4 (NewFuture/DDNS) so its config.json works unchanged; ours on
top: `proxied`. The result of `load()` is one validated dict; nothing here touches the network.
This module layers the sources; `formats` reads the files (JSON, `ddns` v4, the Cloudflare
script's ddns.json; UCI in `uci`), `checks` validates the merged keys, `schema` names them.
"""

from ddns_min import compat
from ddns_min.checks import default_state_path, validate, warn_if_readable  # noqa: F401
from ddns_min.errors import ConfigError
from ddns_min.formats import file_keys, parse_text
from ddns_min.schema import IGNORED_KEYS, KEYS, LOG_LEVELS, MIN_INTERVAL  # noqa: F401
from ddns_min.values import as_list  # noqa: F401


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
        layer.update(file_keys(entry, "providers[%d] of %s" % (i, path)))
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
    out = parse_text(text, path, section)
    if out.get("token") or [p for p in out.get("providers") or [] if isinstance(p, dict) and
                            p.get("token")]:
        warn_if_readable(path)
    return out
