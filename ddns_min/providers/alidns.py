"""Alibaba Cloud DNS (alidns.aliyuncs.com, API version 2015-01-09,
https://www.alibabacloud.com/help/en/dns/api-alidns-2015-01-09-dir-parsing-records). AccessKey ID
in "id", AccessKey secret in "token", "line" is the record's Line ("default" when unset).

Every call is an RPC-style POST with its parameters in the query string, signed with
ACS3-HMAC-SHA256 (providers/signing.py). DescribeSubDomainRecords reads the record first;
AddDomainRecord creates it; UpdateDomainRecord (which refuses a write of the values the record
holds with DomainRecordDuplicate) is only sent when the address or the ttl differs.
"""

from ddns_min import compat
from ddns_min.errors import APIError, RecordGone
from ddns_min.providers.base import Provider, same_name, zone_candidates
from ddns_min.providers.signing import acs3_call

VERSION = "2015-01-09"


class AliDNS(Provider):
    name = "alidns"
    default_endpoint = "https://alidns.aliyuncs.com"
    needs = ("id", "token")
    needs_help = {"id": "the AccessKey ID", "token": "the AccessKey secret"}

    def __init__(self, conf):
        super(AliDNS, self).__init__(conf)
        self.zones = {}

    def api(self, action, params):
        data, detail = acs3_call(self, "POST", action, VERSION, params,
                                 action.startswith("Describe"))
        if detail is None:
            return data
        code = detail.split(":", 1)[0]
        if code in ("InvalidDomainName.NoExist", "IncorrectDomainUser", "DomainNotExist"):
            raise NoDomain("alidns: " + detail)
        if code == "DomainRecordNotBelongToUser":
            raise RecordGone("alidns: " + detail)
        raise APIError('alidns %s: %s (check the names in "ipv4"/"ipv6", "line" and "ttl")'
                       % (action, detail))

    def find(self, name, rtype, ip):
        line = self.conf.get("line")
        for zone, sub in zone_candidates(name, self.zones.get(name)):
            params = {"DomainName": zone, "SubDomain": name, "Type": rtype, "PageSize": 100}
            if line:
                params["Line"] = line
            try:
                resp = self.api("DescribeSubDomainRecords", params)
            except NoDomain:
                continue
            self.zones[name] = zone
            recs = self.expect(resp.get("DomainRecords") or {}, dict, "DomainRecords")
            found = []
            for r in self.expect(recs.get("Record") or [], list, "DomainRecords.Record"):
                r = self.expect(r, dict, "DomainRecords.Record[]")
                if r.get("Type") == rtype and same_name(r.get("RR"), sub) and \
                        (not line or r.get("Line") == line):
                    found.append(self._rec(zone, sub, r))
            for rec in found:
                if rec["ip"] == ip:
                    return rec
            return found[0] if found else {"zone": zone, "sub": sub, "id": None}
        raise APIError('alidns: no domain for "%s" in this account (check the names in '
                       '"ipv4"/"ipv6" and the AccessKey\'s account)' % name)

    def create(self, name, rtype, ip, rec):
        params = {"DomainName": rec["zone"], "RR": rec["sub"], "Type": rtype, "Value": ip,
                  "Line": self.conf.get("line") or "default"}
        if self.conf.get("ttl"):
            params["TTL"] = self.conf["ttl"]
        resp = self.api("AddDomainRecord", params)
        return {"zone": rec["zone"], "sub": rec["sub"], "ip": ip, "line": params["Line"],
                "id": self.ident(resp.get("RecordId"), "RecordId"),
                "ttl": self.conf.get("ttl") or 600}

    def update(self, name, rtype, ip, rec):
        params = {"RecordId": rec["id"], "RR": rec["sub"], "Type": rtype, "Value": ip,
                  "Line": rec.get("line") or self.conf.get("line") or "default"}
        ttl = self.conf.get("ttl") or rec.get("ttl")
        if ttl:
            params["TTL"] = ttl
        self.api("UpdateDomainRecord", params)
        new = dict(rec)
        new["ip"], new["ttl"] = ip, ttl
        return new

    def _rec(self, zone, sub, r):
        line = r.get("Line")
        return {"zone": zone, "sub": sub, "id": self.ident(r.get("RecordId"), "RecordId"),
                "ip": self.expect(r.get("Value"), str, "Record.Value"),
                "ttl": self.number(r.get("TTL"), "Record.TTL"),
                "line": compat.to_native(line) if isinstance(line, (str, compat.text_type))
                else None}


class NoDomain(APIError):
    pass
