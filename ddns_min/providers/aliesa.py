"""Alibaba Cloud ESA (Edge Security Acceleration) DNS records, as the ddns package 4.2 speaks it:
esa.cn-hangzhou.aliyuncs.com, API version 2024-09-10
(https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-dir-dns).
AccessKey ID in "id", AccessKey secret in "token".

Calls are RPC style with their parameters in the query string, signed with ACS3-HMAC-SHA256
(providers/signing.py): ListSites once per run (the site whose name is the longest suffix of the
record's name), ListRecords (exact name) to read, CreateRecord and UpdateRecord to write, the
latter only when the address, the ttl or a configured "proxied" differs. ESA keeps A and AAAA as
one type, "A/AAAA": the address's family tells them apart. New records are proxied (BizName "web"),
as ddns makes them, unless "proxied" is false.
"""

from ddns_min import addr, compat
from ddns_min.errors import APIError
from ddns_min.providers.base import Provider, pick, same_name
from ddns_min.providers.signing import acs3_call

VERSION = "2024-09-10"
TYPE = "A/AAAA"


class AliESA(Provider):
    name = "aliesa"
    default_endpoint = "https://esa.cn-hangzhou.aliyuncs.com"
    needs = ("id", "token")
    needs_help = {"id": "the AccessKey ID", "token": "the AccessKey secret"}

    def __init__(self, conf):
        super(AliESA, self).__init__(conf)
        self.sites = None

    def api(self, method, action, params):
        data, detail = acs3_call(self, method, action, VERSION, params, method == "GET")
        if detail is None:
            return data
        raise APIError('aliesa %s: %s (check the names in "ipv4"/"ipv6" and "ttl")'
                       % (action, detail))

    def site(self, name):
        """-> (SiteId, SiteName) of the account's site holding `name`."""
        if self.sites is None:
            resp = self.api("GET", "ListSites", {"PageNumber": 1, "PageSize": 500})
            self.sites = []
            for s in self.expect(resp.get("Sites") or [], list, "Sites"):
                s = self.expect(s, dict, "Sites[]")
                self.sites.append((self.ident(s.get("SiteId"), "SiteId"),
                                   self.expect(s.get("SiteName"), str, "SiteName")))
        best = None
        for site_id, site_name in self.sites:
            zone = site_name.lower().rstrip(".")
            if (same_name(name, zone) or name.lower().endswith("." + zone)) and \
                    (best is None or len(zone) > len(best[1])):
                best = (site_id, zone)
        if best is None:
            raise APIError('aliesa: no site for "%s" in this account (check the names in '
                           '"ipv4"/"ipv6" and the AccessKey\'s account)' % name)
        return best

    def find(self, name, rtype, ip):
        site_id = self.site(name)[0]
        resp = self.api("GET", "ListRecords", {"SiteId": site_id, "RecordName": name,
                                               "RecordMatchType": "exact", "Type": TYPE,
                                               "PageNumber": 1, "PageSize": 100})
        found = []
        for r in self.expect(resp.get("Records") or [], list, "Records"):
            r = self.expect(r, dict, "Records[]")
            data = self.expect(r.get("Data") or {}, dict, "Records[].Data")
            value = data.get("Value")
            if r.get("RecordType") == TYPE and same_name(r.get("RecordName"), name) and \
                    addr.parse(self.expect(value, str, "Records[].Data.Value"),
                               4 if rtype == "A" else 6):
                proxied, biz = r.get("Proxied"), r.get("BizName")
                found.append({"zone": site_id, "sub": name, "ip": compat.to_native(value),
                              "id": self.ident(r.get("RecordId"), "RecordId"),
                              "ttl": self.number(r.get("Ttl"), "Records[].Ttl"),
                              "proxied": proxied if isinstance(proxied, bool) else None,
                              "biz": self.ident(biz, "BizName") if biz else None})
        return pick(found, ip, {"zone": site_id, "sub": name, "id": None})

    def differs(self, rec, ip):
        proxied = self.conf.get("proxied")
        return super(AliESA, self).differs(rec, ip) or (
            proxied is not None and rec.get("proxied") is not None and rec["proxied"] != proxied)

    def create(self, name, rtype, ip, rec):
        ttl = self.conf.get("ttl") or 1  # 1: ESA's "automatic"
        proxied = self.conf.get("proxied") is not False  # ddns creates them proxied
        params = {"SiteId": rec["zone"], "RecordName": name, "Type": TYPE, "Ttl": ttl,
                  "Data": compat.json_dumps({"Value": ip}), "Proxied": _bool(proxied)}
        if proxied:
            params["BizName"] = "web"
        resp = self.api("POST", "CreateRecord", params)
        return {"zone": rec["zone"], "sub": name, "ip": ip, "ttl": ttl, "proxied": proxied,
                "biz": params.get("BizName"), "id": self.ident(resp.get("RecordId"), "RecordId")}

    def update(self, name, rtype, ip, rec):
        ttl = self.conf.get("ttl") or rec.get("ttl") or 1
        params = {"RecordId": rec["id"], "Ttl": ttl, "Data": compat.json_dumps({"Value": ip})}
        proxied = self.conf.get("proxied")
        proxied = rec.get("proxied") if proxied is None else proxied
        if proxied is not None:
            params["Proxied"] = _bool(proxied)
            if proxied:
                params["BizName"] = rec.get("biz") or "web"
        self.api("POST", "UpdateRecord", params)
        new = dict(rec)
        new["ip"], new["ttl"], new["proxied"] = ip, ttl, proxied
        if proxied:
            new["biz"] = params["BizName"]
        return new


def _bool(value):
    return "true" if value else "false"
