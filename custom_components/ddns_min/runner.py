"""The calls into the ddns_min client: blocking, so HA runs each in its executor.

The client is imported here, lazily, on the first call (in an executor thread, never at HA start
or in the event loop). It comes from the installed `ddns-min` package or, in the release archive
built by bin/ha-bundle, from the copy vendored in this folder's `_vendor/`.
"""

import logging
import os
import sys
import threading

from .const import (CONF_ENDPOINT, CONF_ID, CONF_INDEX4, CONF_INDEX6, CONF_IPV4, CONF_IPV6,
                    CONF_PROVIDER, CONF_TOKEN, CONF_TTL)

_VENDOR = os.path.join(os.path.dirname(__file__), "_vendor")
OK_ACTIONS = ("created", "updated", "unchanged", "cached")
# The client keeps one run clock per process (transport.start_run): passes of several entries
# take turns instead of sharing it.
_ONE_AT_A_TIME = threading.Lock()


_CLIENT_LOG = logging.getLogger(__package__ + ".client")
_LEVELS = {"DEBUG": logging.DEBUG, "INFO": logging.INFO, "WARNING": logging.WARNING,
           "ERROR": logging.ERROR, "CRITICAL": logging.CRITICAL}


def client():
    """-> the ddns_min package (importing it the first time)."""
    try:
        import ddns_min
    except ImportError:
        if not os.path.isdir(os.path.join(_VENDOR, "ddns_min")):
            raise
        if _VENDOR not in sys.path:
            sys.path.append(_VENDOR)
        import ddns_min
    from ddns_min import log
    if log.write is not _to_logging:
        # The client's one-line log (stderr for cron and systemd) goes to HA's log instead, at
        # its level, still through the client's mask: HA's logger settings then apply to it.
        log.write = _to_logging
    return ddns_min


def _to_logging(level, message):
    from ddns_min import compat, log
    _CLIENT_LOG.log(_LEVELS.get(level, logging.INFO), "%s",
                    log.mask(compat.printable(message, 4000)))


def _secrets(settings):
    """The entry's secrets are masked in every line the client logs."""
    from ddns_min import log
    log.add_secret(settings.get(CONF_TOKEN))
    if settings.get(CONF_PROVIDER) == "callback":
        log.add_secret(settings.get(CONF_ID))  # a callback's URL may hold a key


def options(settings, cache):
    """The entry's settings -> ddns_min's config keys (README "Configuration")."""
    out = {"dns": settings[CONF_PROVIDER], "cache": cache or False}
    for ours, theirs in ((CONF_ID, "id"), (CONF_TOKEN, "token"), (CONF_ENDPOINT, "endpoint"),
                         (CONF_IPV4, "ipv4"), (CONF_IPV6, "ipv6"), (CONF_INDEX4, "index4"),
                         (CONF_INDEX6, "index6"), (CONF_TTL, "ttl")):
        value = settings.get(ours)
        if value not in (None, ""):
            out[theirs] = value
    return out


class Outcome:
    """One pass: kind is "ok", "auth" (refused credentials), "network" (no record reached the
    provider's answer) or "config"; message says why when not ok."""

    def __init__(self, kind, report=None, records=None, message=None):
        self.kind, self.report, self.records, self.message = kind, report, records, message


def run_pass(settings, cache):
    """One ddns_min pass for an entry -> Outcome. Blocking: call it in the executor."""
    with _ONE_AT_A_TIME:
        return _run_pass(settings, cache)


def _run_pass(settings, cache):
    ddns_min = client()
    _secrets(settings)
    from ddns_min.errors import AuthError, ConfigError, DDNSError
    try:
        report = ddns_min.run(options(settings, cache))
    except AuthError as exc:
        return Outcome("auth", message=_masked(str(exc)))
    except ConfigError as exc:
        return Outcome("config", message=_masked(str(exc)))
    except DDNSError as exc:
        return Outcome("network", message=_masked(str(exc)))
    for rec in report.get("records") or []:
        if rec.get("error"):
            rec["error"] = _masked(rec["error"])  # the report goes to services and diagnostics
    records = _records(report, options(settings, cache))
    if report.get("exit_code") == 3:
        errors = [r.get("error") for r in report["records"] if r.get("error")]
        return Outcome("auth", report, records,
                       _masked(errors[0]) if errors else "credentials refused")
    sent = [r for r in report["records"] if r.get("action") != "skipped"]
    failed = [r for r in sent if r.get("action") == "failed"]
    if sent and len(failed) == len(sent):
        # Not one record got through: the provider or the network is down (or no address could
        # be found at all). Entities go unavailable and the coordinator retries with back-off.
        return Outcome("network", report, records, _masked(failed[0].get("error")))
    return Outcome("ok", report, records)


def _records(report, opts):
    """Per record (domain, type): what the report and the state file say about it (the state
    file's entries of this account only: it may still hold some of credentials changed since)."""
    from ddns_min import config
    from ddns_min.state import State
    conf = config.from_dict(opts)
    state = State(conf.get("cache")) if conf.get("cache") else None
    out = {}
    for rec in report.get("records") or []:
        entry = (state.get(State.key(conf, rec.get("type"), rec.get("domain")))
                 if state is not None else None) or {}
        held = entry.get("ip")
        if held is None and rec.get("action") in OK_ACTIONS:
            held = rec.get("ip")
        out["%s|%s" % (rec.get("domain"), rec.get("type"))] = {
            "domain": rec.get("domain"), "type": rec.get("type"), "ip": held,
            "detected": rec.get("ip"), "action": rec.get("action"),
            "error": rec.get("error"), "note": rec.get("note"),
            "provider": rec.get("provider") or entry.get("provider"),
            "verified": entry.get("verified"), "changed": entry.get("changed"),
            "failed": entry.get("failed")}
    return out


def _masked(text):
    from ddns_min import log
    return log.mask(text) if text else text


def check_credentials(settings):
    """One real read at the provider, nothing written -> None, or (error key, message):
    "invalid_auth" (refused credentials), "cannot_connect", "invalid_config", "api_error".
    Blocking: call it in the executor."""
    with _ONE_AT_A_TIME:
        return _check_credentials(settings)


def _check_credentials(settings):
    client()
    _secrets(settings)
    from ddns_min import config, providers, transport
    from ddns_min.errors import (APIError, AuthError, ConfigError, DDNSError, NetworkError,
                                 RateLimited)
    try:
        conf = config.from_dict(options(settings, None))
        cls = providers.get(conf["dns"])
        if not cls.can_read:
            return None  # an update-only API (dyndns2, callback): nothing can be read first
        names = [(n, "A") for n in conf["names"][4]] + [(n, "AAAA") for n in conf["names"][6]]
        prov = cls(conf)
        transport.start_run()
        try:
            prov.find(names[0][0], names[0][1], None)
        finally:
            transport.end_run()
    except AuthError as exc:
        return "invalid_auth", _masked(str(exc))
    except ConfigError as exc:
        return "invalid_config", _masked(str(exc))
    except (NetworkError, RateLimited) as exc:
        return "cannot_connect", _masked(str(exc))
    except (APIError, DDNSError) as exc:
        return "api_error", _masked(str(exc))
    return None


def forget_refusal(settings, cache):
    """The credentials were just accepted by a read at the provider (re-authentication): the
    state file's memory that they were refused (ddns_min asks again only after an hour) goes.
    Blocking: call it in the executor."""
    with _ONE_AT_A_TIME:
        client()
        import time
        from ddns_min import config
        from ddns_min.state import State
        conf = config.from_dict(options(settings, cache))
        state = State(cache)
        if state.refusal(conf, time.time()) is not None:
            state.set_refusal(conf, None, time.time())
            state.save()


def provider_names():
    """ddns_min.providers.NAMES (for the tests: the form's list must match it)."""
    client()
    from ddns_min import providers
    return providers.NAMES
