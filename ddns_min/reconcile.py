"""Bring the records that need the provider to their addresses: read them (one listing per zone
where the provider can list), decide each one, then write what differs (one batch request per
zone where the provider has a batch, else one write per record).

Called by updater once a pass knows every record it must look at, so that the cost of a run grows
with the zones, not with the names. A batch is applied whole or not at all: when the provider
refuses one, each of its records is written on its own, and so fails or succeeds on its own.
"""

from ddns_min import addr, compat, log
from ddns_min.errors import APIError, AuthError, DDNSError, NetworkError, RateLimited, RecordGone

# What an answer of a shape no check foresaw raises inside a provider: that record fails (an
# APIError), the run goes on.
SHAPE_ERRORS = (KeyError, IndexError, TypeError, AttributeError, ValueError, OverflowError)


def settle(conf, prov, state, results, dry_run, now):
    """Fill in every result still "pending" (it holds a "_job": key, state entry, settings)."""
    jobs = [r for r in results if "_job" in r]
    reads = [(r["domain"], r["type"]) for r in jobs if _must_read(prov, r, dry_run)]
    if len(reads) > 1:
        try:
            _guarded(prov, prov.prefetch, reads)
        except DDNSError as exc:  # each record then reads (or fails) on its own
            _stop_if_final(prov, exc)
            log.debug("%s: zone listing failed: %s" % (prov.name, exc))
    writes = []
    for res in jobs:
        try:
            op, rec = _guarded(prov, _plan, prov, res, dry_run, True)
        except DDNSError as exc:
            _failed(conf, prov, state, res, exc, dry_run, now)
            continue
        if op in ("create", "update", "push"):
            res["_job"]["op"], res["_job"]["rec"] = op, rec
            writes.append(res)
        else:
            _done(conf, state, res, op, rec, dry_run, now)
    for group in _batches(prov, writes):
        _write_batch(conf, prov, state, group, now)
    for res in writes:
        if "_job" in res:  # not settled by a batch
            try:
                action, rec = _guarded(prov, _write_one, prov, res, dry_run)
            except DDNSError as exc:
                _failed(conf, prov, state, res, exc, dry_run, now)
                continue
            _done(conf, state, res, action, rec, dry_run, now)


def _must_read(prov, res, dry_run):
    return prov.can_read and not _blind(prov, res, dry_run)


def _blind(prov, res, dry_run):
    """May the change go straight to the remembered record id (no read first)? Only where the
    provider allows it and the state knows the id and the same settings."""
    entry = res["_job"]["entry"]
    return prov.blind_write and not dry_run and (entry.get("record") or {}).get("id") and \
        entry.get("ip") != res["ip"] and entry.get("settings") == res["_job"]["settings"]


def _plan(prov, res, dry_run, blind_ok):
    """-> (what to do, record): "create"/"update"/"push" (a write to send), or "unchanged" /
    "planned" (done). Sets the job's "old" address."""
    job, name, rtype, ip = res["_job"], res["domain"], res["type"], res["ip"]
    entry = job["entry"]
    job["old"] = entry.get("ip")
    if not prov.can_read:  # update-only API: it says itself whether anything changed
        return "push", None
    if blind_ok and _blind(prov, res, dry_run):
        job["blind"] = True
        return "update", entry["record"]
    rec = prov.find(name, rtype, ip)
    job["old"] = rec["ip"] = _address(rec, rtype)
    if rec.get("id") is None:
        job["old"] = None
        return ("planned" if dry_run else "create"), rec
    if not prov.differs(rec, ip):
        return "unchanged", rec
    return ("planned" if dry_run else "update"), rec


def _write_one(prov, res, dry_run):
    """-> (action, record) of one write; a blind write to a record that is gone looks it up."""
    job, name, rtype, ip = res["_job"], res["domain"], res["type"], res["ip"]
    op, rec = job["op"], job["rec"]
    if op == "push":
        return prov.push(name, rtype, ip)
    if op == "create":
        return "created", _written(prov, rtype, ip, prov.create(name, rtype, ip, rec))
    try:
        return "updated", _written(prov, rtype, ip, prov.update(name, rtype, ip, rec))
    except RecordGone:
        if not job.pop("blind", False):
            raise
        log.debug("%s %s: remembered record is gone; looking it up" % (name, rtype))
    job["op"], job["rec"] = _plan(prov, res, dry_run, False)
    if job["op"] == "unchanged":
        return "unchanged", job["rec"]
    return _write_one(prov, res, dry_run)


def _batches(prov, writes):
    """-> groups of two or more writes of one zone, at most the provider's batch size each."""
    if prov.batch_size < 2:
        return []
    zones, order = {}, []
    for res in writes:
        if res["_job"]["op"] in ("create", "update"):
            zone = res["_job"]["rec"].get("zone")
            if zone not in zones:
                zones[zone] = []
                order.append(zone)
            zones[zone].append(res)
    groups = []
    for zone in order:
        found = zones[zone]
        for i in range(0, len(found), prov.batch_size):
            if len(found[i:i + prov.batch_size]) > 1:
                groups.append(found[i:i + prov.batch_size])
    return groups


def _write_batch(conf, prov, state, group, now):
    writes = [(r["_job"]["op"], r["domain"], r["type"], r["ip"], r["_job"]["rec"])
              for r in group]
    try:
        recs = _guarded(prov, prov.write_batch, writes)
    except (AuthError, RateLimited, NetworkError) as exc:
        for res in group:  # a batch cut off may have been applied: the next run reads first
            _failed(conf, prov, state, res, exc, False, now)
        return
    except DDNSError as exc:
        log.info("%s refused a batch of %d writes (%s); writing them one by one"
                 % (prov.name, len(group), exc))
        return  # the records stay pending: written singly
    for res, rec in zip(group, recs):
        try:
            rec = _written(prov, res["type"], res["ip"], rec)
        except APIError as exc:
            _failed(conf, prov, state, res, exc, False, now)
            continue
        _done(conf, state, res, "created" if res["_job"]["op"] == "create" else "updated",
              rec, False, now)


def _guarded(prov, fn, *args):
    try:
        return fn(*args)
    except SHAPE_ERRORS as exc:
        raise APIError("%s: unexpected answer (%s)" % (prov.name, exc.__class__.__name__))


def _stop_if_final(prov, exc):
    """Asked to slow down, or unreachable after retries: no more calls this run."""
    if isinstance(exc, (RateLimited, NetworkError)):
        prov.refused = exc


def _done(conf, state, res, action, rec, dry_run, now):
    job = res.pop("_job")
    entry = job["entry"]
    res["action"], res["old_ip"] = action, job.get("old")
    if dry_run:
        return
    state.put(job["key"], {"domain": res["domain"], "type": res["type"],
                           "provider": conf["dns"], "ip": res["ip"], "record": rec,
                           "settings": job["settings"], "verified": int(now),
                           "changed": int(now) if action != "unchanged" else entry.get("changed"),
                           "action": action})
    if entry.get("error"):
        res["recovered"] = True  # it failed last time (for notify's "recovery")


def _failed(conf, prov, state, res, exc, dry_run, now):
    job = res.pop("_job")
    entry = job["entry"]
    _stop_if_final(prov, exc)
    if entry.get("error") != str(exc) and not dry_run:  # a new error: keep it for --status
        if not entry:
            entry = {"domain": res["domain"], "type": res["type"], "provider": conf["dns"],
                     "action": "failed"}
        entry["error"], entry["failed"] = str(exc), int(now)
        state.put(job["key"], entry)
    res.update({"action": "failed", "old_ip": entry.get("ip"), "error": str(exc),
                "_code": exc.exit_code})


def _address(rec, rtype):
    value = rec.get("ip") or ""
    return addr.parse(value, 4 if rtype == "A" else 6) or value


def _written(prov, rtype, ip, rec):
    """A write answered "success" must show the address sent; else it is not counted as done
    (and not remembered), whatever the provider said."""
    held = _address(rec, rtype) if rec.get("ip") is not None else ip
    if held != ip:
        raise APIError("%s answered the write with the address %s, not %s; not counted as done"
                       % (prov.name, compat.to_native(held)[:45], ip))
    rec["ip"] = ip
    return rec
