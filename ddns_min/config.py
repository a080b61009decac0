"""Settings: command line, then config file, then DDNS_* environment; the first that sets a key wins.

Keys are those of the `ddns` package v4 (NewFuture/DDNS) so its config.json works unchanged; ours on
top: `proxied`. The result of `load()` is one validated dict; nothing here touches the network.
This module layers the sources; `formats` reads the files (JSON, `ddns` v4, the Cloudflare
script's ddns.json; UCI in `uci`), `checks` validates the merged keys, `schema` names them.
As in ddns 4.1+, several files (`-c a.json -c b.json`, DDNS_CONFIG="a.json,b.json") each run,
and with none named the first of ddns's default paths that exists is read.
"""

import os

from ddns_min import compat
from ddns_min.checks import default_state_path, validate, warn_if_readable  # noqa: F401
from ddns_min.errors import ConfigError
from ddns_min.formats import file_keys, parse_text
from ddns_min.schema import (CONFIG_ENV, DEFAULT_CONFIG_PATHS, IGNORED_KEYS, KEYS,  # noqa: F401
                             LOG_LEVELS, MAX_CONFIG_BYTES, MIN_INTERVAL, NO_EFFECT)
from ddns_min.values import as_list  # noqa: F401

# DDNS_* variables that are not settings: ours (the OpenWrt wrapper's) and the file list
_NOT_SETTINGS = ("config", "min_python", "min_rundir")


def load(cli):
    """cli: dict of keys set on the command line (plus 'config' and 'section') -> validated config
    (the first, for a file that lists several providers)."""
    return load_all(cli)[0]


def load_all(cli):
    """-> one validated config per file and per provider: a `ddns` v4.1 file may list several
    under "providers", each inheriting the file's other keys."""
    paths = config_paths(cli)
    env = from_env()
    dry_run = cli.get("dry_run")
    if not paths:
        return [validate(merge(cli, {}, env), dry_run=dry_run)]
    confs = []
    for path in paths:
        where = " (in %s)" % path if len(paths) > 1 else ""
        from_file = load_file(path, cli.get("section"))
        entries = from_file.pop("providers", None)
        if entries is None:
            confs.append(_checked(merge(cli, from_file, env), dry_run, where))
            continue
        if not isinstance(entries, list) or not entries:
            raise ConfigError('config: "providers" in %s must be a list of objects' % path)
        if from_file.get("dns"):
            raise ConfigError('config: %s sets both "dns" and "providers"' % path)
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict) or not entry.get("provider"):
                raise ConfigError('config: providers[%d] in %s needs "provider"' % (i, path))
            layer = dict(from_file)
            layer.update(file_keys(entry, "providers[%d] of %s" % (i, path)))
            confs.append(_checked(merge(cli, layer, env), dry_run, " (in providers[%d]%s)"
                                  % (i, " of " + path if len(paths) > 1 else "")))
    if len(set([c.get("interval") or 0 for c in confs])) > 1:
        raise ConfigError('config: the files set different "interval" values')
    return confs


def _checked(raw, dry_run, where):
    try:
        return validate(raw, dry_run=dry_run)
    except ConfigError as exc:
        if not where:
            raise
        raise ConfigError("%s%s" % (exc, where))


def config_paths(cli):
    """-c (repeatable, several per flag), else DDNS_CONFIG ("a.json,b.json"), else with
    cli["default_config"] the first of ddns's default paths that exists."""
    paths = cli.get("config")
    if paths is None:
        paths = compat.getenv(CONFIG_ENV) or None
        paths = as_list(CONFIG_ENV, paths, True) if paths else None
    if isinstance(paths, (str, compat.text_type)):
        paths = [paths]
    if not paths and cli.get("default_config"):
        for path in DEFAULT_CONFIG_PATHS:
            if path.startswith("~/"):
                home = compat.getenv("HOME")
                if not home:
                    continue
                path = home + path[1:]
            if compat.file_exists(path):
                return [path]
    return paths or []


def from_dict(options):
    """Library entry: a dict of config keys, validated the same way as a file."""
    for key in options:
        if key not in KEYS and key not in IGNORED_KEYS and key not in NO_EFFECT:
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
    """DDNS_<KEY> variables, read as ddns reads them (DDNS_LOG_LEVEL, DDNS_EXTRA_PROXIED, ...);
    a variable ddns knows that does nothing here is named in a warning."""
    names = [n for n in _env_names() if n[:5].upper() == "DDNS_"]  # ddns: ddns_token too
    data = {}
    for name in names:
        key = name[5:].lower().replace(".", "_")
        value = compat.getenv(name)
        if key in _NOT_SETTINGS or key.startswith("min_") or value is None or value == "":
            continue
        data[key] = value.strip()
    verify = compat.getenv("PYTHONHTTPSVERIFY")
    if verify is not None and "ssl" not in data and verify.strip() in ("0", "false"):
        raise ConfigError("config: PYTHONHTTPSVERIFY=%s: TLS is always verified; unset it"
                          % verify)
    return file_keys(data, "the environment (DDNS_*)")


def _env_names():
    environ = getattr(os, "environ", None)
    if environ is not None:
        return list(environ.keys())
    # MicroPython has no environ: ask for each name ddns_min or ddns would read
    extra = ("log_level", "log_file", "log_format", "log_datefmt", "debug", "extra_proxied",
             "cache_max_age")
    return ["DDNS_" + k.upper() for k in KEYS + extra]


def load_file(path, section=None):
    """A config file -> its keys. Only a regular file of at most MAX_CONFIG_BYTES is opened, so a
    FIFO, a device or a huge file is refused at once instead of blocking or filling memory."""
    if "://" in path:
        raise ConfigError('config: "%s": only local files are read' % path)
    try:
        raw = compat.read_regular(path, MAX_CONFIG_BYTES)
    except ValueError as exc:
        raise ConfigError('config: "%s" %s' % (path, exc))
    except compat.OS_ERRORS as exc:
        raise ConfigError('config: cannot read config file "%s": %s'
                          % (path, getattr(exc, "strerror", None) or exc))
    out = parse_text(compat.to_text(raw), path, section)
    if out.get("token") or [p for p in out.get("providers") or [] if isinstance(p, dict) and
                            p.get("token")]:
        warn_if_readable(path)
    return out
