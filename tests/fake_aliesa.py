# -*- coding: utf-8 -*-
"""An emulator of Alibaba Cloud ESA's DNS records (API version 2024-09-10) behind the same
OpenAPI gateway as fake_alidns (V3 signature checked with Python's hmac). Actions, from
https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-listsites,
-listrecords, -createrecord and -updaterecord: ListSites {"Sites": [{"SiteId", "SiteName"}]},
ListRecords {"Records": [{"RecordId", "RecordName", "RecordType": "A/AAAA", "Data": {"Value"},
"Ttl", "Proxied", "BizName"}]}, CreateRecord {"RecordId"}, UpdateRecord {} (RequestId only).
Data comes as a JSON string in the query (or as an object in a JSON body, as ddns sends it)."""
import json

from fake_alidns import AlibabaGateway


class AliESAEmulator(AlibabaGateway):
    version = "2024-09-10"
    product = "ESA"

    def __init__(self):
        super(AliESAEmulator, self).__init__()
        self.sites = {}  # SiteId -> SiteName
        self.recs = {}   # RecordId -> record
        self.next_id = 4000000000001

    def add_site(self, name, site_id=1113300533463584):
        self.sites[site_id] = name
        return site_id

    def add_record(self, site_id, name, value, ttl=1, proxied=False, biz=None):
        self.next_id += 1
        self.recs[self.next_id] = {"RecordId": self.next_id, "SiteId": site_id,
                                   "SiteName": self.sites[site_id], "RecordName": name,
                                   "RecordType": "A/AAAA", "Data": {"Value": value}, "Ttl": ttl,
                                   "Proxied": proxied, "BizName": biz, "RecordSourceType": "OS",
                                   "Comment": "", "CreateTime": "2026-01-01T00:00:00Z"}
        return self.next_id

    def records(self, name=None):
        return [r for r in self.recs.values() if name is None or r["RecordName"] == name]

    def _site(self, p):
        try:
            site_id = int(p.get("SiteId"))
        except (TypeError, ValueError):
            site_id = None
        return site_id if site_id in self.sites else None

    def _data(self, p):
        data = p.get("Data")
        if not isinstance(data, dict):
            try:
                data = json.loads(data)
            except (TypeError, ValueError):
                return None
        if isinstance(data, dict) and "value" in data:  # the doc's example writes {"value": ..}
            data["Value"] = data.pop("value")
        return data if isinstance(data, dict) and data.get("Value") else None

    def _bool(self, value, default):
        if value is None:
            return default
        return value is True or str(value).lower() == "true"

    def _ListSites(self, p):
        sites = [{"SiteId": i, "SiteName": n, "Status": "active", "AccessType": "NS",
                  "Coverage": "domestic"} for i, n in sorted(self.sites.items())
                 if not p.get("SiteName") or p["SiteName"] in n]
        return self.ok(Sites=sites, TotalCount=len(sites), PageNumber=1,
                       PageSize=int(p.get("PageSize", 500)))

    def _ListRecords(self, p):
        site = self._site(p)
        if site is None:
            return self.error(400, "InvalidParameter.SiteId", "The specified SiteId is invalid.")
        name = p.get("RecordName")
        exact = p.get("RecordMatchType", "fuzzy") == "exact"
        found = [r for r in self.recs.values() if r["SiteId"] == site and
                 (not name or (r["RecordName"] == name if exact else name in r["RecordName"])) and
                 (not p.get("Type") or r["RecordType"] == p["Type"])]
        return self.ok(Records=found, TotalCount=len(found), PageNumber=1,
                       PageSize=int(p.get("PageSize", 500)))

    def _CreateRecord(self, p):
        site, data = self._site(p), self._data(p)
        if site is None:
            return self.error(400, "InvalidParameter.SiteId", "The specified SiteId is invalid.")
        if data is None or not p.get("RecordName") or not p.get("Type"):
            return self.error(400, "InvalidParameter", "RecordName, Type and Data are required.")
        proxied = self._bool(p.get("Proxied"), False)
        if proxied and not p.get("BizName"):
            return self.error(400, "InvalidParameter.BizName", "BizName is required when "
                              "the record is proxied.")
        for rec in self.recs.values():
            if rec["RecordName"] == p["RecordName"] and rec["Data"]["Value"] == data["Value"]:
                self.same_value_writes += 1
                return self.error(400, "Record.Duplicate", "The record already exists.")
        rid = self.add_record(site, p["RecordName"], data["Value"], int(p.get("Ttl", 1)),
                              proxied, p.get("BizName"))
        return self.ok(RecordId=rid)

    def _UpdateRecord(self, p):
        try:
            rec = self.recs.get(int(p.get("RecordId")))
        except (TypeError, ValueError):
            rec = None
        if rec is None:
            return self.error(400, "Record.NotExist", "The record does not exist.")
        data = self._data(p)
        if data is None:
            return self.error(400, "InvalidParameter", "Data is required.")
        ttl = int(p.get("Ttl", rec["Ttl"]))
        proxied = self._bool(p.get("Proxied"), rec["Proxied"])
        if data["Value"] == rec["Data"]["Value"] and ttl == rec["Ttl"] and \
                proxied == rec["Proxied"]:
            self.same_value_writes += 1
        if proxied and not (p.get("BizName") or rec["BizName"]):
            return self.error(400, "InvalidParameter.BizName", "BizName is required when "
                              "the record is proxied.")
        rec.update({"Data": {"Value": data["Value"]}, "Ttl": ttl, "Proxied": proxied,
                    "BizName": p.get("BizName", rec["BizName"])})
        return self.ok()
