"""An emulator of the ClouDNS HTTP API's record calls, as documented: authentication
(https://www.cloudns.net/wiki/article/42/, auth-id or sub-auth-id or sub-auth-user with
auth-password, in a GET query or a POST form), /dns/records.json (article 57: an object of
records by id, `[]` when there are none), /dns/add-record.json (58) and /dns/mod-record.json (60)
with their required parameters and the allowed TTLs (188). Every error is HTTP 200 with
{"status": "Failed", "statusDescription": ...}. Same-value modifications are counted.
records.json pages when `rows-per-page` (10, 20, 30, 50 or 100) is sent, `page` counting from 1
(ordered by id; a page past the end is `[]`); /dns/get-records-pages-count.json answers the
number of pages for the same filters (`host`, `type`, `rows-per-page`) as a bare number. The
count is taken after filtering, before paging; without `rows-per-page` every match comes at once."""
import json

from fake_http import Emulator

TTLS = (60, 300, 900, 1800, 3600, 21600, 43200, 86400, 172800, 259200, 604800, 1209600,
        2592000)
BAD_AUTH = "Invalid authentication, incorrect auth-id or auth-password."
BAD_SUB_AUTH = "Invalid authentication, incorrect sub-auth-id, sub-auth-user or auth-password."
# dnscontrol's ClouDNS provider (PR #3962) reports that a rate-limited request gets HTTP 200 and
# a Failed status naming the limit of 20 requests per second (wiki article 41).
ROWS = (10, 20, 30, 50, 100)
RATE_LIMITED = "You have exceeded the API request limit of 20 requests per second."


class ClouDNSEmulator(Emulator):
    def __init__(self):
        super(ClouDNSEmulator, self).__init__()
        self.users = {}      # auth-id -> auth-password
        self.sub_ids = {}    # sub-auth-id -> auth-password
        self.sub_users = {}  # sub-auth-user -> auth-password
        self.zones = set()
        self.recs = {}       # id (int) -> record
        self.next_id = 500000
        self.same_value_writes = 0
        self.rate_limited = False

    def add_record(self, zone, host, rtype, value, ttl=3600):
        self.next_id += 1
        self.recs[self.next_id] = {"id": str(self.next_id), "type": rtype, "host": host,
                                   "record": value, "dynamicurl_status": 0, "failover": "0",
                                   "ttl": str(ttl), "status": 1, "zone": zone}
        return self.next_id

    def records(self, host=None):
        return [r for r in self.recs.values() if host is None or r["host"] == host]

    def _answer(self, body):
        return 200, {"Content-Type": "application/json"}, json.dumps(body)

    def _failed(self, description):
        return self._answer({"status": "Failed", "statusDescription": description})

    def handle(self, req):
        if req.method not in ("GET", "POST"):
            return 405, {"Content-Type": "text/plain"}, "method not allowed"
        p = dict(req.query)
        p.update(req.form or {})
        password = p.get("auth-password")
        if "auth-id" in p:
            if self.users.get(p["auth-id"]) != password or password is None:
                return self._failed(BAD_AUTH)
        elif "sub-auth-id" in p or "sub-auth-user" in p:
            table, key = (self.sub_ids, p["sub-auth-id"]) if "sub-auth-id" in p else \
                (self.sub_users, p["sub-auth-user"])
            if table.get(key) != password or password is None:
                return self._failed(BAD_SUB_AUTH)
        else:
            return self._failed(BAD_AUTH)
        if self.rate_limited:
            return self._failed(RATE_LIMITED)
        action = {"/dns/records.json": self._records, "/dns/add-record.json": self._add,
                  "/dns/get-records-pages-count.json": self._pages_count,
                  "/dns/mod-record.json": self._mod}.get(req.path)
        if action is None:
            return 404, {"Content-Type": "text/html"}, "<html>Not Found</html>"
        if p.get("domain-name") not in self.zones:
            return self._failed("Missing domain-name")
        return action(p)

    def _matching(self, p):
        return [self.recs[k] for k in sorted(self.recs)
                if self.recs[k]["zone"] == p["domain-name"] and
                ("host" not in p or self.recs[k]["host"] == p["host"]) and
                ("type" not in p or self.recs[k]["type"] == p["type"].upper())]

    def _rows(self, p):
        try:
            rows = int(p["rows-per-page"])
        except (TypeError, ValueError):
            rows = None
        return rows if rows in ROWS else None

    def _records(self, p):
        recs = self._matching(p)  # all of them, before paging
        if "rows-per-page" in p:
            rows = self._rows(p)
            if rows is None:
                return self._failed("Invalid rows-per-page param.")
            page = p.get("page", "")
            if not page.isdigit() or int(page) < 1:
                return self._failed("Missing page param.")
            recs = recs[(int(page) - 1) * rows:int(page) * rows]
        found = dict((r["id"], dict((k, v) for k, v in r.items() if k != "zone"))
                     for r in recs)
        return self._answer(found or [])

    def _pages_count(self, p):
        rows = self._rows(p)
        if rows is None:
            return self._failed("Invalid rows-per-page param.")
        return self._answer((len(self._matching(p)) + rows - 1) // rows)

    def _ttl(self, p):
        try:
            ttl = int(p.get("ttl"))
        except (TypeError, ValueError):
            return None
        return ttl if ttl in TTLS else None

    def _add(self, p):
        for key in ("record-type", "host", "record", "ttl"):
            if key not in p:
                return self._failed("Missing %s" % key)
        ttl = self._ttl(p)
        if ttl is None:
            return self._failed("Invalid TTL. Choose from the list of the values we support.")
        rid = self.add_record(p["domain-name"], p["host"], p["record-type"].upper(), p["record"],
                              ttl)
        return self._answer({"status": "Success",
                             "statusDescription": "The record was added successfully.",
                             "data": {"id": rid}})

    def _mod(self, p):
        for key in ("record-id", "host", "record", "ttl"):
            if key not in p:
                return self._failed("Missing %s" % key)
        try:
            rec = self.recs.get(int(p["record-id"]))
        except ValueError:
            rec = None
        if rec is None or rec["zone"] != p["domain-name"]:
            return self._failed("Invalid record-id param.")
        ttl = self._ttl(p)
        if ttl is None:
            return self._failed("Invalid TTL. Choose from the list of the values we support.")
        if (rec["host"], rec["record"], rec["ttl"]) == (p["host"], p["record"], str(ttl)):
            self.same_value_writes += 1
        rec.update({"host": p["host"], "record": p["record"], "ttl": str(ttl)})
        return self._answer({"status": "Success",
                             "statusDescription": "The record was modified successfully."})
