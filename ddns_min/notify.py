"""Notifications: after the records, from the run's report alone, so they can neither delay nor
change an update. `notify` is a list of targets, each "KIND:URL#EVENTS" or an object
{"kind", "url", "events", ...}. Kinds: webhook (GET, or POST with a JSON body), ntfy, gotify,
telegram (messages, sent on the events change, failure, recovery; default all three), and
healthchecks, kuma (pings, sent after every pass, also an unchanged or cached one: their silence
is what tells that runs stopped). Nothing is sent in a dry run, and no message on a run with
nothing to tell. Each request has TIMEOUT seconds within what is left of the run, is retried at
most once (and only after a quick failure: a lost connection, a 5xx or 429; never after a
timeout, a redirect or a 4xx), and a failure is a warning, never a change of the exit code.
Every token in a target's URL is registered as a secret (masked in every log line).
"""

import time

from ddns_min import compat, log, transport
from ddns_min.errors import ConfigError, DDNSError
from ddns_min.values import as_list, is_text

TIMEOUT = 5  # seconds per request (notify_targets reads it), within what is left of the run

EVENTS = ("change", "failure", "recovery")
MESSAGES = ("webhook", "ntfy", "gotify", "telegram")
PINGS = ("healthchecks", "kuma")
KINDS = MESSAGES + PINGS
# Words of target URLs that are no secret (the rest of every path and query is masked in logs)
_PLAIN = ("message", "sendMessage", "api", "push", "start", "fail", "ping", "status", "msg")


def check(value):
    """The "notify" setting -> list of target dicts; ConfigError naming the target by number,
    kind and host (never its URL: it may hold a token)."""
    items = _items(value)
    out = []
    for n, item in enumerate(items):
        out.append(_target(n + 1, item))
    return out


def _items(value):
    if value is None or value == "":
        return []
    if isinstance(value, dict):
        return [value]
    if is_text(value):
        text = value.strip()
        if text.startswith("[") or text.startswith("{"):
            try:
                value = compat.json_loads(text)
            except ValueError:
                raise ConfigError('config: "notify" is not valid JSON')
            return _items(value)
        return text.split()  # URLs hold commas and semicolons, never blanks
    out = []
    for item in as_list("notify", value):
        out.extend(_items(item) if is_text(item) else [item])
    return out


def _target(n, item):
    where = 'config: "notify" target %d' % n
    if is_text(item):
        kind, _, url = compat.to_native(item).partition(":")
        method = "GET"
        if kind == "webhook+post":
            kind, method = "webhook", "POST"
        url, _, events = url.partition("#")
        item = {"kind": kind, "url": url, "method": method}
        if events:
            item["events"] = events
    if not isinstance(item, dict):
        raise ConfigError("%s must be a string KIND:URL or an object" % where)
    item = dict((compat.to_native(k), item[k]) for k in item)
    kind = compat.to_native(item.get("kind")) if is_text(item.get("kind")) else ""
    if kind not in KINDS:
        raise ConfigError('%s: kind must be one of %s, got "%s"' % (where, ", ".join(KINDS),
                                                                    kind[:20]))
    url = item.get("url")
    if not is_text(url) or not url:
        raise ConfigError('%s (%s): "url" must be a URL' % (where, kind))
    url = compat.to_native(url).strip()
    host = transport.host_of(url)
    from ddns_min import addr
    local = addr.is_loopback_host(host) or (addr.family_of(host) and addr.reject_reason(
        host, addr.family_of(host)) is not None)
    if not (url.startswith("https://") or (url.startswith("http://") and local)) or not host:
        raise ConfigError('%s (%s): the URL must be https:// (plain http:// only for loopback '
                          'and private addresses)' % (where, kind))
    for key in item:
        if key not in ("kind", "url", "events", "method", "body", "title", "token", "priority"):
            raise ConfigError('%s (%s): unknown key "%s"' % (where, kind, key[:20]))
    events = as_list("notify", item.get("events")) or list(EVENTS)
    for event in events:
        if not is_text(event) or event not in EVENTS + ("start",):
            raise ConfigError('%s (%s): events must be of %s, got %s'
                              % (where, kind, ", ".join(EVENTS), compat.json_dumps(event)[:20]))
    events = [compat.to_native(e) for e in events]
    method = item.get("method") or "GET"
    method = compat.to_native(method).upper() if is_text(method) else None
    if method not in ("GET", "POST"):
        raise ConfigError('%s (%s): "method" must be GET or POST' % (where, kind))
    if item.get("body") is not None and not isinstance(item["body"], dict):
        raise ConfigError('%s (%s): "body" must be a JSON object' % (where, kind))
    if item.get("body") is not None:
        method = "POST"
    for key in ("token", "title"):
        if item.get(key) is not None and not is_text(item[key]):
            raise ConfigError('%s (%s): "%s" must be a string' % (where, kind, key))
    priority = item.get("priority")
    if priority is not None and (isinstance(priority, bool) or not isinstance(priority, int)):
        raise ConfigError('%s (%s): "priority" must be a number' % (where, kind))
    _hide(url, item.get("token"))
    out = {"kind": kind, "url": url, "events": events, "method": method, "host": host}
    for key in ("body", "title", "token", "priority"):
        if item.get(key) is not None:
            out[key] = item[key]
    return out


def _hide(url, token):
    """Register the tokens of a URL (path segments and query values) and the token as secrets."""
    log.add_secret(compat.to_native(token) if token else None)
    rest = url.split("://", 1)[-1]
    path = rest.split("/", 1)[1] if "/" in rest else ""
    path, _, query = path.partition("?")
    # 8 characters and more: a token is longer, and shorter words ("ddns") would mask common text
    for part in path.split("/") + [p.partition("=")[2] for p in query.split("&")]:
        if len(part) >= 8 and part not in _PLAIN and "__" not in part:
            log.add_secret(part)
            log.add_secret(compat.quote(part))


def start(conf):
    """Before the records: a Healthchecks "/start" ping, for targets that ask for it."""
    for target in conf.get("notify") or []:
        if target["kind"] == "healthchecks" and "start" in target["events"]:
            _safely(target, "start", None)


def send(conf, report, pings=True, messages=True):
    """After the records (and the state saved): every message and ping the report calls for."""
    if report.get("dry_run"):
        return
    for target in conf.get("notify") or []:
        if not (pings if target["kind"] in PINGS else messages):
            continue
        for event, records in _events(target, report):
            _safely(target, event, records, report)
            compat.collect()


def ping_all(confs, report):
    """Several providers in one pass (run_all): their ping targets once each, on the merged
    report, so that one provider's success cannot hide another's failure. Each run's clock has
    ended: these get a short one of their own."""
    if report.get("dry_run"):
        return
    targets = []
    for conf in confs:
        targets += [t for t in conf.get("notify") or [] if t["kind"] in PINGS and t not in targets]
    transport.start_run(3 * TIMEOUT)
    try:
        send({"notify": targets}, report, True, False)
    finally:
        transport.end_run()


def _events(target, report):
    recs = report["records"]
    if target["kind"] in PINGS:
        return [("success" if report["ok"] else "fail", recs)]
    found = {"change": [r for r in recs if r["action"] in ("created", "updated")],
             "failure": [r for r in recs if r["action"] == "failed"],
             "recovery": [r for r in recs if r.get("recovered")]}
    return [(e, found[e]) for e in EVENTS if e in target["events"] and found[e]]


def _safely(target, event, records, report=None):
    from ddns_min import notify_targets
    what = "notify %s (%s)" % (target["kind"], target["host"])
    for attempt in (1, 2):
        began = time.time()
        try:
            notify_targets.send(target, event, records or [], report or {})
            log.debug("%s: %s sent" % (what, event))
            return
        except (transport.Redirected, notify_targets.Refused) as exc:
            error = exc
            break
        except DDNSError as exc:
            error = exc
            if time.time() - began > TIMEOUT / 2.0 or transport.remaining() < 1:
                break  # a timeout or an exhausted run: no second wait
    log.warning("%s: %s not sent: %s" % (what, event, log.mask(str(error))))
