# -*- coding: utf-8 -*-
"""An emulator of DNSPod's Tencent Cloud API 3.0 (2021-03-23) that checks every request's
TC3-HMAC-SHA256 signature with its own implementation (Python's hmac, following
https://cloud.tencent.com/document/api/1427/56189), and answers in the API's envelope:
{"Response": {..., "RequestId"}} or {"Response": {"Error": {"Code", "Message"}, "RequestId"}}."""
import hashlib
import hmac
import json
import time
import uuid

from fake_http import Emulator


def tc3_signature(secret_key, host, action, payload, timestamp, signed_headers):
    date = time.strftime("%Y-%m-%d", time.gmtime(timestamp))
    values = {"content-type": "application/json; charset=utf-8", "host": host,
              "x-tc-action": action.lower()}
    canonical_headers = "".join("%s:%s\n" % (h, values[h]) for h in signed_headers.split(";"))
    canonical = "\n".join(["POST", "/", "", canonical_headers, signed_headers,
                           hashlib.sha256(payload).hexdigest()])
    scope = "%s/dnspod/tc3_request" % date
    to_sign = "\n".join(["TC3-HMAC-SHA256", str(timestamp), scope,
                         hashlib.sha256(canonical.encode("utf-8")).hexdigest()])

    def h(key, msg):
        return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()
    key = h(h(h(("TC3" + secret_key).encode("utf-8"), date), "dnspod"), "tc3_request")
    return hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


class TencentCloudEmulator(Emulator):
    def __init__(self):
        super(TencentCloudEmulator, self).__init__()
        self.keys = {}     # SecretId -> SecretKey
        self.domains = set()
        self.recs = {}     # id -> record
        self.next_id = 1000
        self.same_value_writes = 0

    def add_record(self, domain, sub, rtype, value, ttl=600, line=u"默认", line_id="0"):
        self.next_id += 1
        self.recs[self.next_id] = {"RecordId": self.next_id, "Domain": domain, "Name": sub,
                                   "Type": rtype, "Value": value, "TTL": ttl, "Line": line,
                                   "LineId": line_id, "Status": "ENABLE", "Weight": None,
                                   "MX": 0, "Remark": "", "UpdatedOn": "2026-01-01 00:00:00",
                                   "MonitorStatus": "", "DefaultNS": False}
        return self.next_id

    def records(self, sub=None):
        return [r for r in self.recs.values() if sub is None or r["Name"] == sub]

    def _ok(self, **body):
        body["RequestId"] = str(uuid.uuid4())
        return 200, {"Content-Type": "application/json"}, json.dumps({"Response": body})

    def _error(self, code, message):
        return self._ok(Error={"Code": code, "Message": message})

    def handle(self, req):
        auth = req.headers.get("authorization", "")
        action = req.headers.get("x-tc-action", "")
        try:
            cred = auth.split("Credential=")[1].split(",")[0]
            secret_id = cred.split("/")[0]
            signed = auth.split("SignedHeaders=")[1].split(",")[0]
            signature = auth.split("Signature=")[1]
            timestamp = int(req.headers["x-tc-timestamp"])
        except (IndexError, KeyError, ValueError):
            return self._error("AuthFailure.SignatureFailure", "The request signature is bad")
        if secret_id not in self.keys:
            return self._error("AuthFailure.SecretIdNotFound", "The SecretId is not found")
        if abs(time.time() - timestamp) > 300:
            return self._error("AuthFailure.SignatureExpire", "Signature expired")
        expected = tc3_signature(self.keys[secret_id], req.headers.get("host"), action, req.raw,
                                 timestamp, signed)
        if signature != expected or req.headers.get("x-tc-version") != "2021-03-23":
            return self._error("AuthFailure.SignatureFailure",
                               "The provided credentials could not be validated")
        params = req.json or {}
        if params.get("Domain") not in self.domains:
            return self._error("InvalidParameterValue.DomainNotExists",
                               u"当前域名有误，请返回重新操作。")
        return getattr(self, "_" + action, self._unknown)(params)

    def _unknown(self, params):
        return self._error("InvalidAction", "unknown action")

    def _DescribeRecordList(self, p):
        found = [r for r in self.recs.values() if r["Domain"] == p["Domain"] and
                 r["Name"] == p.get("Subdomain", r["Name"]) and
                 r["Type"] == p.get("RecordType", r["Type"])]
        if not found:
            return self._error("ResourceNotFound.NoDataOfRecord", u"记录列表为空。")
        total = len(found)
        offset, limit = int(p.get("Offset", 0)), int(p.get("Limit", 100))
        found = sorted(found, key=lambda r: r["RecordId"])[offset:offset + limit]
        shown = [dict((k, v) for k, v in r.items() if k != "Domain") for r in found]
        return self._ok(RecordCountInfo={"TotalCount": total, "ListCount": len(shown),
                                         "SubdomainCount": total}, RecordList=shown)

    def _CreateRecord(self, p):
        if not p.get("RecordLine"):
            return self._error("MissingParameter", "RecordLine is required")
        rid = self.add_record(p["Domain"], p.get("SubDomain") or "@", p["RecordType"],
                              p["Value"], p.get("TTL", 600), p["RecordLine"],
                              p.get("RecordLineId", "0"))
        return self._ok(RecordId=rid)

    def _ModifyRecord(self, p):
        rec = self.recs.get(p.get("RecordId"))
        if rec is None:
            return self._error("InvalidParameter.RecordIdInvalid", "record id invalid")
        if rec["Value"] == p.get("Value") and rec["TTL"] == p.get("TTL", 600):
            self.same_value_writes += 1
        rec.update({"Value": p["Value"], "TTL": p.get("TTL", 600), "Name": p["SubDomain"]})
        return self._ok(RecordId=rec["RecordId"])
