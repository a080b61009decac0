"""The state file: per record, the address last confirmed at the provider and its ids.

It lets a run where nothing changed skip the provider entirely, and a changed run go straight to
the write. An entry is trusted for VERIFY_AFTER seconds; after that the record is read again, so a
record edited by hand at the provider is repaired within a day. Writes go to a temporary file in
the same folder, are flushed to disk, then renamed over the old file: a power cut leaves either the
old or the new file, never half of one. A damaged file is ignored with a warning.
"""

import binascii
import hashlib
import json
import time

from ddns_min import compat, log

VERIFY_AFTER = 86400
VERSION = 1


def account_key(conf):
    """A short fingerprint of provider, endpoint and credentials: entries of another account (or
    of credentials that changed) are never trusted. One-way and truncated: no secret is stored."""
    raw = "%s|%s|%s|%s" % (conf.get("dns"), conf.get("endpoint") or "", conf.get("id") or "",
                           conf.get("token") or "")
    return compat.to_native(binascii.hexlify(hashlib.sha256(compat.to_bytes(raw)).digest())[:12])


class State(object):
    def __init__(self, path):
        self.path = path
        self.records = {}
        self.dirty = False
        if path:
            self._load()

    def _load(self):
        try:
            with open(self.path) as f:
                text = f.read()
        except compat.OS_ERRORS:
            return  # first run
        try:
            data = json.loads(text)
            records = data["records"]
            if not isinstance(records, dict):
                raise ValueError("records")
        except (ValueError, KeyError, TypeError):
            log.warning('state file "%s" is damaged; ignoring it (it will be rewritten)'
                        % self.path)
            return
        self.records = records

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

    def put(self, key, entry):
        self.records[key] = entry
        self.dirty = True

    def save(self):
        if not self.path or not self.dirty:
            return
        compat.makedirs(compat.dirname(self.path))
        tmp = "%s.%d.tmp" % (self.path, compat.pid())
        text = json.dumps({"version": VERSION, "records": self.records})
        try:
            with open(tmp, "w") as f:
                f.write(text)
                compat.fsync(f)
            compat.replace_file(tmp, self.path)
        except compat.OS_ERRORS as exc:
            try:
                import os
                os.remove(tmp)
            except compat.OS_ERRORS:
                pass
            log.warning('cannot write state file "%s": %s' % (self.path, exc))
            return
        self.dirty = False
