# -*- coding: utf-8 -*-
"""An emulator of Alibaba Cloud DNS (alidns, API version 2015-01-09) behind the OpenAPI gateway,
which checks every request's V3 signature (ACS3-HMAC-SHA256) with its own implementation on
Python's hmac, following
https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature,
and answers errors as the gateway does: an HTTP 4xx with {"RequestId", "HostId", "Code",
"Message", "Recommend"} (common codes: https://help.aliyun.com/en/dns/error-code and
https://developer.aliyun.com/ask/278265). Parameters are taken from the query string, a form
body or a JSON body. Actions: GetMainDomainName, DescribeSubDomainRecords (with SubDomain and
DomainName as https://help.aliyun.com/document_detail/29778.html describes), DescribeDomainRecords
(a domain's records, filtered by TypeKeyWord or Type and Line, TotalCount counted before the
PageNumber/PageSize page is cut: PageNumber from 1, PageSize 20 by default, at most 500),
AddDomainRecord,
UpdateDomainRecord (DomainRecordDuplicate for the values the record holds)."""
import calendar
import hashlib
import hmac
import json
import time
import uuid

from fake_http import Emulator

try:
    from urllib.parse import quote, parse_qsl, urlsplit
except ImportError:  # Python 2
    from urllib import quote
    from urlparse import parse_qsl, urlsplit


def rfc3986(value):
    if not isinstance(value, bytes):
        value = value.encode("utf-8")
    return quote(value, safe="~")


def canonical_query(target):
    """The canonical query string of a request target, rebuilt from its raw query."""
    raw = urlsplit(target).query
    pairs = parse_qsl(raw, True)
    if str is bytes:  # Python 2: bytes in, bytes out
        pairs = [(k.decode("utf-8"), v.decode("utf-8")) for k, v in pairs]
    return "&".join(rfc3986(k) + "=" + rfc3986(v) for k, v in sorted(pairs))


def acs3_signature(secret, method, target, headers, signed_names, body):
    """HexEncode(HMAC-SHA256(secret, "ACS3-HMAC-SHA256\\n" + hex(sha256(CanonicalRequest))))."""
    canonical_headers = "".join("%s:%s\n" % (n, headers.get(n, "").strip())
                                for n in signed_names)
    canonical = "\n".join([method.upper(), "/", canonical_query(target), canonical_headers,
                           ";".join(signed_names), hashlib.sha256(body).hexdigest()])
    to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return hmac.new(secret.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


class AlibabaGateway(Emulator):
    """The gateway's part: credentials, signature, timestamp, nonce; then self._<Action>(p)."""
    version = ""
    product = ""

    def __init__(self):
        super(AlibabaGateway, self).__init__()
        self.keys = {}  # AccessKey ID -> AccessKey secret
        self.nonces = set()
        self.same_value_writes = 0

    def error(self, status, code, message):
        return status, {"Content-Type": "application/json;charset=utf-8"}, json.dumps({
            "RequestId": str(uuid.uuid4()).upper(), "HostId": self.product.lower() +
            ".aliyuncs.com", "Code": code, "Message": message,
            "Recommend": "https://api.aliyun.com/troubleshoot?q=%s&product=%s"
            % (code, self.product)})

    def ok(self, **body):
        body["RequestId"] = str(uuid.uuid4()).upper()
        return 200, {"Content-Type": "application/json;charset=utf-8"}, json.dumps(body)

    def throttle_next(self, count=1):
        """The next answers: the gateway's flow control."""
        status, headers, body = self.error(400, "Throttling.User",
                                           "Request was denied due to user flow control.")
        self.fail_next(status=status, body=body, content_type=headers["Content-Type"],
                       count=count)

    def handle(self, req):
        auth = req.headers.get("authorization", "")
        try:
            algorithm, rest = auth.split(" ", 1)
            fields = dict(part.split("=", 1) for part in rest.split(","))
            key_id, signature = fields["Credential"], fields["Signature"]
            signed = fields["SignedHeaders"].split(";")
        except (ValueError, KeyError):
            return self.error(400, "IncompleteSignature",
                              "The request signature does not conform to Aliyun standards.")
        if algorithm != "ACS3-HMAC-SHA256":
            return self.error(400, "InvalidSignatureMethod",
                              "Specified signature method is not valid.")
        if key_id not in self.keys:
            return self.error(404, "InvalidAccessKeyId.NotFound",
                              "Specified access key is not found.")
        must_sign = [h for h in req.headers if h.startswith("x-acs-") or h in (
            "host", "content-type")]
        if signed != sorted(signed) or [h for h in must_sign if h not in signed]:
            return self.error(400, "IncompleteSignature",
                              "The request signature does not conform to Aliyun standards.")
        try:
            date = calendar.timegm(time.strptime(req.headers["x-acs-date"],
                                                 "%Y-%m-%dT%H:%M:%SZ"))
        except (KeyError, ValueError):
            return self.error(400, "InvalidTimeStamp.Format",
                              "Specified time stamp or date value is not well formatted.")
        if abs(time.time() - date) > 900:
            return self.error(400, "InvalidTimeStamp.Expired",
                              "Specified time stamp or date value is expired.")
        expected = acs3_signature(self.keys[key_id], req.method, req.target, req.headers,
                                  signed, req.raw)
        if signature != expected or req.headers.get("x-acs-content-sha256") != \
                hashlib.sha256(req.raw).hexdigest():
            return self.error(400, "SignatureDoesNotMatch",
                              "Specified signature is not matched with our calculation.")
        nonce = req.headers.get("x-acs-signature-nonce")
        if not nonce or nonce in self.nonces:
            return self.error(400, "SignatureNonceUsed",
                              "Specified signature nonce was used already.")
        self.nonces.add(nonce)
        if req.headers.get("x-acs-version") != self.version:
            return self.error(400, "InvalidVersion", "Specified parameter Version is not valid.")
        params = dict(req.query)
        params.update(req.form or {})
        params.update(req.json if isinstance(req.json, dict) else {})
        action = req.headers.get("x-acs-action", "")
        handler = getattr(self, "_" + action, None)
        if handler is None:
            return self.error(404, "InvalidApi.NotFound",
                              "Specified api is not found, please check your url and method.")
        return handler(params)


class AliDNSEmulator(AlibabaGateway):
    version = "2015-01-09"
    product = "Alidns"

    def __init__(self):
        super(AliDNSEmulator, self).__init__()
        self.domains = set()
        self.recs = {}  # RecordId (text) -> record
        self.next_id = 9999980

    def add_record(self, domain, rr, rtype, value, ttl=600, line="default"):
        self.next_id += 1
        rid = str(self.next_id)
        self.recs[rid] = {"DomainName": domain, "RecordId": rid, "RR": rr, "Type": rtype,
                          "Value": value, "TTL": ttl, "Line": line, "Status": "ENABLE",
                          "Locked": False, "Weight": 1, "Remark": ""}
        return rid

    def records(self, rr=None):
        return [r for r in self.recs.values() if rr is None or r["RR"] == rr]

    def _split(self, name, domain=None):
        name = name.lower().rstrip(".")
        if domain is None:
            inside = [d for d in self.domains if name == d or name.endswith("." + d)]
            domain = max(inside, key=len) if inside else ".".join(name.split(".")[-2:])
        domain = domain.lower()
        if name == domain:
            return domain, "@"
        if not name.endswith("." + domain):
            return domain, None
        return domain, name[:-len(domain) - 1]

    def _no_domain(self):
        return self.error(400, "InvalidDomainName.NoExist",
                          "The specified domain name does not exist. Refresh the page and try "
                          "again.")

    def _GetMainDomainName(self, p):
        domain, rr = self._split(p.get("InputString", ""))
        return self.ok(DomainName=domain, RR=rr or "@", DomainLevel=rr.count(".") + 2
                       if rr and rr != "@" else 1)

    def _DescribeSubDomainRecords(self, p):
        if not p.get("SubDomain"):
            return self.error(400, "MissingSubDomain", "SubDomain is mandatory for this action.")
        domain, rr = self._split(p["SubDomain"], p.get("DomainName"))
        if domain not in self.domains:
            return self._no_domain()
        found = [r for r in self.recs.values() if r["DomainName"] == domain and r["RR"] == rr and
                 (not p.get("Type") or r["Type"] == p["Type"].upper()) and
                 (not p.get("Line") or r["Line"] == p["Line"])]
        size = min(int(p.get("PageSize", 20)), 500)
        return self.ok(TotalCount=len(found), PageNumber=1, PageSize=size,
                       DomainRecords={"Record": found[:size]})

    def _DescribeDomainRecords(self, p):
        domain = p.get("DomainName", "").lower()
        if not domain:
            return self.error(400, "MissingDomainName", "DomainName is mandatory for this action.")
        if domain not in self.domains:
            return self._no_domain()
        rtype = (p.get("TypeKeyWord") or p.get("Type") or "").upper()
        found = sorted((r for r in self.recs.values() if r["DomainName"] == domain and
                        (not rtype or r["Type"] == rtype) and
                        (not p.get("Line") or r["Line"] == p["Line"])),
                       key=lambda r: int(r["RecordId"]))
        size = int(p.get("PageSize", 20))
        number = int(p.get("PageNumber", 1))
        if not 1 <= size <= 500 or number < 1:
            return self.error(400, "InvalidPageSize", "The specified PageSize is invalid.")
        return self.ok(TotalCount=len(found), PageNumber=number, PageSize=size,
                       DomainRecords={"Record": found[(number - 1) * size:number * size]})

    def _same(self, rec, p):
        return rec["RR"] == p["RR"] and rec["Type"] == p["Type"] and rec["Value"] == p["Value"] \
            and rec["Line"] == p.get("Line", "default")

    def _AddDomainRecord(self, p):
        for key in ("DomainName", "RR", "Type", "Value"):
            if not p.get(key):
                return self.error(400, "Missing" + key, "%s is mandatory for this action." % key)
        if p["DomainName"] not in self.domains:
            return self._no_domain()
        for rec in self.recs.values():
            if rec["DomainName"] == p["DomainName"] and self._same(rec, p):
                self.same_value_writes += 1
                return self.error(400, "DomainRecordDuplicate", "The DNS record already exists.")
        rid = self.add_record(p["DomainName"], p["RR"], p["Type"], p["Value"],
                              int(p.get("TTL", 600)), p.get("Line", "default"))
        return self.ok(RecordId=rid)

    def _UpdateDomainRecord(self, p):
        rec = self.recs.get(str(p.get("RecordId")))
        if rec is None:
            return self.error(400, "DomainRecordNotBelongToUser",
                              "The DNS record does not belong to you.")
        if self._same(rec, p) and rec["TTL"] == int(p.get("TTL", rec["TTL"])):
            self.same_value_writes += 1
            return self.error(400, "DomainRecordDuplicate", "The DNS record already exists.")
        rec.update({"RR": p["RR"], "Type": p["Type"], "Value": p["Value"],
                    "TTL": int(p.get("TTL", rec["TTL"])), "Line": p.get("Line", rec["Line"])})
        return self.ok(RecordId=rec["RecordId"])
