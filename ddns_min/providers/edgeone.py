"""Tencent Cloud EdgeOne (TEO) through Tencent Cloud API 3.0 (teo.tencentcloudapi.com, version
2022-09-01, https://cloud.tencent.com/document/api/1552/80731), as ddns 4.2 names it: "edgeone"
sets the origin of an acceleration domain (DescribeAccelerationDomains, ModifyAccelerationDomain,
CreateAccelerationDomain), "edgeone_dns" sets a DNS record of a site connected by NS
(DescribeDnsRecords, ModifyDnsRecords, CreateDnsRecord). Either finds the site (ZoneId) by name
with DescribeZones. SecretId in "id", SecretKey in "token"; TC3-signed (providers/signing.py).

Read before written, never set to the value held. An acceleration domain has one origin, so one
name cannot be in both "ipv4" and "ipv6"; only an IP_DOMAIN origin is rewritten (an origin group
or a bucket is left alone). "ttl" applies to DNS records only; "line" is not used (as in ddns).
"edgeone_dns" reads two or more names of one site with one DescribeDnsRecords listing of the
site instead (prefetch: Filters type, Offset/Limit, TotalCount).
"""

from ddns_min.errors import APIError, ConfigError, RateLimited
from ddns_min.providers.base import Provider, pick, same_name, zone_candidates
from ddns_min.providers.signing import tc3_call

SERVICE, VERSION = "teo", "2022-09-01"
IP_DOMAIN = "IP_DOMAIN"
LIST_LIMIT = 100  # DNS records per DescribeDnsRecords page (at most 1000) when a site is listed


class EdgeOne(Provider):
    name = "edgeone"
    default_endpoint = "https://teo.tencentcloudapi.com"
    needs = ("id", "token")
    needs_help = {"id": "the SecretId", "token": "the SecretKey"}

    def __init__(self, conf):
        super(EdgeOne, self).__init__(conf)
        self.zones = {}  # name -> (zone name, ZoneId)

    @classmethod
    def check(cls, conf):
        names = conf.get("names") or {}
        both = [n for n in names.get(4) or [] if n in (names.get(6) or [])]
        if both:
            raise ConfigError('config: "%s" is in both "ipv4" and "ipv6", but an EdgeOne '
                              'acceleration domain has one origin; keep it in one of them'
                              % both[0])

    def api(self, action, params):
        resp, code, detail = tc3_call(self, SERVICE, VERSION, action, params)
        if code is None:
            return resp
        raise APIError('%s %s: %s (check "ipv4"/"ipv6", "ttl")' % (self.name, action, detail))

    def zone(self, name):
        """-> (zone name, ZoneId): the longest site name that `name` is in or equal to."""
        if name not in self.zones:
            names = [z for z, _ in zone_candidates(name)]
            resp = self.api("DescribeZones", {"Filters": [
                {"Name": "zone-name", "Values": names, "Fuzzy": False}], "Limit": 100})
            best = None
            for z in self.expect(resp.get("Zones") or [], list, "Zones"):
                z = self.expect(z, dict, "Zones[]")
                zname = z.get("ZoneName")
                for cand in names:
                    if same_name(zname, cand) and (best is None or len(cand) > len(best[0])):
                        best = (cand, self.ident(z.get("ZoneId"), "ZoneId"))
            if best is None:
                raise APIError('%s: no site for "%s" in this account (DescribeZones); check '
                               '"ipv4"/"ipv6" and "id"' % (self.name, name))
            self.zones[name] = best
        return self.zones[name]

    def find(self, name, rtype, ip):
        zone, zone_id = self.zone(name)
        resp = self.api("DescribeAccelerationDomains", {"ZoneId": zone_id, "Filters": [
            {"Name": "domain-name", "Values": [name], "Fuzzy": False}]})
        for d in self.expect(resp.get("AccelerationDomains") or [], list, "AccelerationDomains"):
            d = self.expect(d, dict, "AccelerationDomains[]")
            if same_name(d.get("DomainName"), name):
                origin = self.expect(d.get("OriginDetail") or {}, dict, "OriginDetail")
                kind = self.expect(origin.get("OriginType") or "", str, "OriginType")
                if kind.upper() != IP_DOMAIN:
                    raise APIError('%s: the origin of "%s" is of type "%s", not IP_DOMAIN; '
                                   'not changed' % (self.name, name, kind))
                backup = origin.get("BackupOrigin") or ""
                return {"zone": zone, "zone_id": zone_id, "id": name,
                        "ip": self.expect(origin.get("Origin") or "", str, "Origin"),
                        "backup": self.expect(backup, str, "BackupOrigin")}
        return {"zone": zone, "zone_id": zone_id, "id": None}

    def create(self, name, rtype, ip, rec):
        self.api("CreateAccelerationDomain", {"ZoneId": rec["zone_id"], "DomainName": name,
                                              "OriginInfo": {"OriginType": IP_DOMAIN,
                                                             "Origin": ip}})
        return dict(rec, id=name, ip=ip, backup="")

    def update(self, name, rtype, ip, rec):
        self.api("ModifyAccelerationDomain", {
            "ZoneId": rec["zone_id"], "DomainName": rec["id"],
            "OriginInfo": {"OriginType": IP_DOMAIN, "Origin": ip,
                           "BackupOrigin": rec.get("backup") or ""}})
        return dict(rec, ip=ip)


class EdgeOneDNS(EdgeOne):
    name = "edgeone_dns"

    def __init__(self, conf):
        super(EdgeOneDNS, self).__init__(conf)
        self.no_site = {}  # name -> the error that no site holds it (asked once per run)

    @classmethod
    def check(cls, conf):
        ttl = conf.get("ttl")
        if ttl is not None and not 60 <= ttl <= 86400:
            raise ConfigError('config: "ttl" must be 60..86400 for EdgeOne DNS records, got '
                              '"%s"' % ttl)

    def prefetch(self, wanted):
        """One listing of each site with two or more names to read; the site of each name is
        the DescribeZones lookup find() makes anyway (and caches)."""
        groups = {}
        for name, rtype in wanted:
            try:
                site = self.zone(name)
            except APIError as exc:
                if isinstance(exc, RateLimited):
                    raise
                if str(exc).startswith("%s: no site" % self.name):
                    self.no_site[name] = exc  # find() says so without asking again
                continue
            groups.setdefault(site, []).append((name, rtype))
        for (zone, zone_id), names in groups.items():
            if len(names) > 1:
                self._list_site(zone, zone_id, names)

    def _list_site(self, zone, zone_id, names):
        types = set(t for _, t in names)
        wanted = set((n.lower(), t) for n, t in names)
        params = {"ZoneId": zone_id, "Limit": LIST_LIMIT}
        if len(types) == 1:
            params["Filters"] = [{"Name": "type", "Values": list(types), "Fuzzy": False}]

        def page_of(n):
            params["Offset"] = n * LIST_LIMIT
            resp = self.api("DescribeDnsRecords", params)
            total = self.number(resp.get("TotalCount"), "TotalCount", 0)
            found = []
            for r in self.expect(resp.get("DnsRecords") or [], list, "DnsRecords"):
                r = self.expect(r, dict, "DnsRecords[]")
                rname = self.expect(r.get("Name"), str, "DnsRecords[].Name")
                # every record counts as found (a page of others is not the end); only those
                # of our names and types are built, as find() builds them
                if (rname.lower().rstrip("."), r.get("Type")) in wanted:
                    found.append((rname, r.get("Type"), self._rec(zone, zone_id, r)))
                else:
                    found.append((rname, None, None))
            return found, max(1, (total + LIST_LIMIT - 1) // LIST_LIMIT)
        self.list_zone(zone_id, wanted, page_of)

    def find(self, name, rtype, ip):
        if name in self.no_site:
            raise self.no_site[name]
        zone, zone_id = self.zone(name)
        if zone_id in self.listing:
            return self.listed(zone_id, name, rtype, ip,
                               {"zone": zone, "zone_id": zone_id, "id": None})
        resp = self.api("DescribeDnsRecords", {"ZoneId": zone_id, "Limit": 100, "Filters": [
            {"Name": "name", "Values": [name], "Fuzzy": False},
            {"Name": "type", "Values": [rtype], "Fuzzy": False}]})
        found = []
        for r in self.expect(resp.get("DnsRecords") or [], list, "DnsRecords"):
            r = self.expect(r, dict, "DnsRecords[]")
            if r.get("Type") == rtype and same_name(r.get("Name"), name):
                found.append(self._rec(zone, zone_id, r))
        return pick(found, ip, {"zone": zone, "zone_id": zone_id, "id": None})

    def _rec(self, zone, zone_id, r):
        return {"zone": zone, "zone_id": zone_id,
                "id": self.ident(r.get("RecordId"), "RecordId"),
                "ip": self.expect(r.get("Content"), str, "DnsRecords[].Content"),
                "ttl": self.number(r.get("TTL"), "DnsRecords[].TTL")}

    def _fields(self, name, rtype, ip):
        fields = {"Name": name, "Type": rtype, "Content": ip}
        if self.conf.get("ttl"):
            fields["TTL"] = self.conf["ttl"]
        return fields

    def create(self, name, rtype, ip, rec):
        params = self._fields(name, rtype, ip)
        params["ZoneId"] = rec["zone_id"]
        rec = dict(rec, ip=ip, ttl=self.conf.get("ttl") or 300)
        rec["id"] = self.ident(self.api("CreateDnsRecord", params).get("RecordId"), "RecordId")
        return rec

    def update(self, name, rtype, ip, rec):
        change = self._fields(name, rtype, ip)
        change["RecordId"] = rec["id"]
        self.api("ModifyDnsRecords", {"ZoneId": rec["zone_id"], "DnsRecords": [change]})
        return dict(rec, ip=ip, ttl=self.conf.get("ttl") or rec.get("ttl"))
