"""One pass: for each address family, detect the address, then make every record hold it.

Provider-agnostic. The state file is consulted first so that an unchanged run sends nothing; a
failure never deletes or blanks a record, it only leaves it as it was and reports why.
"""

import time

from ddns_min import compat, detect, log, providers, transport
from ddns_min.errors import AuthError, DetectError
from ddns_min.state import AUTH_BACKOFF, Lock, State

TYPES = {4: "A", 6: "AAAA"}


def run(conf, dry_run=False, now=None, pings=True):
    """-> report dict: {"ok", "exit_code", "records": [one result per configured name and type]}.
    pings=False: run_all sends the health-check pings once, for the whole pass."""
    dry_run = dry_run or conf.get("dry_run")
    transport.start_run()  # one clock for this pass: detection, every request, every command
    lock = Lock(None if dry_run else conf.get("cache"))
    try:
        if conf.get("notify") and not dry_run:
            from ddns_min import notify
            notify.start(conf)
        report = _run(conf, dry_run, now or time.time(), lock)
        if conf.get("notify") and not dry_run:
            notify.send(conf, report, pings)  # after the state is saved: it changes nothing
        return report
    finally:
        lock.release()
        transport.end_run()


def _run(conf, dry_run, now, lock):
    state = State(conf.get("cache"))
    session = {"provider": None, "lock": lock}
    results = []
    for family in (4, 6):
        names = conf["names"][family]
        if not names:
            continue
        rtype = TYPES[family]
        if conf["rules"][family] == ["false"]:
            for name in names:
                results.append(_result(conf, name, rtype, None, "skipped",
                                       note="index%d is false" % family))
            continue
        found = {}
        for name in names:
            rules = _rules_for(conf, family, name)
            if rules not in found:  # detect once per list of rules
                found[rules] = _detect(conf, family, list(rules), dry_run)
            ip, rule, exc = found[rules]
            if exc is not None:
                results.append(_result(conf, name, rtype, None, "failed", error=str(exc),
                                       code=exc.exit_code))
            elif family == 6 and (name in conf.get("hosts", ()) or "/" in ip):
                results.append(_host(conf, session, state, name, ip, rule, dry_run, now))
            else:
                results.append(_one(conf, session, state, name, rtype, ip, dry_run, now))
            compat.collect()
    if [r for r in results if "_job" in r]:
        from ddns_min import reconcile
        reconcile.settle(conf, session["provider"], state, results, dry_run, now)
    prov = session["provider"]
    if prov is not None and not dry_run and not session.get("remembered"):
        refused = prov.refused if isinstance(prov.refused, AuthError) else None
        if refused is not None or prov.answered:
            state.set_refusal(conf, str(refused) if refused else None, now)
    for res in results:
        _log_result(res, dry_run)
    if not dry_run:
        state.save()
    codes = [r.pop("_code") for r in results]
    exit_code = 3 if 3 in codes else (1 if [c for c in codes if c] else 0)
    return {"ok": exit_code == 0, "exit_code": exit_code, "dry_run": bool(dry_run),
            "time": log.timestamp(now), "records": results}


def run_all(confs, dry_run=False):
    """Several providers (a `ddns` v4.1 file): one run each, one report; the worst exit wins."""
    reports = [run(conf, dry_run, pings=len(confs) == 1) for conf in confs]
    if len(reports) == 1:
        return reports[0]
    codes = [r["exit_code"] for r in reports]
    exit_code = 3 if 3 in codes else max(codes)
    merged = dict(reports[-1])
    merged.update({"ok": exit_code == 0, "exit_code": exit_code,
                   "records": [rec for r in reports for rec in r["records"]]})
    if [c for c in confs if c.get("notify")]:
        from ddns_min import notify
        notify.ping_all(confs, merged)  # one ping for the whole pass
    return merged


def settings_of(conf):
    return [conf.get("ttl"), conf.get("proxied"), conf.get("line")]


def _one(conf, session, state, name, rtype, ip, dry_run, now):
    key = State.key(conf, rtype, name) if conf.get("dns") else None
    settings = settings_of(conf)
    if key and _done(session, state, key, ip, settings, now):
        return _result(conf, name, rtype, ip, "cached", old_ip=ip)
    if dry_run and not (conf.get("token") and providers.get(conf["dns"]).can_read):
        return _result(conf, name, rtype, ip, "planned", note="provider not asked")
    if session["provider"] is None:
        session["provider"] = prov = providers.get(conf["dns"])(conf)
        refusal = state.refusal(conf, now)
        if refusal is not None:
            session["remembered"] = True
            prov.refused = AuthError(
                "%s (at %s; not asking again until %s, or until the credentials change)"
                % (refusal.get("error"), log.timestamp(refusal["until"] - AUTH_BACKOFF),
                   log.timestamp(refusal["until"])))
    res = _result(conf, name, rtype, ip, "pending")
    res["_job"] = {"key": key, "entry": state.get(key) or {}, "settings": settings}
    return res  # reconcile.settle() reads and writes the pending records together


def _rules_for(conf, family, name):
    """prefix: rules serve host records only (tried before the others); plain names skip them."""
    rules = conf["rules"][family]
    prefixes = tuple(r for r in rules if str(r).startswith("prefix:"))
    if not prefixes:
        return tuple(rules)
    others = tuple(r for r in rules if r not in prefixes)
    return prefixes + others if name in conf.get("hosts", ()) else (others or prefixes)


def _detect(conf, family, rules, dry_run):
    """-> (address, the rule that found it, None) or (None, None, DetectError)."""
    try:
        ip, rejected, rule = detect.which(rules, family, conf.get("cafile"))
    except DetectError as exc:
        return None, None, exc
    for why in rejected:
        (log.info if dry_run else log.debug)("IPv%d candidate rejected: %s" % (family, why))
    log.debug("IPv%d address: %s (%s)" % (family, ip, rule))
    return ip, rule, None


def _host(conf, session, state, name, found, rule, dry_run, now):
    """A name with a host part: its own address on the prefix the rule found (hosts.py)."""
    from ddns_min import hosts
    if name not in conf.get("hosts", ()):
        return _result(conf, name, "AAAA", None, "failed", code=1, error=(
            "%s found the prefix %s, not an address: give %s a host part (%s=::1234:5678)"
            % (rule, found, name, name)))
    try:
        ip, prefix = hosts.address(found, conf["hosts"][name])
    except ValueError as exc:
        return _result(conf, name, "AAAA", None, "failed", code=1,
                       error="%s (from %s)" % (exc, rule))
    res = _one(conf, session, state, name, "AAAA", ip, dry_run, now)
    res["prefix"] = "%s from %s" % (prefix, rule)
    return res


def _done(session, state, key, ip, settings, now):
    """The state says the record holds `ip`. The first record that needs the provider takes the
    run lock and asks again: a run that held it (cron and hotplug at once) may have just done this
    very update. So a run with nothing to do takes no lock and writes nothing."""
    if state.fresh(key, ip, settings, now):
        return True
    if session.get("locked") or not session["lock"].path:
        return False
    session["locked"] = True
    session["lock"].acquire()
    state.load()
    return state.fresh(key, ip, settings, max(now, time.time()))  # time passed while waiting


def _log_result(res, dry_run):
    """Quiet by default: one line per change or failure; everything in a dry run."""
    head = "%s %s: " % (res["domain"], res["type"])
    action, ip, old = res["action"], res["ip"], res["old_ip"]
    if action == "failed":
        log.error(head + res["error"])
        return
    if action == "planned":
        text = "would set %s%s" % (ip, " (now %s)" % old if old else "")
    elif action in ("created", "updated"):
        text = "%s %s%s" % (action, ip, " (was %s)" % old if old and old != ip else "")
    else:
        text = "%s %s" % (action, ip or "")
    if res.get("note"):
        text += " (%s)" % res["note"]
    if res.get("prefix"):
        text += " (prefix %s)" % res["prefix"]
    (log.info if dry_run or action in ("created", "updated") else log.debug)(head + text)


def _result(conf, name, rtype, ip, action, old_ip=None, error=None, note=None, code=0):
    out = {"domain": name, "type": rtype, "ip": ip, "old_ip": old_ip, "action": action,
           "provider": conf.get("dns"), "_code": code}
    if error:
        out["error"] = error
    if note:
        out["note"] = note
    return out
