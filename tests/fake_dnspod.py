# -*- coding: utf-8 -*-
"""A stateful emulator of DNSPod's token API (dnsapi.cn), answering as the real one does.

From the recorded traffic in shared/reference/cassettes/dnspod and DNSPod's docs: form POSTs only,
status codes as strings, ids as strings in lists but a number in Record.Modify answers, content
type text/html;charset=UTF-8, "10002 The login token ID is invalid", "-1 Login fail", "-8" after
too many failed logins, "13 Domain is not exists" / "6" for unknown domains, "10 No records"
unless error_on_empty=no, "8" bad record id, "104" duplicate record. It also counts modifications
that set the value a record already holds: DNSPod locks records and bans accounts for them.
"""
import itertools
import json
import time

from fake_http import Emulator, Request

DEFAULT_LINE = u"默认"
_ids = itertools.count(38280687)


class DNSPodEmulator(Emulator):
    def __init__(self, ban_after=5):
        super(DNSPodEmulator, self).__init__()
        self.domains = {}  # id -> {"id", "name"}
        self.recs = {}     # id -> record dict
        self.tokens = set()  # accepted "ID,TOKEN"
        self.failed_logins = 0
        self.ban_after = ban_after
        self.same_value_writes = 0
        self.answer_code = None  # (code, message): every request gets this answer

    # -- seeding and inspection
    def add_domain(self, name):
        did = str(next(_ids))
        self.domains[did] = {"id": did, "name": name, "punycode": name, "grade": "DP_Free",
                             "owner": "owner@example.com", "status": "enable", "ttl": "600",
                             "records": "0", "created_on": "2026-01-01 00:00:00",
                             "updated_on": "2026-01-01 00:00:00"}
        return did

    def add_record(self, domain, sub_domain, type, value, ttl=600, line=DEFAULT_LINE,
                   line_id="0"):
        did = self._domain_id(domain)
        rid = str(next(_ids))
        self.recs[rid] = {"id": rid, "_domain": did, "name": sub_domain, "type": type,
                          "value": value, "ttl": str(ttl), "line": line, "line_id": line_id,
                          "enabled": "1", "status": "enable", "weight": None,
                          "updated_on": "2026-01-01 00:00:00", "monitor_status": "", "remark": "",
                          "use_aqb": "no", "mx": "0"}
        return rid

    def records(self, sub_domain=None, type=None):
        return [dict(r, sub_domain=r["name"]) for r in self.recs.values()
                if (sub_domain is None or r["name"] == sub_domain) and
                (type is None or r["type"] == type)]

    def _domain_id(self, name_or_id):
        for did, dom in self.domains.items():
            if name_or_id in (did, dom["name"]):
                return did
        return None

    # -- the API
    def _answer(self, code, message, **extra):
        body = {"status": {"code": code, "message": message,
                           "created_at": time.strftime("%Y-%m-%d %H:%M:%S")}}
        body.update(extra)
        return 200, {"Content-Type": "text/html;charset=UTF-8"}, json.dumps(body)

    def handle(self, req):
        action = req.path.strip("/")
        if req.method != "POST":
            return self._answer("2", "Only POST method is allowed")
        if self.answer_code is not None:
            return self._answer(*self.answer_code)
        form = req.form or {}
        token = form.get("login_token")
        if self.failed_logins >= self.ban_after:
            return self._answer("-8", "Login fail too many times, your account was banned")
        if not token or "," not in token:
            self.failed_logins += 1
            return self._answer("-1", "Login fail, please check login info")
        if token not in self.tokens:
            self.failed_logins += 1
            if token.split(",", 1)[0] not in [t.split(",", 1)[0] for t in self.tokens]:
                return self._answer("10002", "The login token ID is invalid")
            return self._answer("-1", "Login fail, please check login info")
        if form.get("format") != "json":
            return 200, {"Content-Type": "text/xml"}, "<dnspod><status><code>1</code></status>"
        handler = getattr(self, "_" + action.replace(".", "_").lower(), None)
        if handler is None:
            return self._answer("-99", "Unknown action " + action)
        return handler(form)

    def _info_version(self, form):
        return self._answer("1", "4.6")

    def _find_domain(self, form):
        did = self._domain_id(form.get("domain_id") or form.get("domain") or "")
        return self.domains.get(did)

    def _domain_info(self, form):
        dom = self._find_domain(form)
        if dom is None:
            return self._answer("13", "Domain is not exists")
        shown = dict(dom, records=str(len([r for r in self.recs.values()
                                           if r["_domain"] == dom["id"]])))
        return self._answer("1", "Action completed successful", domain=shown)

    def _domain_list(self, form):
        return self._answer("1", "Action completed successful",
                            info={"domain_total": len(self.domains)},
                            domains=list(self.domains.values()))

    def _record_list(self, form):
        dom = self._find_domain(form)
        if dom is None:
            return self._answer("6", "Domain id invalid")
        found = [r for r in self.recs.values() if r["_domain"] == dom["id"]]
        if form.get("sub_domain"):
            found = [r for r in found if r["name"] == form["sub_domain"]]
        if form.get("record_type"):
            found = [r for r in found if r["type"] == form["record_type"]]
        if form.get("record_line"):
            found = [r for r in found if r["line"] == form["record_line"]]
        total = len(found)
        offset, length = int(form.get("offset") or 0), int(form.get("length") or 3000)
        found = sorted(found, key=lambda r: int(r["id"]))[offset:offset + length]
        shown = [dict((k, v) for k, v in r.items() if k != "_domain") for r in found]
        domain = {"id": dom["id"], "name": dom["name"], "punycode": dom["name"],
                  "grade": dom["grade"], "owner": dom["owner"]}
        info = {"sub_domains": str(total), "record_total": str(total),
                "records_num": str(len(shown))}
        if not shown and form.get("error_on_empty", "yes") != "no":
            return self._answer("10", "No records", domain=domain, info=info)
        return self._answer("1", "Action completed successful", domain=domain, info=info,
                            records=shown)

    def _line(self, form):
        if form.get("record_line_id") is not None:
            return form["record_line_id"], {"0": DEFAULT_LINE, "10=0": u"电信"}.get(
                form["record_line_id"])
        line = form.get("record_line")
        ids = {DEFAULT_LINE: "0", u"电信": "10=0", "default": "0"}
        return ids.get(line), line

    def _check_value(self, form):
        family = {"A": 4, "AAAA": 6}.get(form.get("record_type"))
        if family is None:
            if form.get("record_type") not in ("CNAME", "TXT", "MX", "NS", "SRV", "CAA"):
                return self._answer("27", "Record type invalid")
            return None if form.get("value") else self._answer("17", "Record value invalid")
        import socket
        try:
            socket.inet_pton(socket.AF_INET if family == 4 else socket.AF_INET6,
                             form.get("value") or "")
        except (socket.error, ValueError):
            return self._answer("17", "Record value invalid")
        return None

    def _record_create(self, form):
        dom = self._find_domain(form)
        if dom is None:
            return self._answer("6", "Domain id invalid")
        bad = self._check_value(form)
        if bad:
            return bad
        line_id, line = self._line(form)
        if line_id is None or line is None:
            return self._answer("26", "Record line invalid")
        sub = form.get("sub_domain") or "@"
        for r in self.recs.values():
            if (r["_domain"], r["name"], r["type"], r["value"], r["line_id"]) == \
                    (dom["id"], sub, form["record_type"], form["value"], line_id):
                return self._answer("104", "Record already exists")
        rid = self.add_record(dom["id"], sub, form["record_type"], form["value"],
                              ttl=form.get("ttl", "600"), line=line, line_id=line_id)
        return self._answer("1", "Action completed successful",
                            record={"id": rid, "name": sub, "status": "enabled", "weight": None})

    def _record_modify(self, form):
        dom = self._find_domain(form)
        if dom is None:
            return self._answer("6", "Domain id invalid")
        rec = self.recs.get(form.get("record_id", ""))
        if rec is None or rec["_domain"] != dom["id"]:
            return self._answer("8", "Record id invalid")
        bad = self._check_value(form)
        if bad:
            return bad
        line_id, line = self._line(form)
        if line_id is None:
            return self._answer("26", "Record line invalid")
        if rec["value"] == form["value"] and str(rec["ttl"]) == str(form.get("ttl", rec["ttl"])):
            self.same_value_writes += 1
        rec.update({"name": form.get("sub_domain") or "@", "type": form["record_type"],
                    "value": form["value"], "ttl": str(form.get("ttl", "600")), "line": line,
                    "line_id": line_id})
        # The real API answers Record.Modify with a numeric id (cassettes).
        return self._answer("1", "Action completed successful",
                            record={"id": int(rec["id"]), "name": rec["name"],
                                    "value": rec["value"], "status": "enable", "weight": None})

    def _record_ddns(self, form):
        form = dict(form)
        rec = self.recs.get(form.get("record_id", ""))
        form.setdefault("record_type", rec["type"] if rec else "A")
        form.setdefault("ttl", rec["ttl"] if rec else "600")
        return self._record_modify(form)

    def _record_remove(self, form):
        rec = self.recs.get(form.get("record_id", ""))
        if rec is None:
            return self._answer("8", "Record id invalid")
        del self.recs[rec["id"]]
        return self._answer("1", "Action completed successful")


__all__ = ["DNSPodEmulator", "Request"]
