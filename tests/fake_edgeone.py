# -*- coding: utf-8 -*-
"""An emulator of Tencent Cloud EdgeOne's API 3.0 (teo, 2022-09-01): sites (DescribeZones),
acceleration domains (Describe/Create/ModifyAccelerationDomain[s]) and DNS records
(Describe/CreateDnsRecord[s], ModifyDnsRecords), built from the API docs
(https://cloud.tencent.com/document/api/1552/80731 and the tccli examples of each action). Every
request's TC3-HMAC-SHA256 signature is recomputed here with Python's own hmac over the headers the
client says it signed, as https://cloud.tencent.com/document/api/1427/56189 describes; answers use
the API's envelope {"Response": {..., "RequestId"}} / {"Response": {"Error": {Code, Message}}}."""
import hashlib
import hmac
import json
import time
import uuid

from fake_http import Emulator

VERSION = "2022-09-01"
# Parameters each action takes (the docs' input tables); anything else -> UnknownParameter
PARAMS = {
    "DescribeZones": ("Offset", "Limit", "Filters", "Order", "Direction"),
    "DescribeAccelerationDomains": ("ZoneId", "Offset", "Limit", "Filters", "Order",
                                    "Direction", "Match"),
    "CreateAccelerationDomain": ("ZoneId", "DomainName", "OriginInfo", "OriginProtocol",
                                 "HttpOriginPort", "HttpsOriginPort", "IPv6Status"),
    "ModifyAccelerationDomain": ("ZoneId", "DomainName", "OriginInfo", "OriginProtocol",
                                 "HttpOriginPort", "HttpsOriginPort", "IPv6Status"),
    "DescribeDnsRecords": ("ZoneId", "Offset", "Limit", "Filters", "SortBy", "SortOrder",
                           "Match"),
    "CreateDnsRecord": ("ZoneId", "Name", "Type", "Content", "Location", "TTL", "Weight",
                        "Priority"),
    "ModifyDnsRecords": ("ZoneId", "DnsRecords"),
}
FIELDS = {  # filter name -> field of the listed object
    "DescribeZones": {"zone-name": "ZoneName", "zone-id": "ZoneId", "status": "Status"},
    "DescribeAccelerationDomains": {"domain-name": "DomainName",
                                    "origin-type": ("OriginDetail", "OriginType"),
                                    "origin": ("OriginDetail", "Origin"),
                                    "domain-status": "DomainStatus"},
    "DescribeDnsRecords": {"id": "RecordId", "name": "Name", "content": "Content",
                           "type": "Type", "ttl": "TTL"},
}


def signature(secret_key, service, headers, signed_headers, payload, timestamp):
    date = time.strftime("%Y-%m-%d", time.gmtime(timestamp))
    canonical_headers = "".join("%s:%s\n" % (h, headers.get(h, "").strip().lower())
                                for h in signed_headers.split(";"))
    canonical = "\n".join(["POST", "/", "", canonical_headers, signed_headers,
                           hashlib.sha256(payload).hexdigest()])
    scope = "%s/%s/tc3_request" % (date, service)
    to_sign = "\n".join(["TC3-HMAC-SHA256", str(timestamp), scope,
                         hashlib.sha256(canonical.encode("utf-8")).hexdigest()])

    def h(key, msg):
        return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()
    key = h(h(h(("TC3" + secret_key).encode("utf-8"), date), service), "tc3_request")
    return hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def _field(obj, path):
    for part in (path if isinstance(path, tuple) else (path,)):
        obj = (obj or {}).get(part)
    return obj


class EdgeOneEmulator(Emulator):
    def __init__(self):
        super(EdgeOneEmulator, self).__init__()
        self.keys = {}      # SecretId -> SecretKey
        self.zones = {}     # ZoneName -> ZoneId
        self.domains = {}   # DomainName -> acceleration domain
        self.recs = {}      # RecordId -> DNS record
        self.n = 0
        self.same_value_writes = 0
        self.limited = 0    # answer this many next requests with RequestLimitExceeded

    def add_zone(self, name):
        self.n += 1
        self.zones[name] = "zone-%dab%d" % (self.n, self.n)
        return self.zones[name]

    def zone_of(self, name):
        return max((z for z in self.zones if name == z or name.endswith("." + z)), key=len)

    def add_domain(self, name, origin, kind="IP_DOMAIN", backup=""):
        zone = self.zone_of(name)
        self.domains[name] = {
            "ZoneId": self.zones[zone], "DomainName": name, "DomainStatus": "online",
            "OriginDetail": {"OriginType": kind, "Origin": origin, "BackupOrigin": backup,
                             "PrivateParameters": [], "PrivateAccess": "",
                             "OriginGroupName": "", "BackOriginGroupName": ""},
            "IdentificationStatus": "finished", "Cname": name + ".eo.dnse3.com",
            "CreatedOn": "2026-01-01T00:00:00Z", "ModifiedOn": "2026-01-01T00:00:00Z"}

    def add_record(self, name, rtype, content, ttl=300):
        zone = self.zone_of(name)
        self.n += 1
        rid = "record-%dxy%d" % (self.n, self.n)
        self.recs[rid] = {"ZoneId": self.zones[zone], "RecordId": rid, "Name": name,
                          "Type": rtype, "Location": "Default", "Content": content, "TTL": ttl,
                          "Weight": -1, "Priority": 0, "Status": "enable",
                          "CreatedOn": "2026-01-01T00:00:00Z",
                          "ModifiedOn": "2026-01-01T00:00:00Z"}
        return rid

    def records(self, name=None):
        return [r for r in self.recs.values() if name is None or r["Name"] == name]

    def _ok(self, **body):
        body["RequestId"] = str(uuid.uuid4())
        return 200, {"Content-Type": "application/json"}, json.dumps({"Response": body})

    def _error(self, code, message):
        return self._ok(Error={"Code": code, "Message": message})

    def handle(self, req):
        if self.limited:
            self.limited -= 1
            return self._error("RequestLimitExceeded", u"请求的次数超过了频率限制。")
        auth = req.headers.get("authorization", "")
        action = req.headers.get("x-tc-action", "")
        try:
            algorithm, rest = auth.split(" ", 1)
            cred = rest.split("Credential=")[1].split(",")[0]
            secret_id, date, service, tail = cred.split("/")
            signed = rest.split("SignedHeaders=")[1].split(",")[0].strip()
            sig = rest.split("Signature=")[1].strip()
            timestamp = int(req.headers["x-tc-timestamp"])
        except (IndexError, KeyError, ValueError):
            return self._error("AuthFailure.SignatureFailure", "The request signature is bad")
        if algorithm != "TC3-HMAC-SHA256" or service != "teo" or tail != "tc3_request" or \
                "content-type" not in signed.split(";") or "host" not in signed.split(";"):
            return self._error("AuthFailure.SignatureFailure", "The request signature is bad")
        if secret_id not in self.keys:
            return self._error("AuthFailure.SecretIdNotFound", "The SecretId is not found")
        if abs(time.time() - timestamp) > 300:
            return self._error("AuthFailure.SignatureExpire", "Signature expired")
        if date != time.strftime("%Y-%m-%d", time.gmtime(timestamp)) or sig != signature(
                self.keys[secret_id], "teo", req.headers, signed, req.raw, timestamp):
            return self._error("AuthFailure.SignatureFailure",
                               "The provided credentials could not be validated")
        if req.headers.get("x-tc-version") != VERSION:
            return self._error("NoSuchVersion", "The API version does not exist")
        if action not in PARAMS:
            return self._error("InvalidAction", "The action does not exist")
        params = req.json
        if not isinstance(params, dict):
            return self._error("InvalidParameter", "The body is not a JSON object")
        for key in params:
            if key not in PARAMS[action]:
                return self._error("UnknownParameter",
                                   "The parameter `%s` is not recognized" % key)
        zone_id = params.get("ZoneId")
        if action != "DescribeZones" and zone_id not in self.zones.values():
            return self._error("ResourceNotFound", "The zone %s does not exist" % zone_id)
        return getattr(self, "_" + action)(params)

    def _filtered(self, action, items, filters):
        for f in filters or []:
            field, values = FIELDS[action][f["Name"]], [str(v) for v in f["Values"]]
            if f.get("Fuzzy"):
                items = [i for i in items if any(v in str(_field(i, field)) for v in values)]
            else:
                items = [i for i in items if str(_field(i, field)) in values]
        return items

    def _DescribeZones(self, p):
        zones = [{"ZoneId": zid, "ZoneName": name, "Status": "active", "Type": "full",
                  "Paused": False, "NameServers": ["a.teodns.com", "b.teodns.com"]}
                 for name, zid in self.zones.items()]
        found = self._filtered("DescribeZones", zones, p.get("Filters"))
        return self._ok(TotalCount=len(found), Zones=found[:p.get("Limit", 20)])

    def _DescribeAccelerationDomains(self, p):
        found = [d for d in self.domains.values() if d["ZoneId"] == p["ZoneId"]]
        found = self._filtered("DescribeAccelerationDomains", found, p.get("Filters"))
        return self._ok(TotalCount=len(found), AccelerationDomains=found)

    def _origin(self, info):
        if not isinstance(info, dict) or not info.get("OriginType") or not info.get("Origin"):
            return None
        return {"OriginType": info["OriginType"].upper(), "Origin": info["Origin"],
                "BackupOrigin": info.get("BackupOrigin", ""), "PrivateParameters": [],
                "PrivateAccess": "", "OriginGroupName": "", "BackOriginGroupName": ""}

    def _CreateAccelerationDomain(self, p):
        origin = self._origin(p.get("OriginInfo"))
        if origin is None or not p.get("DomainName"):
            return self._error("MissingParameter", "DomainName and OriginInfo are required")
        if self.zones[self.zone_of(p["DomainName"])] != p["ZoneId"]:
            return self._error("InvalidParameter.DomainNotInZone", "The name is not in the zone")
        if p["DomainName"] in self.domains:
            return self._error("ResourceInUse.Others", "The domain is already in use")
        self.add_domain(p["DomainName"], origin["Origin"], origin["OriginType"],
                        origin["BackupOrigin"])
        return self._ok()

    def _ModifyAccelerationDomain(self, p):
        dom = self.domains.get(p.get("DomainName"))
        if dom is None or dom["ZoneId"] != p["ZoneId"]:
            return self._error("ResourceNotFound", "The acceleration domain does not exist")
        origin = self._origin(p.get("OriginInfo"))
        if origin is not None:
            if origin["Origin"] == dom["OriginDetail"]["Origin"]:
                self.same_value_writes += 1
            dom["OriginDetail"] = origin
        return self._ok()

    def _DescribeDnsRecords(self, p):
        """Offset from 0, Limit 20 by default and at most 1000; TotalCount counts the records
        the filters match, before the page is cut."""
        found = sorted((r for r in self.recs.values() if r["ZoneId"] == p["ZoneId"]),
                       key=lambda r: int(r["RecordId"].split("xy")[-1]))
        found = self._filtered("DescribeDnsRecords", found, p.get("Filters"))
        offset, limit = p.get("Offset", 0), p.get("Limit", 20)
        if not isinstance(offset, int) or not isinstance(limit, int) or offset < 0 or \
                not 0 <= limit <= 1000:
            return self._error("InvalidParameter", "Offset or Limit is out of range")
        return self._ok(TotalCount=len(found), DnsRecords=found[offset:offset + limit])

    def _CreateDnsRecord(self, p):
        if not (p.get("Name") and p.get("Type") and p.get("Content")):
            return self._error("MissingParameter", "Name, Type and Content are required")
        if self.zones[self.zone_of(p["Name"])] != p["ZoneId"]:
            return self._error("InvalidParameter.DomainNotInZone", "The name is not in the zone")
        ttl = p.get("TTL", 300)
        if not 60 <= ttl <= 86400:
            return self._error("InvalidParameter.InvalidTTL", "TTL must be 60..86400")
        return self._ok(RecordId=self.add_record(p["Name"], p["Type"], p["Content"], ttl))

    def _ModifyDnsRecords(self, p):
        for change in p.get("DnsRecords") or []:
            rec = self.recs.get(change.get("RecordId"))
            if rec is None or rec["ZoneId"] != p["ZoneId"]:
                return self._error("ResourceNotFound", "The DNS record does not exist")
            if change.get("Content", rec["Content"]) == rec["Content"] and \
                    change.get("TTL", rec["TTL"]) == rec["TTL"]:
                self.same_value_writes += 1
            for key in ("Name", "Type", "Content", "TTL", "Location", "Weight", "Priority"):
                if key in change:
                    rec[key] = change[key]
        return self._ok()
