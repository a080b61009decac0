"""Alibaba Cloud DNS (alidns.aliyuncs.com, API version 2015-01-09,
https://www.alibabacloud.com/help/en/dns/api-alidns-2015-01-09-dir-parsing-records). AccessKey ID
in "id", AccessKey secret in "token", "line" is the record's Line ("default" when unset).

Every call is an RPC-style POST with its parameters in the query string, signed with
ACS3-HMAC-SHA256 (providers/signing.py). DescribeSubDomainRecords reads the record first;
AddDomainRecord creates it; UpdateDomainRecord (which refuses a write of the values the record
holds with DomainRecordDuplicate) is only sent when the address or the ttl differs. Two or more
names of one domain are read with one DescribeDomainRecords listing of the domain instead
(prefetch; PageNumber from 1, PageSize, TotalCount).
"""

from ddns_min import compat
from ddns_min.errors import APIError, RecordGone
from ddns_min.providers.base import Provider, pick, same_name, sub_name, zone_candidates
from ddns_min.providers.signing import acs3_call

VERSION = "2015-01-09"
LIST_SIZE = 100  # records per DescribeDomainRecords page (at most 500) when a domain is listed


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

    def prefetch(self, wanted):
        """One listing of each domain with two or more names to read (base.list_domains)."""
        self.list_domains(wanted, self._list_domain, NoDomain)

    def _list_domain(self, zone, names):
        types = set(t for _, t in names)
        line = self.conf.get("line")
        subs = dict((sub_name(n, zone).lower(), sub_name(n, zone)) for n, _ in names)
        wanted = set((sub_name(n, zone).lower(), t) for n, t in names)
        params = {"DomainName": zone, "PageSize": LIST_SIZE}
        if len(types) == 1:
            params["TypeKeyWord"] = list(types)[0]
        if line:
            params["Line"] = line

        def page_of(n):
            params["PageNumber"] = n + 1
            resp = self.api("DescribeDomainRecords", params)
            total = self.number(resp.get("TotalCount"), "TotalCount", 0)
            recs = self.expect(resp.get("DomainRecords") or {}, dict, "DomainRecords")
            found = []
            for r in self.expect(recs.get("Record") or [], list, "DomainRecords.Record"):
                r = self.expect(r, dict, "DomainRecords.Record[]")
                rr = self.expect(r.get("RR"), str, "Record.RR")
                sub = subs.get(rr.lower().rstrip("."))
                # every record counts as found (a page of others is not the end); only
                # those of our names, types and line are built, as find() builds them
                if sub is None or r.get("Type") not in ("A", "AAAA") or \
                        (line and r.get("Line") != line):
                    found.append((rr, None, None))
                else:
                    found.append((sub, r.get("Type"), self._rec(zone, sub, r)))
            return found, max(1, (total + LIST_SIZE - 1) // LIST_SIZE)
        self.list_zone(zone, wanted, page_of)
        return zone

    def find(self, name, rtype, ip):
        line = self.conf.get("line")
        known = self.zones.get(name)
        if known in self.listing:
            sub = sub_name(name, known)
            return self.listed(known, sub, rtype, ip, {"zone": known, "sub": sub, "id": None})
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
            return pick(found, ip, {"zone": zone, "sub": sub, "id": None})
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
