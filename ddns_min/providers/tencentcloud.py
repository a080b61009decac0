"""DNSPod through Tencent Cloud API 3.0 (dnspod.tencentcloudapi.com, version 2021-03-23), which
DNSPod now recommends over its token API. SecretId in "id", SecretKey in "token".

Requests are signed with TC3-HMAC-SHA256 (providers/signing.py). Like the token API, a record is read before it is modified and
never set to the value it holds.
"""

from ddns_min import compat
from ddns_min.errors import APIError, RecordGone
from ddns_min.providers.base import Provider, pick, same_name, sub_name, zone_candidates
from ddns_min.providers.signing import tc3_call

SERVICE, VERSION = "dnspod", "2021-03-23"
LIST_LIMIT = 100  # records per DescribeRecordList page when a whole domain is listed
# The default line's name, which CreateRecord requires ("\u9ed8\u8ba4"); decoded from JSON so that
# it is text on every runtime without a non-ASCII source file.
DEFAULT_LINE = compat.json_loads('"\\u9ed8\\u8ba4"')


class TencentCloud(Provider):
    name = "tencentcloud"
    default_endpoint = "https://dnspod.tencentcloudapi.com"
    needs = ("id", "token")
    needs_help = {"id": "the SecretId", "token": "the SecretKey"}

    def __init__(self, conf):
        super(TencentCloud, self).__init__(conf)
        self.zones = {}

    def api(self, action, params):
        resp, code, detail = tc3_call(self, SERVICE, VERSION, action, params)
        if code is None:
            return resp
        if code == "ResourceNotFound.NoDataOfRecord":
            return {"RecordList": []}
        if "DomainNotExists" in code or "NoDataOfDomain" in code:
            raise NoDomain("tencentcloud: " + detail)
        if "RecordNotExists" in code or "RecordIdInvalid" in code:
            raise RecordGone("tencentcloud: " + detail)
        raise APIError("tencentcloud %s: %s" % (action, detail))

    def prefetch(self, wanted):
        """One listing of each domain with two or more names to read (base.list_domains)."""
        self.list_domains(wanted, self._list_domain, NoDomain)

    def _list_domain(self, zone, names):
        wanted = set((sub_name(n, zone).lower(), t) for n, t in names)
        types = set(t for _, t in names)
        params = {"Domain": zone, "Limit": LIST_LIMIT}
        if len(types) == 1:
            params["RecordType"] = list(types)[0]

        def page_of(n):
            params["Offset"] = n * LIST_LIMIT
            resp = self.api("DescribeRecordList", params)
            info = self.expect(resp.get("RecordCountInfo") or {}, dict, "RecordCountInfo")
            total = self.number(info.get("TotalCount"), "RecordCountInfo.TotalCount", 0)
            found = []
            for r in self.expect(resp.get("RecordList") or [], list, "RecordList"):
                r = self.expect(r, dict, "RecordList[]")
                sub = self.expect(r.get("Name"), str, "RecordList[].Name")
                found.append((sub, r.get("Type"), self._rec(zone, sub, r)))
            return found, max(1, (total + LIST_LIMIT - 1) // LIST_LIMIT)
        self.list_zone(zone, wanted, page_of)
        return zone

    def find(self, name, rtype, ip):
        known = self.zones.get(name)
        if known in self.listing:
            sub = sub_name(name, known)
            return self.listed(known, sub, rtype, ip, {"zone": known, "sub": sub, "id": None})
        for zone, sub in zone_candidates(name, known):
            try:
                resp = self.api("DescribeRecordList", {"Domain": zone, "Subdomain": sub,
                                                       "RecordType": rtype})
            except NoDomain:
                continue
            self.zones[name] = zone
            found = []
            for r in self.expect(resp.get("RecordList") or [], list, "RecordList"):
                r = self.expect(r, dict, "RecordList[]")
                if r.get("Type") == rtype and same_name(r.get("Name"), sub):
                    found.append(self._rec(zone, sub, r))
            return pick(found, ip, {"zone": zone, "sub": sub, "id": None})
        raise APIError('tencentcloud: no domain for "%s" in this account' % name)

    def create(self, name, rtype, ip, rec):
        params = {"Domain": rec["zone"], "SubDomain": rec["sub"], "RecordType": rtype,
                  "RecordLine": self.conf.get("line") or DEFAULT_LINE, "Value": ip}
        if not self.conf.get("line"):
            params["RecordLineId"] = "0"
        if self.conf.get("ttl"):
            params["TTL"] = self.conf["ttl"]
        resp = self.api("CreateRecord", params)
        return {"zone": rec["zone"], "sub": rec["sub"],
                "id": self.number(resp.get("RecordId"), "RecordId"), "ip": ip,
                "ttl": self.conf.get("ttl") or 600, "line": params["RecordLine"],
                "line_id": params.get("RecordLineId")}

    def update(self, name, rtype, ip, rec):
        params = {"Domain": rec["zone"], "SubDomain": rec["sub"], "RecordType": rtype,
                  "RecordLine": rec.get("line") or DEFAULT_LINE, "Value": ip,
                  "RecordId": rec["id"]}
        if rec.get("line_id"):
            params["RecordLineId"] = rec["line_id"]
        ttl = self.conf.get("ttl") or rec.get("ttl")
        if ttl:
            params["TTL"] = ttl
        self.api("ModifyRecord", params)
        new = dict(rec)
        new["ip"], new["ttl"] = ip, ttl
        return new

    def _rec(self, zone, sub, r):
        line_id = r.get("LineId")
        return {"zone": zone, "sub": sub, "id": self.number(r.get("RecordId"), "RecordId"),
                "ip": self.expect(r.get("Value"), str, "RecordList[].Value"),
                "ttl": self.number(r.get("TTL"), "RecordList[].TTL"),
                "line": compat.to_native(r.get("Line")) if isinstance(r.get("Line"), (
                    str, compat.text_type)) else None,
                "line_id": self.ident(line_id, "LineId", "-_=") if line_id else None}


class NoDomain(APIError):
    pass
