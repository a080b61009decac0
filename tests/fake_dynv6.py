"""dynv6's REST API as its OpenAPI spec describes it (https://dynv6.github.io/api-spec/, source
github.com/dynv6/api-spec api/*.yml): Bearer tokens, optionally limited to one zone (403 for
others); GET/PATCH /zones/{id} with ipv4address/ipv6prefix; GET/POST /zones/{id}/records;
GET/PATCH /zones/{id}/records/{recordID}; 404 for unknown ids; 422 ValidationError bodies
{"error": {"name": "ValidationError", "message", "fields": [{"name", "message"}]}}."""
import json
import socket

from fake_http import Emulator


def _valid(rtype, value):
    try:
        socket.inet_pton(socket.AF_INET if rtype == "A" else socket.AF_INET6, value)
        return True
    except (socket.error, TypeError, ValueError):
        return False


class Dynv6Emulator(Emulator):
    base = "/api/v2"

    def __init__(self):
        super(Dynv6Emulator, self).__init__()
        self.tokens = {}   # token -> None (whole account) or the one zone id it may touch
        self.zones = {}    # id -> zone object
        self.records = {}  # id -> record object
        self.same_value_writes = 0
        self._next = 1000

    def add_zone(self, name, ipv4="", ipv6=""):
        self._next += 1
        self.zones[self._next] = {"id": self._next, "name": name, "ipv4address": ipv4,
                                  "ipv6prefix": ipv6, "createdAt": "2026-01-01T00:00:00Z",
                                  "updatedAt": "2026-01-01T00:00:00Z"}
        return self._next

    def add_record(self, zid, name, rtype, data):
        self._next += 1
        self.records[self._next] = {"id": self._next, "zoneID": zid, "name": name,
                                    "type": rtype, "data": data}
        return self._next

    def find(self, zid, name, rtype):
        return [r for r in self.records.values() if r["zoneID"] == zid and r["name"] == name and
                r["type"] == rtype]

    @staticmethod
    def _json(status, body):
        return status, {"Content-Type": "application/json"}, json.dumps(body)

    def _error(self, status, name, message, fields=None):
        err = {"name": name, "message": message}
        if fields is not None:
            err["fields"] = [{"name": k, "message": v} for k, v in fields]
        return self._json(status, {"error": err})

    def handle(self, req):
        auth = req.headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.tokens:
            return self._error(401, "Unauthorized", "invalid or missing token")
        limit = self.tokens[auth[7:]]
        if not req.path.startswith(self.base + "/"):
            return self._error(404, "NotFound", "not found")
        parts = req.path[len(self.base) + 1:].split("/")
        if parts == ["zones"] and req.method == "GET":
            return self._json(200, [z for z in sorted(self.zones.values(), key=lambda z: z["id"])
                                    if limit in (None, z["id"])])
        if parts[0] != "zones" or len(parts) < 2 or not parts[1].isdigit() or \
                int(parts[1]) not in self.zones:
            return self._error(404, "NotFound", "zone not found")
        zid = int(parts[1])
        if limit not in (None, zid):
            return self._error(403, "Forbidden", "token is restricted to another zone")
        zone = self.zones[zid]
        if req.method in ("POST", "PATCH") and not req.headers.get(
                "content-type", "").startswith("application/json"):
            return self._error(400, "BadRequest", "malformed client data")
        if len(parts) == 2:
            if req.method == "GET":
                return self._json(200, zone)
            if req.method == "PATCH":
                return self._patch_zone(zone, req.json)
        if len(parts) == 3 and parts[2] == "records":
            if req.method == "GET":
                return self._json(200, [r for r in self.records.values() if r["zoneID"] == zid])
            if req.method == "POST":
                return self._add(zid, req.json)
        if len(parts) == 4 and parts[2] == "records":
            rec = self.records.get(int(parts[3])) if parts[3].isdigit() else None
            if rec is None or rec["zoneID"] != zid:
                return self._error(404, "NotFound", "record not found")
            if req.method == "GET":
                return self._json(200, rec)
            if req.method == "PATCH":
                return self._patch_record(rec, req.json)
        return self._error(405, "MethodNotAllowed", "method not allowed")

    def _patch_zone(self, zone, body):
        if not isinstance(body, dict):
            return self._error(400, "BadRequest", "malformed client data")
        bad = [(k, "invalid address") for k, t in (("ipv4address", "A"), ("ipv6prefix", "AAAA"))
               if k in body and not _valid(t, str(body[k]).split("/")[0])]
        if bad:
            return self._error(422, "ValidationError", "field value validation failed", bad)
        for key in ("ipv4address", "ipv6prefix"):
            if key in body:
                if body[key] == zone[key]:
                    self.same_value_writes += 1
                zone[key] = body[key]
        return self._json(200, zone)

    def _add(self, zid, body):
        if not isinstance(body, dict):
            return self._error(400, "BadRequest", "malformed client data")
        missing = [(k, "is required") for k in ("type", "name", "data") if not body.get(k)]
        if not missing and body["type"] in ("A", "AAAA") and not _valid(body["type"],
                                                                         body["data"]):
            missing = [("data", "invalid address")]
        if missing:
            return self._error(422, "ValidationError", "field value validation failed", missing)
        rid = self.add_record(zid, body["name"], body["type"], body["data"])
        return self._json(200, self.records[rid])

    def _patch_record(self, rec, body):
        if not isinstance(body, dict):
            return self._error(400, "BadRequest", "malformed client data")
        if "data" in body and rec["type"] in ("A", "AAAA") and not _valid(rec["type"],
                                                                           body["data"]):
            return self._error(422, "ValidationError", "field value validation failed",
                               [("data", "invalid address")])
        if body.get("data", rec["data"]) == rec["data"]:
            self.same_value_writes += 1
        rec.update(dict((k, v) for k, v in body.items() if k in ("name", "data")))
        return self._json(200, rec)
