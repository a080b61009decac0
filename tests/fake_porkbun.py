"""An emulator of Porkbun's API v3 DNS calls (https://porkbun.com/api/json/v3/documentation, host
api.porkbun.com, base path /api/json/v3): JSON POSTs whose body carries "apikey" and
"secretapikey"; answers {"status": "SUCCESS", ...} or HTTP 400 {"status": "ERROR", "message"}.
Records carry the full name ("home.example.com") and text ids/ttls, as the docs' examples show;
a domain must be opted in to API access. /dns/retrieve/DOMAIN[/ID] answers every record of the
domain (or the one record) at once: the API documents no paging and no type filter there."""
import json

from fake_http import Emulator

BASE = "/api/json/v3"


class PorkbunEmulator(Emulator):
    base = BASE

    def __init__(self):
        super(PorkbunEmulator, self).__init__()
        self.keys = {}         # apikey -> secretapikey
        self.domains = set()   # opted in to API access
        self.not_opted_in = set()
        self.recs = {}         # id (int) -> {"id", "name", "type", "content", "ttl", "prio", ...}
        self.next_id = 106926650
        self.same_value_writes = 0

    def add_record(self, name, rtype, content, ttl=600):
        self.next_id += 1
        self.recs[self.next_id] = {"id": str(self.next_id), "name": name, "type": rtype,
                                   "content": content, "ttl": str(ttl), "prio": "0",
                                   "notes": ""}
        return self.next_id

    def records(self, name=None):
        return [r for r in self.recs.values() if name is None or r["name"] == name]

    def _ok(self, **body):
        body["status"] = "SUCCESS"
        return 200, {"Content-Type": "application/json"}, json.dumps(body)

    def _error(self, message, status=400):
        return status, {"Content-Type": "application/json"}, json.dumps(
            {"status": "ERROR", "message": message})

    def handle(self, req):
        if req.method != "POST" or not req.path.startswith(BASE + "/dns/"):
            return self._error("Invalid API endpoint.", 404)
        body = req.json
        if not isinstance(body, dict):
            return self._error("Invalid JSON.")
        if not body.get("apikey") or not body.get("secretapikey"):
            return self._error("All API requests require an API key and secret API key.")
        if self.keys.get(body["apikey"]) != body["secretapikey"]:
            return self._error("Invalid API key. (002)")
        parts = req.path[len(BASE) + len("/dns/"):].split("/")
        command, args = parts[0], parts[1:]
        if not args or args[0] not in self.domains | self.not_opted_in:
            return self._error("Invalid domain.")
        if args[0] in self.not_opted_in:
            return self._error("Domain is not opted in to API access.")
        handler = getattr(self, "_" + command, None)
        if handler is None:
            return self._error("Invalid API endpoint.", 404)
        return handler(args, body)

    def _full(self, domain, sub):
        return sub + "." + domain if sub else domain

    def _ttl(self, body, default):
        ttl = str(body.get("ttl") or default)
        return ttl if ttl.isdigit() and int(ttl) >= 600 else None

    def _retrieveByNameType(self, args, body):
        if len(args) < 2:
            return self._error("Invalid type.")
        name = self._full(args[0], args[2] if len(args) > 2 else "")
        return self._ok(cloudflare="enabled", records=[
            dict(r) for r in self.recs.values() if r["name"] == name and r["type"] == args[1]])

    def _retrieve(self, args, body):
        domain = args[0]
        recs = [dict(self.recs[k]) for k in sorted(self.recs)
                if self.recs[k]["name"] == domain or self.recs[k]["name"].endswith("." + domain)]
        if len(args) > 1:
            recs = [r for r in recs if r["id"] == args[1]]
        return self._ok(cloudflare="enabled", records=recs)

    def _create(self, args, body):
        if body.get("type") not in ("A", "AAAA") or not body.get("content"):
            return self._error("Invalid type or content.")
        ttl = self._ttl(body, 600)
        if ttl is None:
            return self._error("TTL must be at least 600.")
        rid = self.add_record(self._full(args[0], body.get("name") or ""), body["type"],
                              body["content"], ttl)
        return self._ok(id=rid)

    def _edit(self, args, body):
        rec = self.recs.get(int(args[1])) if len(args) > 1 and args[1].isdigit() else None
        if rec is None or not rec["name"].endswith(args[0]):
            return self._error("Invalid record ID.")
        ttl = self._ttl(body, rec["ttl"])
        if ttl is None or not body.get("content") or body.get("type") != rec["type"]:
            return self._error("Invalid type, content or TTL.")
        if rec["content"] == body["content"] and rec["ttl"] == ttl:
            self.same_value_writes += 1
        rec.update({"content": body["content"], "ttl": ttl,
                    "name": self._full(args[0], body.get("name") or "")})
        return self._ok()
