"""An emulator of West.cn's DNS API v2 as ddns 4.2 speaks it
(https://console-docs.apipost.cn/preview/bf57a993975b67e0/7b363d9b8808faa2): form POSTs to
/API/v2/domain/dns/ with act=dnsrec.update, domain, hostname, record_value[, record_line], and
either username + apikey (the MD5 of the account's API password) or apidomainkey (the MD5 of the
domain's management password), both recomputed here with hashlib. It creates the host's record
or sets its value. Answers {"code": 200, "msg", "body": {"record_id"}}; 404 for a domain the
credentials do not hold. The codes for refused keys and for too many requests were not in the
searchable copies: 401 and 429 here stand in for them."""
import hashlib
import json

from fake_http import Emulator

PATH = "/API/v2/domain/dns/"


def md5hex(text):
    return hashlib.md5(text.encode("utf-8")).hexdigest()


class WestEmulator(Emulator):
    def __init__(self):
        super(WestEmulator, self).__init__()
        self.users = {}     # username -> (API password, set of domains)
        self.domain_passwords = {}  # domain -> management password
        self.recs = {}      # (domain, hostname, type) -> {"id", "value", "line"}
        self.next_id = 7000
        self.same_value_writes = 0
        self.limited = False

    def _answer(self, code, msg, body=None):
        return 200, {"Content-Type": "application/json"}, json.dumps(
            {"code": code, "msg": msg, "body": body or {}})

    def _domains(self, p):
        """-> the domains these credentials may change, or None if they are wrong."""
        if p.get("username"):
            user = self.users.get(p["username"])
            if user is None or p.get("apikey") != md5hex(user[0]):
                return None
            return user[1]
        key = p.get("apidomainkey")
        held = set(d for d, pw in self.domain_passwords.items() if key == md5hex(pw))
        if not held and p.get("domain") in self.domain_passwords:
            return None  # the domain exists, the key is not its key
        return held

    def handle(self, req):
        # ddns 4.2 posts to ".../dns//" (its endpoint ends in "/", and it adds one): the same
        if req.path.rstrip("/") != PATH.rstrip("/") or req.method != "POST":
            return 404, {"Content-Type": "text/html"}, "<h1>404</h1>"
        p = req.form or {}
        if p.get("act") != "dnsrec.update":
            return self._answer(500, "unknown act")
        domains = self._domains(p)
        if domains is None:
            return self._answer(401, "apikey or username error: authentication failed")
        if self.limited:
            return self._answer(429, "too many requests, slow down")
        if p.get("domain") not in domains:
            return self._answer(404, "domain not found")
        value = p.get("record_value", "")
        if not value or not p.get("hostname"):
            return self._answer(500, "hostname and record_value are required")
        key = (p["domain"], p["hostname"], "AAAA" if ":" in value else "A")
        rec = self.recs.get(key)
        if rec is None:
            self.next_id += 1
            rec = self.recs[key] = {"id": self.next_id, "value": None}
        if rec["value"] == value:
            self.same_value_writes += 1
        rec.update({"value": value, "line": p.get("record_line", "")})
        return self._answer(200, "success", {"record_id": rec["id"]})
