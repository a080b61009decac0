"""NameSilo's API (https://www.namesilo.com/api-reference), as the `ddns` package's `namesilo`:
GET /api/OPERATION?version=1&type=json&key=KEY&... with the API key in "token" ("id" is not
used). dnsListRecords reads the zone, dnsAddRecord creates, dnsUpdateRecord (rrid) updates; an
answer is {"reply": {"code": 300, "detail": "success", ...}}, 300 being success.

The key travels in the query string: base.call logs only the path, and no message here holds a
URL. Codes 109-113 (no/invalid key, invalid user, sub-account, IP not allowed) stop all calls.
"""

from ddns_min import compat
from ddns_min.errors import APIError, RateLimited
from ddns_min.providers.base import Provider, pick, same_name, zone_candidates
from ddns_min.transport import host_of

REFUSED = (109, 110, 111, 112, 113)
NO_DOMAIN = 200  # "Domain is not active, or does not belong to this user"


class NameSilo(Provider):
    name = "namesilo"
    default_endpoint = "https://www.namesilo.com"
    needs_help = {"token": "the API key from NameSilo's API Manager"}

    def __init__(self, conf):
        super(NameSilo, self).__init__(conf)
        self.zones = {}
        self.lists = {}  # zone -> its dnsListRecords answer: one listing per zone and run

    def api(self, operation, params):
        pairs = [("version", "1"), ("type", "json"), ("key", self.conf["token"])] + params
        status, _, text = self.call("GET", "/api/%s?%s" % (operation, compat.urlencode(pairs)),
                                    {}, read=operation == "dnsListRecords")
        if status == 429:
            raise RateLimited("namesilo rate limit: HTTP 429; too many requests, retry later")
        reply = self.expect(self.decode(status, text).get("reply"), dict, "reply")
        code = self.number(reply.get("code"), "reply.code", 0)
        detail = compat.to_native(reply.get("detail") or "") \
            if isinstance(reply.get("detail"), (str, compat.text_type)) else ""
        if code == 300:
            self.answered = True
            return reply
        if code in REFUSED:
            self.refuse('namesilo refused the API key: code %d: %s; check "token" (the API key) '
                        'on %s' % (code, detail, host_of(self.endpoint)))
        if code == NO_DOMAIN:
            raise NoDomain("namesilo %s: code %d: %s" % (operation, code, detail))
        raise APIError('namesilo %s: code %d: %s (check the name in "ipv4"/"ipv6"%s)'
                       % (operation, code, detail, ' and "ttl"' if operation != "dnsListRecords"
                          else ""))

    def find(self, name, rtype, ip):
        known = self.zones.get(name)
        for zone, sub in zone_candidates(name, known):
            try:
                reply = self.lists.get(zone) or self.api("dnsListRecords", [("domain", zone)])
            except NoDomain:
                continue
            self.lists[zone] = reply  # all reads of a run come before its writes (reconcile)
            self.zones[name] = zone
            records = reply.get("resource_record") or []
            if isinstance(records, dict):  # one record: the XML-to-JSON answer drops the list
                records = [records]
            found = []
            for r in self.expect(records, list, "resource_record"):
                r = self.expect(r, dict, "resource_record[]")
                if r.get("type") == rtype and same_name(r.get("host"), name):
                    found.append({"zone": zone, "sub": sub,
                                  "id": self.ident(r.get("record_id"), "record_id"),
                                  "ip": self.expect(r.get("value"), str, "resource_record.value"),
                                  "ttl": self.number(r.get("ttl"), "resource_record.ttl")})
            return pick(found, ip, {"zone": zone, "sub": sub, "id": None})
        raise APIError('namesilo: no domain for "%s" in this account (code %d); check "ipv4"/'
                       '"ipv6"' % (name, NO_DOMAIN))

    def _params(self, rec, ip, ttl):
        params = [("domain", rec["zone"]), ("rrhost", "" if rec["sub"] == "@" else rec["sub"]),
                  ("rrvalue", ip)]
        if ttl:
            params.append(("rrttl", str(ttl)))
        return params

    def create(self, name, rtype, ip, rec):
        ttl = self.conf.get("ttl")
        reply = self.api("dnsAddRecord", [("rrtype", rtype)] + self._params(rec, ip, ttl))
        return {"zone": rec["zone"], "sub": rec["sub"], "ip": ip, "ttl": ttl or 7207,
                "id": self.ident(reply.get("record_id"), "record_id")}

    def update(self, name, rtype, ip, rec):
        ttl = self.conf.get("ttl") or rec.get("ttl")
        reply = self.api("dnsUpdateRecord", [("rrid", self.ident(rec["id"], "record_id"))] +
                         self._params(rec, ip, ttl))
        new = dict(rec)
        new["ip"], new["ttl"] = ip, ttl
        if reply.get("record_id"):  # NameSilo gives the updated record a new id
            new["id"] = self.ident(reply.get("record_id"), "record_id")
        return new


class NoDomain(APIError):
    pass
