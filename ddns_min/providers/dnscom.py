"""DNS.com / 51dns (https://www.51dns.com/document/api/index.html; `dns` "dnscom" or "51dns", as
in ddns 4.2): apiKey in "id", apiSecret in "token", "line" a viewID. Every call is a form POST to
/api/<group>/<action>/ carrying apiKey, timestamp and the MD5 "hash" of the sorted parameters
(https://www.51dns.com/document/api/70/72.html, providers/signing.py). Answers are
{"code": 0, "message", "data"}; any other code is an error. domain/getsingle finds the zone,
record/list reads the host's records (read before write), record/create and record/modify write,
and never the value a record holds. The error-code table (api/70/73) was not at hand: refusals
are told by HTTP 401/403 or a message about the key, hash, timestamp or signature.
"""

import time

from ddns_min import compat
from ddns_min.errors import APIError, RateLimited, RecordGone
from ddns_min.providers.base import Provider, pick, same_name, zone_candidates
from ddns_min.providers.signing import digest, dnscom_hash
from ddns_min.transport import host_of

AUTH_WORDS = ("apikey", "api key", "hash", "sign", "secret", "timestamp", "auth", "permission")
RATE_WORDS = ("frequen", "too many", "rate limit", "limit exceeded")
GONE_WORDS = ("record not exist", "record does not exist", "recordid")


class DNSCom(Provider):
    name = "dnscom"
    default_endpoint = "https://www.51dns.com"
    needs = ("id", "token")
    needs_help = {"id": "the apiKey", "token": "the apiSecret"}

    def __init__(self, conf):
        super(DNSCom, self).__init__(conf)
        self.zones = {}  # name -> (zone, domainID)

    @classmethod
    def check(cls, conf):
        digest("md5", b"")  # a build without md5 cannot sign: say so before any request

    def api(self, action, params, read=False):
        pairs = [(k, v if isinstance(v, (str, compat.text_type)) else str(v))
                 for k, v in params if v is not None]
        pairs += [("apiKey", self.conf["id"]), ("timestamp", str(int(time.time())))]
        pairs.append(("hash", dnscom_hash(pairs, self.conf["token"])))
        status, _, text = self.call("POST", "/api/%s/" % action,
                                    {"Content-Type": "application/x-www-form-urlencoded",
                                     "Accept": "application/json"},
                                    compat.urlencode(pairs), read=read)
        if status in (401, 403):
            self.refuse('dnscom refused the credentials (HTTP %s); check "id" (apiKey) and '
                        '"token" (apiSecret) on %s' % (status, host_of(self.endpoint)))
        if status == 429:
            raise RateLimited("dnscom rate limit (HTTP 429)")
        data = self.decode(status, text)
        code = data.get("code")
        code = compat.to_native(code) if isinstance(code, (str, compat.text_type)) else str(code)
        if code == "0":
            self.answered = True
            return data.get("data")
        message = compat.to_native(data.get("message") or data.get("msg") or "no message")
        detail = "[%s] %s" % (code, message)
        low = message.lower()
        if [w for w in AUTH_WORDS if w in low]:
            self.refuse('dnscom refused the credentials: %s; check "id" (apiKey) and "token" '
                        '(apiSecret), and the clock' % detail)
        if [w for w in RATE_WORDS if w in low]:
            raise RateLimited("dnscom rate limit: " + detail)
        if action == "domain/getsingle":
            raise NoDomain("dnscom: " + detail)
        if action == "record/modify" and [w for w in GONE_WORDS if w in low]:
            raise RecordGone("dnscom: " + detail)
        raise APIError("dnscom %s: %s" % (action, detail))

    def _zone(self, name):
        if name in self.zones:
            return self.zones[name]
        last = None
        for zone, sub in zone_candidates(name):
            try:
                data = self.api("domain/getsingle", [("domainID", zone)], read=True)
            except NoDomain as exc:
                last = exc
                continue
            data = self.expect(data, dict, "data")
            self.zones[name] = (zone, sub, self.ident(data.get("domainID"), "data.domainID"))
            return self.zones[name]
        raise APIError('dnscom: no domain for "%s" in this account%s'
                       % (name, " (%s)" % last if last else ""))

    def find(self, name, rtype, ip):
        zone, sub, domain_id = self._zone(name)
        data = self.api("record/list", [("domainID", domain_id), ("host", sub),
                                        ("pageSize", 500)], read=True) or {}
        rows = self.expect(self.expect(data, dict, "data").get("data") or [], list, "data.data")
        line = self.conf.get("line")
        found = []
        for r in rows:
            r = self.expect(r, dict, "data.data[]")
            if r.get("type") == rtype and same_name(r.get("record"), sub) and \
                    (not line or str(r.get("viewID")) == str(line)):
                found.append({"zone": zone, "sub": sub, "domain_id": domain_id,
                              "id": self.ident(r.get("recordID"), "recordID"),
                              "ip": self.expect(r.get("value"), str, "data.data[].value"),
                              "ttl": self.number(r.get("TTL"), "data.data[].TTL")})
        return pick(found, ip, {"zone": zone, "sub": sub, "domain_id": domain_id, "id": None})

    def create(self, name, rtype, ip, rec):
        data = self.api("record/create", [
            ("domainID", rec["domain_id"]), ("host", rec["sub"]), ("type", rtype),
            ("value", ip), ("TTL", self.conf.get("ttl")), ("viewID", self.conf.get("line"))])
        data = self.expect(data, dict, "data")
        new = dict(rec)
        new.update({"id": self.ident(data.get("recordID"), "data.recordID"), "ip": ip,
                    "ttl": self.conf.get("ttl")})
        return new

    def update(self, name, rtype, ip, rec):
        ttl = self.conf.get("ttl") or rec.get("ttl")
        self.api("record/modify", [("domainID", rec["domain_id"]), ("recordID", rec["id"]),
                                   ("newvalue", ip), ("newTTL", ttl)])
        new = dict(rec)
        new["ip"], new["ttl"] = ip, ttl
        return new


class NoDomain(APIError):
    pass
