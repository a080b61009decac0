"""The state file: per record, the address last confirmed at the provider and its ids.

It lets a run where nothing changed skip the provider entirely, and a changed run go straight to
the write. An entry is trusted for VERIFY_AFTER seconds; after that the record is read again, so a
record edited by hand at the provider is repaired within a day. Writes go to a temporary file in
the same folder, are flushed to disk, then renamed over the old file: a power cut leaves either the
old or the new file, never half of one. A damaged file is ignored with a warning.
"""

import os
import time

from ddns_min import compat, log, processes

VERIFY_AFTER = 86400
VERSION = 1
MAX_BYTES = 1 << 20  # 500 records (the most one config holds) take about 250 KiB
# A run holds "<state>.lock" (a directory: mkdir is atomic everywhere, MicroPython included, with
# the holder's pid in a file inside) while it reads and writes the state. A second run (cron and
# hotplug at the same moment) waits for it. A lock whose holder is gone (killed by procd's
# restart, a power cut) is taken over at once; one that names no live-checkable pid (another OS,
# or a holder killed between mkdir and writing its pid) after LOCK_STALE s.
LOCK_STALE = 180
# After a provider refused the credentials, runs with the same credentials send nothing to it for
# this long: a cron job with a revoked token stays far below DNSPod's failed-login ban limit.
AUTH_BACKOFF = 3600


def account_key(conf):
    """A short fingerprint of provider, endpoint and credentials: entries of another account (or
    of credentials that changed) are never trusted. One-way and truncated: no secret is stored."""
    raw = "%s|%s|%s|%s" % (conf.get("dns"), conf.get("endpoint") or "", conf.get("id") or "",
                           conf.get("token") or "")
    digest = compat.sha256(raw)
    return compat.hexlify(digest)[:12]


class State(object):
    def __init__(self, path):
        self.path = path
        self.load()

    def load(self):
        self.records = {}
        self.refused = {}  # account key -> {"until": time, "error": message}
        self.dirty = False
        if not self.path:
            return
        try:
            text = compat.to_text(compat.read_regular(self.path, MAX_BYTES))
        except compat.OS_ERRORS:
            return  # first run
        except ValueError as exc:
            log.warning('state file "%s" %s; ignoring it' % (self.path, exc))
            return
        try:
            data = compat.json_loads(text)
            records = data["records"]
            if not isinstance(records, dict):
                raise ValueError("records")
        except (ValueError, KeyError, TypeError):
            log.warning('state file "%s" is damaged; ignoring it (it will be rewritten)'
                        % self.path)
            return
        self.records = records
        refused = data.get("refused")
        self.refused = refused if isinstance(refused, dict) else {}

    @staticmethod
    def key(conf, rtype, domain):
        return "%s|%s|%s|%s" % (conf["dns"], account_key(conf), rtype, domain)

    def get(self, key):
        entry = self.records.get(key)
        return entry if isinstance(entry, dict) else None

    def fresh(self, key, ip, settings, now=None):
        """The entry says the provider holds `ip` with these settings, checked recently enough."""
        entry = self.get(key)
        if not entry or entry.get("ip") != ip or entry.get("settings") != settings:
            return False
        age = (now or time.time()) - (entry.get("verified") or 0)
        return 0 <= age < VERIFY_AFTER

    def refusal(self, conf, now):
        """The remembered refusal of these credentials, if it is still in force."""
        entry = self.refused.get(account_key(conf))
        if isinstance(entry, dict) and 0 <= (entry.get("until") or 0) - now <= AUTH_BACKOFF:
            return entry
        return None

    def set_refusal(self, conf, message, now):
        key = account_key(conf)
        if message is None:
            if key in self.refused:
                del self.refused[key]
                self.dirty = True
        else:
            self.refused[key] = {"until": int(now + AUTH_BACKOFF), "error": message}
            self.dirty = True

    def put(self, key, entry):
        self.records[key] = entry
        self.dirty = True

    def save(self):
        if not self.path or not self.dirty:
            return
        compat.collect()
        tmp = "%s.%s.tmp" % (self.path, processes.pid() or int(time.time() * 1000) % 100000)
        try:
            compat.makedirs(compat.dirname(self.path))
            with open(tmp, "w") as f:
                self._dump(f)
                compat.fsync(f)
            compat.replace_file(tmp, self.path)
            self._remove_leftovers()
        except compat.OS_ERRORS as exc:
            try:
                os.remove(tmp)
            except compat.OS_ERRORS:
                pass
            log.warning('cannot write state file "%s": %s' % (self.path, exc))
            return
        self.dirty = False

    def _dump(self, f):
        """The file's JSON one record at a time: 500 records as one string do not fit a small
        MicroPython heap."""
        f.write('{"version": %d, "refused": %s, "records": {'
                % (VERSION, compat.json_dumps(self.refused)))
        sep = ""
        for key in self.records:
            f.write(sep + compat.json_dumps(key) + ": " + compat.json_dumps(self.records[key]))
            sep = ", "
        f.write("}}\n")

    def _remove_leftovers(self):
        """Temporary files of writers killed mid-write (a power cut): we hold the lock, so no
        other writer is alive."""
        folder, name = compat.dirname(self.path), self.path.rsplit("/", 1)[-1]
        for entry in os.listdir(folder):
            if entry.startswith(name + ".") and entry.endswith(".tmp"):
                try:
                    os.remove(folder + "/" + entry)
                except compat.OS_ERRORS:
                    pass


class Lock(object):
    def __init__(self, state_path):
        self.path = state_path + ".lock" if state_path else None
        self.held = False

    def acquire(self, wait=LOCK_STALE + 10):
        if not self.path:
            return
        start, missing = time.time(), 0
        while True:
            try:
                compat.makedirs(compat.dirname(self.path))
                os.mkdir(self.path)
                self.held = True
                self._write_pid()
                return
            except compat.OS_ERRORS as exc:
                error = exc
            try:
                age = time.time() - os.stat(self.path)[8]
            except compat.OS_ERRORS:
                missing += 1
                if missing < 3:
                    continue  # released just now
                log.warning("cannot create lock %s (%s); running without it" % (self.path, error))
                return
            owner = self.owner()
            gone = owner is not None and processes.process_alive(owner) is False
            if gone or age > LOCK_STALE:
                if gone:
                    log.info("taking over lock %s of run %d, which has ended" % (self.path, owner))
                else:
                    log.warning("taking over a stale lock %s (%d s old)" % (self.path, age))
                if self.owner() == owner:  # not taken over by another run meanwhile
                    self.release(force=True)
                continue
            if time.time() - start > wait:
                from ddns_min.errors import DDNSError
                raise DDNSError("another ddns_min run holds %s; try again later" % self.path)
            time.sleep(0.2)

    def _write_pid(self):
        number = processes.pid()
        if number is None:
            return
        try:
            with open(self.path + "/pid", "w") as f:
                f.write(str(number))
        except compat.OS_ERRORS:
            pass  # the lock still holds; only its takeover waits for LOCK_STALE

    def owner(self):
        """The pid written by the run holding the lock, or None."""
        try:
            with open(self.path + "/pid") as f:
                text = f.read(16).strip()
        except compat.OS_ERRORS:
            return None
        return int(text) if text.isdigit() else None

    def release(self, force=False):
        if self.path and (self.held or force):
            for name in ("/pid", ""):
                try:
                    (os.remove if name else os.rmdir)(self.path + name)
                except compat.OS_ERRORS:
                    pass
            self.held = False
