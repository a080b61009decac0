"""An emulator of the DNS.com / 51dns API (https://www.51dns.com/document/api/index.html): form
POSTs to /api/<group>/<action>/ with apiKey, timestamp and hash, where hash is the MD5 of every
other parameter sorted by name as name=value joined with "&", apiSecret appended
(https://www.51dns.com/document/api/70/72.html), recomputed here with Python's hashlib. Answers
{"code": 0, "message": "success", "data": ...}, else a non-zero code. The error-code table
(api/70/73) was not in the searchable copies: the codes below are stand-ins, the messages say
what failed as the API's do."""
import hashlib
import json
import time

from fake_http import Emulator

# stand-in codes (see the docstring)
BAD_KEY, BAD_HASH, BAD_TIME, TOO_FAST, NO_DOMAIN, NO_RECORD, BAD_PARAM = (
    10001, 10002, 10003, 10004, 20001, 20002, 30001)


def published_hash(params, secret):
    text = "&".join("%s=%s" % (k, params[k]) for k in sorted(params))
    return hashlib.md5((text + secret).encode("utf-8")).hexdigest()


class DNSComEmulator(Emulator):
    def __init__(self):
        super(DNSComEmulator, self).__init__()
        self.keys = {}      # apiKey -> apiSecret
        self.domains = {}   # domainID -> domain name
        self.recs = {}      # recordID -> record
        self.next_id = 5000
        self.same_value_writes = 0
        self.limited = False

    def add_domain(self, name):
        domain_id = 100 + len(self.domains)
        self.domains[domain_id] = name
        return domain_id

    def add_record(self, domain, host, rtype, value, ttl=600, view_id=0):
        domain_id = [i for i, n in self.domains.items() if n == domain][0]
        self.next_id += 1
        self.recs[self.next_id] = {"recordID": self.next_id, "domainID": domain_id,
                                   "record": host, "type": rtype, "value": value, "TTL": ttl,
                                   "viewID": view_id, "state": 1, "remark": ""}
        return self.next_id

    def records(self, host=None):
        return [r for r in self.recs.values() if host is None or r["record"] == host]

    def actions(self):
        return [r.path.strip("/")[4:] for r in self.requests]

    def _answer(self, code, message, data=None):
        return 200, {"Content-Type": "application/json"}, json.dumps(
            {"code": code, "message": message, "data": data})

    def handle(self, req):
        if req.method != "POST" or not req.path.startswith("/api/"):
            return 404, {"Content-Type": "text/html"}, "<h1>404</h1>"
        p = dict(req.form or {})
        sent = p.pop("hash", "")
        if p.get("apiKey") not in self.keys:
            return self._answer(BAD_KEY, "apiKey does not exist")
        try:
            stamp = float(p.get("timestamp"))
        except (TypeError, ValueError):
            return self._answer(BAD_TIME, "timestamp is invalid")
        if stamp > 1e11:  # milliseconds, as in an older copy of the signing page
            stamp /= 1000.0
        if abs(time.time() - stamp) > 600:
            return self._answer(BAD_TIME, "timestamp expired")
        if sent != published_hash(p, self.keys[p["apiKey"]]):
            return self._answer(BAD_HASH, "hash error: the signature does not match")
        if self.limited:
            return self._answer(TOO_FAST, "request too frequent, try again later")
        action = req.path.strip("/")[4:].replace("/", "_")
        return getattr(self, "_" + action, self._unknown)(p)

    def _unknown(self, p):
        return self._answer(BAD_PARAM, "unknown interface")

    def _domain_id(self, p):
        value = p.get("domainID", "")
        for domain_id, name in self.domains.items():
            if value in (str(domain_id), name):
                return domain_id
        return None

    def _domain_getsingle(self, p):
        domain_id = self._domain_id(p)
        if domain_id is None:
            return self._answer(NO_DOMAIN, "domain does not exist")
        return self._answer(0, "success", {"domainID": domain_id,
                                           "domains": self.domains[domain_id], "state": 1})

    def _record_list(self, p):
        domain_id = self._domain_id(p)
        if domain_id is None:
            return self._answer(NO_DOMAIN, "domain does not exist")
        rows = [r for r in self.recs.values() if r["domainID"] == domain_id and
                r["record"] == p.get("host", r["record"])]
        return self._answer(0, "success", {"page": 1, "pageSize": int(p.get("pageSize", 20)),
                                           "count": len(rows), "data": rows})

    def _record_create(self, p):
        domain_id = self._domain_id(p)
        if domain_id is None:
            return self._answer(NO_DOMAIN, "domain does not exist")
        if not p.get("host") or p.get("type") not in ("A", "AAAA") or not p.get("value"):
            return self._answer(BAD_PARAM, "host, type and value are required")
        rid = self.add_record(self.domains[domain_id], p["host"], p["type"], p["value"],
                              int(p.get("TTL") or 600), int(p.get("viewID") or 0))
        return self._answer(0, "success", {"recordID": rid})

    def _record_modify(self, p):
        rec = self.recs.get(int(p.get("recordID") or 0))
        if rec is None or rec["domainID"] != self._domain_id(p):
            return self._answer(NO_RECORD, "record does not exist")
        ttl = int(p.get("newTTL") or rec["TTL"])
        if rec["value"] == p.get("newvalue") and rec["TTL"] == ttl:
            self.same_value_writes += 1
        rec.update({"value": p["newvalue"], "TTL": ttl})
        return self._answer(0, "success", {"recordID": rec["recordID"]})
