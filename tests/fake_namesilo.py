"""An emulator of NameSilo's API (https://www.namesilo.com/api-reference) for the DNS operations:
GET /api/dnsListRecords|dnsAddRecord|dnsUpdateRecord?version=1&type=json&key=KEY&domain=D...
Answers {"request": {"operation", "ip"}, "reply": {"code", "detail", ...}} with the documented
codes: 300 success, 109 no key, 110 invalid key, 200 domain not in this account, 280 DNS
modification error. Listed records carry the FULL host name ("home.example.com"), as NameSilo's
listing does; rrhost on writes is the part before the domain ("" for the apex)."""
import json
import uuid

from fake_http import Emulator

OPERATIONS = ("dnsListRecords", "dnsAddRecord", "dnsUpdateRecord", "getDomainInfo")


class NameSiloEmulator(Emulator):
    def __init__(self):
        super(NameSiloEmulator, self).__init__()
        self.keys = set()
        self.domains = set()
        self.recs = {}  # record_id -> {"record_id", "type", "host", "value", "ttl", "distance"}
        self.same_value_writes = 0
        self.code_as_text = False  # some answers carry "300" as text

    def add_record(self, host, rtype, value, ttl=7207):
        rid = uuid.uuid4().hex
        self.recs[rid] = {"record_id": rid, "type": rtype, "host": host, "value": value,
                          "ttl": str(ttl), "distance": 0}
        return rid

    def records(self, host=None):
        return [r for r in self.recs.values() if host is None or r["host"] == host]

    def _reply(self, operation, code, detail, **extra):
        reply = {"code": str(code) if self.code_as_text else code, "detail": detail}
        reply.update(extra)
        return 200, {"Content-Type": "application/json"}, json.dumps(
            {"request": {"operation": operation, "ip": "127.0.0.1"}, "reply": reply})

    def handle(self, req):
        op = req.path[len("/api/"):] if req.path.startswith("/api/") else ""
        q = req.query
        if req.method != "GET" or op not in OPERATIONS:
            return self._reply(op, 107, "Invalid API operation")
        if q.get("version") != "1":
            return self._reply(op, 102, "No version specified")
        if q.get("type") not in ("json", "xml"):
            return self._reply(op, 104, "No type specified")
        if not q.get("key"):
            return self._reply(op, 109, "No API key specified")
        if q["key"] not in self.keys:
            return self._reply(op, 110, "Invalid API Key")
        domain = q.get("domain")
        if not domain:
            return self._reply(op, 108, "Missing parameters for the specified operation")
        if domain not in self.domains:
            return self._reply(op, 200, "Domain is not active, or does not belong to this user")
        return getattr(self, "_" + op)(op, domain, q)

    def _getDomainInfo(self, op, domain, q):  # how the ddns package finds the zone
        return self._reply(op, 300, "success", created="2020-01-01", expires="2030-01-01",
                           status="Active", locked="Yes", private="Yes", auto_renew="No",
                           traffic_type="Custom DNS", forward_url="N/A", forward_type="N/A",
                           nameservers=[], contact_ids={})

    def _dnsListRecords(self, op, domain, q):
        mine = [dict(r) for r in self.recs.values()
                if r["host"] == domain or r["host"].endswith("." + domain)]
        return self._reply(op, 300, "success", resource_record=mine)

    def _host(self, domain, q):
        return (q["rrhost"] + "." + domain) if q.get("rrhost") else domain

    def _ttl(self, q, default):
        ttl = q.get("rrttl") or default
        return ttl if str(ttl).isdigit() and 3600 <= int(ttl) <= 2592001 else None

    def _dnsAddRecord(self, op, domain, q):
        if not q.get("rrtype") or not q.get("rrvalue") or "rrhost" not in q:
            return self._reply(op, 108, "Missing parameters for the specified operation")
        ttl = self._ttl(q, "7207")
        if ttl is None:
            return self._reply(op, 280, "DNS modification error: invalid TTL")
        rid = self.add_record(self._host(domain, q), q["rrtype"], q["rrvalue"], ttl)
        return self._reply(op, 300, "success", record_id=rid)

    def _dnsUpdateRecord(self, op, domain, q):
        rec = self.recs.get(q.get("rrid"))
        if rec is None or not q.get("rrvalue") or "rrhost" not in q:
            return self._reply(op, 280, "DNS modification error: record not found")
        ttl = self._ttl(q, rec["ttl"])
        if ttl is None:
            return self._reply(op, 280, "DNS modification error: invalid TTL")
        if rec["value"] == q["rrvalue"] and rec["ttl"] == str(ttl):
            self.same_value_writes += 1
        del self.recs[rec["record_id"]]  # NameSilo answers an update with a new record id
        rid = self.add_record(self._host(domain, q), rec["type"], q["rrvalue"], ttl)
        return self._reply(op, 300, "success", record_id=rid)
