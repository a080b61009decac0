"""An emulator of Huawei Cloud DNS behind its API Gateway, from Huawei's documentation:
- every request's SDK-HMAC-SHA256 signature checked with Python's own hmac/hashlib, following
  https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-algorithm-002.html (canonical
  request: method, path ending in "/", sorted URI-encoded query, signed headers, body hash),
  -003 (string to sign) and -004/-005 (signature, "SDK-HMAC-SHA256 Access=, SignedHeaders=,
  Signature=" header); X-Sdk-Date at most 15 minutes off;
- gateway refusals as
  https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-errorcode.html lists them:
  HTTP 401 APIGW.0301 (IAM AK/SK), 429 APIGW.0308 (throttling), 404 APIGW.0101 (no such API),
  body {"error_msg", "error_code", "request_id"};
- the DNS API (https://support.huaweicloud.com/intl/en-us/api-dns/): ListPublicZones
  GET /v2/zones, ShowRecordSetByZone GET /v2.1/zones/{zone_id}/recordsets, CreateRecordSetWithLine
  POST /v2.1/zones/{zone_id}/recordsets, UpdateRecordSet PUT /v2.1/zones/{zone_id}/recordsets/{id};
  its errors {"code": "DNS.xxxx", "message"} (api-dns/ErrorCode.html)."""
import calendar
import hashlib
import hmac
import json
import time
import uuid

try:
    from urllib.parse import parse_qsl, quote, urlsplit
except ImportError:  # Python 2
    from urllib import quote
    from urlparse import parse_qsl, urlsplit

from fake_http import Emulator


def _enc(value):
    if not isinstance(value, bytes):
        value = value.encode("utf-8")
    return quote(value, safe="~")


def canonical_request(method, target, headers, body, signed_names):
    parts = urlsplit(target)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    pairs = sorted((_enc(k), _enc(v)) for k, v in parse_qsl(parts.query, True))
    query = "&".join("%s=%s" % kv for kv in pairs)
    canonical_headers = "".join("%s:%s\n" % (n, headers.get(n, "").strip())
                                for n in signed_names)
    return "\n".join([method, path, query, canonical_headers, ";".join(signed_names),
                      hashlib.sha256(body).hexdigest()])


def signature(secret, date, canonical):
    to_sign = "SDK-HMAC-SHA256\n%s\n%s" % (date,
                                           hashlib.sha256(canonical.encode("utf-8")).hexdigest())
    return hmac.new(secret.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


class HuaweiDNSEmulator(Emulator):
    def __init__(self):
        super(HuaweiDNSEmulator, self).__init__()
        self.keys = {}       # AK -> SK
        self.zones = {}      # zone name with the final dot -> zone id
        self.recs = {}       # id -> record set
        self.throttle = False
        self.same_value_writes = 0

    def add_zone(self, name):
        self.zones[name.rstrip(".") + "."] = uuid.uuid4().hex
        return self.zones[name.rstrip(".") + "."]

    def add_record(self, name, rtype, values, ttl=300, line="default_view"):
        name = name.rstrip(".") + "."
        zone = [z for z in self.zones if name == z or name.endswith("." + z)][0]
        rid = uuid.uuid4().hex
        self.recs[rid] = {"id": rid, "name": name, "type": rtype, "records": list(values),
                          "ttl": ttl, "line": line, "zone_id": self.zones[zone],
                          "zone_name": zone, "status": "ACTIVE", "description": None,
                          "default": False, "weight": 1, "project_id": "p" * 32,
                          "created_at": "2026-01-01T00:00:00.000", "updated_at": None,
                          "links": {"self": "https://dns.example/v2.1/zones/%s/recordsets/%s"
                                    % (self.zones[zone], rid)}}
        return rid

    def records(self, name=None):
        return [r for r in self.recs.values()
                if name is None or r["name"] == name.rstrip(".") + "."]

    def _json(self, status, body):
        return status, {"Content-Type": "application/json"}, json.dumps(body)

    def _gateway(self, status, code, msg):
        return self._json(status, {"error_msg": msg, "error_code": code,
                                   "request_id": uuid.uuid4().hex})

    def _dns(self, status, code, msg):
        return self._json(status, {"code": code, "message": msg})

    def handle(self, req):
        if self.throttle:
            return self._gateway(429, "APIGW.0308", "The throttling threshold has been reached: "
                                 "policy user over ratelimit,limit:5,time:1 second")
        auth = req.headers.get("authorization", "")
        try:
            algo, rest = auth.split(" ", 1)
            fields = dict(p.strip().split("=", 1) for p in rest.split(","))
            ak, signed, sig = fields["Access"], fields["SignedHeaders"], fields["Signature"]
            date = req.headers["x-sdk-date"]
            when = calendar.timegm(time.strptime(date, "%Y%m%dT%H%M%SZ"))
        except (ValueError, KeyError):
            return self._gateway(401, "APIGW.0301", "Incorrect IAM authentication information: "
                                 "Authorization format incorrect")
        names = signed.split(";")
        if algo != "SDK-HMAC-SHA256" or "host" not in names or "x-sdk-date" not in names or \
                names != sorted(names):
            return self._gateway(401, "APIGW.0301", "Incorrect IAM authentication information: "
                                 "verify aksk signature fail")
        if ak not in self.keys:
            return self._gateway(401, "APIGW.0301", "Incorrect IAM authentication information: "
                                 "Get secretKey failed,ak:%s,err:ak not exist" % ak)
        if abs(time.time() - when) > 900:
            return self._gateway(401, "APIGW.0301", "Incorrect IAM authentication information: "
                                 "request expired")
        expected = signature(self.keys[ak], date, canonical_request(req.method, req.target,
                                                                    req.headers, req.raw, names))
        if not hmac.compare_digest(sig, expected):
            return self._gateway(401, "APIGW.0301", "Incorrect IAM authentication information: "
                                 "verify aksk signature fail")
        parts = req.path.strip("/").split("/")
        if req.method == "GET" and parts == ["v2", "zones"]:
            return self._list_zones(req.query)
        if len(parts) in (4, 5) and parts[0] == "v2.1" and parts[1] == "zones" and \
                parts[3] == "recordsets":
            zone = [z for z, zid in self.zones.items() if zid == parts[2]]
            if not zone:
                return self._dns(404, "DNS.0101", "The zone does not exist.")
            if len(parts) == 4 and req.method == "GET":
                return self._list_records(parts[2], req.query)
            if len(parts) == 4 and req.method == "POST":
                return self._create(zone[0], req.json or {})
            if len(parts) == 5 and req.method == "PUT":
                return self._update(parts[2], parts[4], req.json or {})
        return self._gateway(404, "APIGW.0101", "The API does not exist or has not been "
                             "published in the environment")

    @staticmethod
    def _match(value, wanted, mode):
        if wanted is None:
            return True
        if mode == "equal":
            return value.rstrip(".") == wanted.rstrip(".")
        return wanted.rstrip(".") in value

    def _list_zones(self, q):
        if q.get("type", "public") != "public":
            return self._json(200, {"zones": [], "metadata": {"total_count": 0}})
        zones = [{"id": zid, "name": name, "zone_type": "public", "status": "ACTIVE",
                  "ttl": 300, "email": "hostmaster@" + name.rstrip("."), "record_num": 2,
                  "serial": 1, "description": None, "pool_id": "x" * 32,
                  "project_id": "p" * 32}
                 for name, zid in sorted(self.zones.items())
                 if self._match(name, q.get("name"), q.get("search_mode"))]
        return self._json(200, {"links": {"self": "https://dns.example/v2/zones"},
                                "zones": zones, "metadata": {"total_count": len(zones)}})

    def _list_records(self, zone_id, q):
        """ListRecordSetsByZone (GET /v2.1/zones/{zone_id}/recordsets): filters name (with
        search_mode), type and line_id; limit 0-500 (500 when unset), offset from 0;
        metadata.total_count is the number of record sets matching, before the page is cut."""
        found = sorted((r for r in self.recs.values() if r["zone_id"] == zone_id and
                        self._match(r["name"], q.get("name"), q.get("search_mode")) and
                        r["type"] == q.get("type", r["type"]) and
                        r["line"] == q.get("line_id", r["line"])),
                       key=lambda r: (r["name"], r["type"], r["id"]))
        try:
            limit, offset = int(q.get("limit", 500)), int(q.get("offset", 0))
        except ValueError:
            limit = offset = -1
        if not 0 <= limit <= 500 or offset < 0:
            return self._dns(400, "DNS.0303", "Invalid paging parameters.")
        return self._json(200, {"links": {"self": "https://dns.example/v2.1/recordsets"},
                                "recordsets": found[offset:offset + limit],
                                "metadata": {"total_count": len(found)}})

    def _create(self, zone, body):
        name, rtype, values = body.get("name", ""), body.get("type"), body.get("records")
        if not (name.rstrip(".") + ".").endswith(zone) or rtype not in ("A", "AAAA") or \
                not isinstance(values, list) or not values:
            return self._dns(400, "DNS.0002", "Invalid request.")
        line = body.get("line", "default_view")
        if [r for r in self.recs.values() if r["name"] == name.rstrip(".") + "." and
                r["type"] == rtype and r["line"] == line]:
            return self._dns(400, "DNS.0312", "Attribute 'name' conflicts with an existing "
                             "record set.")
        rid = self.add_record(name, rtype, values, body.get("ttl", 300), line)
        rec = dict(self.recs[rid], status="PENDING_CREATE")
        return self._json(202, rec)

    def _update(self, zone_id, rid, body):
        rec = self.recs.get(rid)
        if rec is None or rec["zone_id"] != zone_id:
            return self._dns(404, "DNS.0004", "No record sets found.")
        if "line" in body:  # UpdateRecordSet has no line
            return self._dns(400, "DNS.0002", "Invalid request.")
        values = body.get("records", rec["records"])
        ttl = body.get("ttl", rec["ttl"])
        if values == rec["records"] and ttl == rec["ttl"]:
            self.same_value_writes += 1
        rec.update({"records": values, "ttl": ttl, "updated_at": "2026-01-02T00:00:00.000"})
        return self._json(202, dict(rec, status="PENDING_UPDATE"))
