"""A stateful emulator of the Cloudflare v4 DNS API, answering as the real one does.

Shapes and codes from the recorded traffic in shared/reference/cassettes/cloudflare (81058 for a
duplicate, envelopes with success/errors/messages/result/result_info) and Cloudflare's docs:
9109 "Invalid access token", 6003/6111 for a malformed Authorization header, 9103 for a bad global
key, 10000 for a token without access to the zone, 7003 for a bad object id, 7000 for an unknown
route, 81044 for a missing record, 9005/9006 for content that is not an address of the type,
971 with Retry-After on rate limits. Record answers carry no zone_id (removed in 2024).
"""
import json
import re
import time
import uuid

from fake_http import Emulator

TYPES_IP = {"A": 4, "AAAA": 6}


def _now():
    return time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())


def _is_ip(value, family):
    import socket
    try:
        socket.inet_pton(socket.AF_INET if family == 4 else socket.AF_INET6, value)
        return True
    except (socket.error, ValueError, TypeError):
        return False


class CloudflareEmulator(Emulator):
    base = "/client/v4"

    def __init__(self):
        super(CloudflareEmulator, self).__init__()
        self.zones = {}      # id -> {"id", "name", "status"}
        self.recs = {}       # id -> record dict (with a private "_zone" id)
        self.tokens = {}     # token -> None (all zones) or [zone names]
        self.keys = {}       # e-mail -> global API key
        self.rate_limited = 0
        self.batch_limit = 200  # the Free plan's changes per batch request
        self.batch_refused = None  # (status, code, message): every batch request gets it

    # -- seeding and inspection
    def add_zone(self, name):
        zid = uuid.uuid4().hex
        self.zones[zid] = {"id": zid, "name": name, "status": "active", "paused": False,
                           "type": "full", "development_mode": 0,
                           "name_servers": ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"],
                           "meta": {"step": 4}, "created_on": _now(), "modified_on": _now(),
                           "activated_on": _now()}
        return zid

    def add_record(self, zone_name, name, type, content, ttl=1, proxied=False, comment=None,
                   tags=None):
        zid = [z for z in self.zones if self.zones[z]["name"] == zone_name][0]
        rid = uuid.uuid4().hex
        self.recs[rid] = self._record(rid, zid, name, type, content, ttl, proxied, comment,
                                      tags or [])
        return rid

    def records(self, name=None, type=None):
        out = []
        for rec in self.recs.values():
            if (name is None or rec["name"] == name) and (type is None or rec["type"] == type):
                shown = dict(rec)
                shown["zone_name"] = self.zones[shown.pop("_zone")]["name"]
                out.append(shown)
        return out

    def delete_record(self, rid):
        del self.recs[rid]

    def set_record(self, rid, **fields):
        self.recs[rid].update(fields)

    def rate_limit_next(self, retry_after=1, count=1):
        body = self._envelope(None, [(971, "Please wait and consider throttling your request "
                                           "speed")])
        self.fail_next(429, body, {"Retry-After": str(retry_after)}, "application/json",
                       count=count)

    # -- the API
    def _record(self, rid, zid, name, rtype, content, ttl, proxied, comment, tags):
        return {"id": rid, "_zone": zid, "name": name, "type": rtype, "content": content,
                "proxiable": rtype in TYPES_IP, "proxied": bool(proxied),
                "ttl": 1 if proxied else ttl, "settings": {}, "meta": {}, "comment": comment,
                "tags": tags, "created_on": _now(), "modified_on": _now()}

    @staticmethod
    def _envelope(result, errors=(), info=None, status=200):
        body = {"success": not errors, "errors": [{"code": c, "message": m} for c, m in errors],
                "messages": [], "result": result}
        if info is not None:
            body["result_info"] = info
        return json.dumps(body)

    def _answer(self, status, result=None, errors=(), info=None):
        return status, {"Content-Type": "application/json"}, self._envelope(result, errors, info)

    def _auth(self, req):
        """-> None (all zones), a list of zone names, or an error answer."""
        auth = req.headers.get("authorization")
        if auth is not None:
            if not re.match(r"^Bearer [A-Za-z0-9_\-.]+$", auth):
                body = json.loads(self._envelope(None, [(6003, "Invalid request headers")]))
                body["errors"][0]["error_chain"] = [
                    {"code": 6111, "message": "Invalid format for Authorization header"}]
                return 400, {"Content-Type": "application/json"}, json.dumps(body)
            token = auth[7:]
            if token not in self.tokens:
                return self._answer(403, errors=[(9109, "Invalid access token")])
            return self.tokens[token]
        email, key = req.headers.get("x-auth-email"), req.headers.get("x-auth-key")
        if email is None and key is None:
            return self._answer(400, errors=[(9106, "Missing X-Auth-Email header"),
                                             (9107, "Missing X-Auth-Key header")])
        if self.keys.get(email) != key or not key:
            return self._answer(403, errors=[(9103, "Unknown X-Auth-Key or X-Auth-Email")])
        return None

    def handle(self, req):
        path = req.path[len(self.base):] if req.path.startswith(self.base) else None
        if path is None:
            return self._answer(404, errors=[(7000, "No route for that URI")])
        allowed = self._auth(req)
        if isinstance(allowed, tuple):
            return allowed
        parts = [p for p in path.split("/") if p]
        if parts == ["user", "tokens", "verify"] and req.method == "GET":
            return self._answer(200, {"id": "tok", "status": "active"})
        if parts == ["zones"] and req.method == "GET":
            return self._list_zones(req, allowed)
        if len(parts) >= 2 and parts[0] == "zones":
            zone = self.zones.get(parts[1])
            if zone is None:
                return self._answer(400, errors=[(7003, "Could not route to /zones/%s, perhaps "
                                                        "your object identifier is invalid?"
                                                  % parts[1])])
            if allowed is not None and zone["name"] not in allowed:
                return self._answer(403, errors=[(10000, "Authentication error")])
            if len(parts) == 2 and req.method == "GET":
                return self._answer(200, zone)
            if parts[2:] == ["dns_records", "batch"] and req.method == "POST":
                return self._batch(req, zone)
            if len(parts) >= 3 and parts[2] == "dns_records":
                return self._records_api(req, zone, parts[3:])
        return self._answer(405 if parts else 404, errors=[(7000, "No route for that URI")])

    def _page(self, req, items):
        page = int(req.query.get("page", 1))
        per = int(req.query.get("per_page", 100))
        chunk = items[(page - 1) * per:page * per]
        pages = max(1, (len(items) + per - 1) // per)
        return chunk, {"page": page, "per_page": per, "count": len(chunk),
                       "total_count": len(items), "total_pages": pages}

    def _list_zones(self, req, allowed):
        zones = sorted(self.zones.values(), key=lambda z: z["name"])
        if allowed is not None:
            zones = [z for z in zones if z["name"] in allowed]
        name = req.query.get("name.exact", req.query.get("name"))
        if name is not None:
            zones = [z for z in zones if z["name"] == name.lower()]
        if "status" in req.query:
            zones = [z for z in zones if z["status"] == req.query["status"]]
        chunk, info = self._page(req, zones)
        return self._answer(200, chunk, info=info)

    def _shown(self, rec):
        out = dict(rec)
        del out["_zone"]
        return out

    def _records_api(self, req, zone, rest):
        zid = zone["id"]
        if not rest and req.method == "GET":
            found = [r for r in self.recs.values() if r["_zone"] == zid]
            for key in ("type", "content"):
                if key in req.query:
                    found = [r for r in found if r[key] == req.query[key]]
            name = req.query.get("name.exact", req.query.get("name"))
            if name is not None:
                found = [r for r in found if r["name"] == name.lower()]
            chunk, info = self._page(req, sorted(found, key=lambda r: r["created_on"]))
            return self._answer(200, [self._shown(r) for r in chunk], info=info)
        if not rest and req.method == "POST":
            return self._write(req, zone, None)
        rec = self.recs.get(rest[0]) if len(rest) == 1 else None
        if rec is None or rec["_zone"] != zid:
            return self._answer(404, errors=[(81044, "Record does not exist.")])
        if req.method == "GET":
            return self._answer(200, self._shown(rec))
        if req.method == "DELETE":
            del self.recs[rec["id"]]
            return self._answer(200, {"id": rec["id"]})
        if req.method in ("PATCH", "PUT"):
            return self._write(req, zone, rec)
        return self._answer(405, errors=[(7001, "Method %s not allowed" % req.method)])

    def _write(self, req, zone, rec):
        if not req.headers.get("content-type", "").startswith("application/json") or \
                not isinstance(req.json, dict):
            return self._answer(400, errors=[(9207, "Request body is invalid.")])
        new = self._apply(req.method, req.json, zone, rec)
        if isinstance(new, tuple):
            return self._answer(*new)
        self.recs[new["id"]] = new
        return self._answer(200, self._shown(new))

    def _batch(self, req, zone):
        """POST .../dns_records/batch (https://developers.cloudflare.com/dns/manage-dns-records/
        how-to/batch-record-changes/): deletes, patches, puts, posts in that order, in one
        transaction: the first failing change answers for the batch and nothing is applied."""
        if self.batch_refused:
            status, code, message = self.batch_refused
            return self._answer(status, errors=[(code, message)])
        body = req.json
        if not req.headers.get("content-type", "").startswith("application/json") or \
                not isinstance(body, dict):
            return self._answer(400, errors=[(9207, "Request body is invalid.")])
        kinds = (("deletes", "DELETE"), ("patches", "PATCH"), ("puts", "PUT"), ("posts", "POST"))
        if sum(len(body.get(k) or []) for k, _ in kinds) > self.batch_limit:
            return self._answer(400, errors=[(1004, "DNS Validation Error: too many changes "
                                                    "in one batch (%d at most)"
                                              % self.batch_limit)])
        saved, out = dict(self.recs), {}
        for kind, method in kinds:
            out[kind] = []
            for item in body.get(kind) or []:
                fields = dict(item) if isinstance(item, dict) else {}
                rec = None if kind == "posts" else self.recs.get(fields.pop("id", None))
                if kind != "posts" and (rec is None or rec["_zone"] != zone["id"]):
                    self.recs = saved
                    return self._answer(404, errors=[(81044, "Record does not exist.")])
                if kind == "deletes":
                    out[kind].append(self._shown(self.recs.pop(rec["id"])))
                    continue
                new = self._apply(method, fields, zone, rec)
                if isinstance(new, tuple):
                    self.recs = saved
                    return self._answer(*new)
                self.recs[new["id"]] = new
                out[kind].append(self._shown(new))
        return self._answer(200, out)

    def _apply(self, method, body, zone, rec):
        """-> the record as it would be after this write, or an error (status, None, errors)."""
        if rec is not None and method == "PATCH":
            merged = dict(rec)
            merged.update(body)
        else:
            # an omitted ttl means 1 (automatic), as clients in the field (the ddns package)
            # rely on when they PUT without one
            merged = {"ttl": 1, "proxied": False, "comment": None, "tags": []}
            merged.update(body)
        rtype, name, content = merged.get("type"), merged.get("name"), merged.get("content")
        ttl = merged.get("ttl")
        if rtype not in ("A", "AAAA", "CNAME", "TXT", "MX", "NS"):
            return 400, None, [(9101, "DNS record type is invalid.")]
        if rtype in TYPES_IP and not _is_ip(content, TYPES_IP[rtype]):
            code = 9005 if rtype == "A" else 9006
            return 400, None, [(code, "Content for %s record must be a valid IPv%d address."
                                % (rtype, TYPES_IP[rtype]))]
        name = (name or "").lower().rstrip(".")
        if name != zone["name"] and not name.endswith("." + zone["name"]):
            return 400, None, [(9007, "The record name must be in the zone.")]
        if ttl is None or not (ttl == 1 or 60 <= ttl <= 86400):
            return 400, None, [(9021, "Invalid TTL. Must be between 60 and 86400 seconds, or "
                                      "1 for Automatic.")]
        if not isinstance(merged.get("proxied", False), bool):
            return 400, None, [(9003, "Invalid 'proxied' value, must be a boolean")]
        for other in self.recs.values():
            if other["_zone"] != zone["id"] or (rec is not None and other["id"] == rec["id"]):
                continue
            if (other["name"], other["type"], other["content"]) == (name, rtype, content):
                return 400, None, [(81058, "An identical record already exists.")]
            if other["name"] == name and "CNAME" in (rtype, other["type"]) and \
                    other["type"] in ("A", "AAAA", "CNAME") and rtype in ("A", "AAAA", "CNAME"):
                return 400, None, [(81053, "An A, AAAA, or CNAME record with that host "
                                          "already exists.")]
        rid = rec["id"] if rec is not None else uuid.uuid4().hex
        new = self._record(rid, zone["id"], name, rtype, content, ttl, merged.get("proxied"),
                           merged.get("comment"), merged.get("tags") or [])
        if rec is not None:
            new["created_on"] = rec["created_on"]
        return new
