"""dynv6's REST API (https://dynv6.com/docs/apis -> https://dynv6.github.io/api-spec/, base
https://dynv6.com/api/v2, `Authorization: Bearer TOKEN`). GET /zones once per run finds the
zone of a name (the longest that holds it); GET /zones/{id}/records reads its records; a missing
one is added with POST /zones/{id}/records {"name", "type", "data"} and a changed one written
with PATCH /zones/{id}/records/{recordID} {"data"}. The zone's own name has no record: its A and
AAAA are the zone's "ipv4address" and "ipv6prefix" fields, read from GET /zones and written with
PATCH /zones/{id} (an "ipv6prefix" with a /length keeps that length). The API has no TTL.
401/403 stop all calls; errors are {"error": {"name", "message", "fields"}}.
"""

from ddns_min import compat
from ddns_min.errors import APIError, RateLimited
from ddns_min.providers.base import Provider, pick, same_name

FIELD = {"A": "ipv4address", "AAAA": "ipv6prefix"}


class Dynv6(Provider):
    name = "dynv6"
    default_endpoint = "https://dynv6.com/api/v2"
    needs_help = {"token": "an HTTP token from https://dynv6.com/keys"}

    def __init__(self, conf):
        super(Dynv6, self).__init__(conf)
        self.zones = None    # [(name, id, zone object)]
        self.records = {}    # zone id -> [record]

    def api(self, method, path, body=None):
        headers = {"Authorization": "Bearer " + self.conf["token"], "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = compat.json_dumps(body)
        status, resp_headers, text = self.call(method, path, headers, body, read=method == "GET")
        data = None
        try:
            data = compat.json_loads(text) if text.strip() else None
        except (ValueError, RuntimeError, MemoryError):
            if 200 <= status < 300:
                raise APIError("dynv6 answered HTTP %s with something that is not JSON: %r"
                               % (status, " ".join(text.split())[:60]))
        if 200 <= status < 300:
            self.answered = True
            return data
        error = data.get("error") if isinstance(data, dict) else None
        error = error if isinstance(error, dict) else {}
        detail = "%s: %s" % (error.get("name") or "HTTP %s" % status,
                             error.get("message") or " ".join(text.split())[:80])
        for field in error.get("fields") if isinstance(error.get("fields"), list) else []:
            if isinstance(field, dict):
                detail += "; %s: %s" % (field.get("name"), field.get("message"))
        detail = compat.to_native(detail)
        if status == 429:
            raise RateLimited("dynv6 rate limit: HTTP 429 %s" % detail,
                              resp_headers.get("retry-after"))
        if status in (401, 403):
            self.refuse('dynv6 refused the token: HTTP %s %s; check "token" (a token limited '
                        'to one zone cannot change others)' % (status, detail))
        raise APIError("dynv6: HTTP %s %s %s" % (status, method, detail))

    def zone_of(self, name):
        if self.zones is None:
            zones = []
            for z in self.expect(self.api("GET", "/zones"), list, "zones"):
                z = self.expect(z, dict, "zones[]")
                zname = self.expect(z.get("name"), str, "zones[].name").lower().rstrip(".")
                zones.append((compat.to_native(zname), self.ident(z.get("id"), "zones[].id"), z))
            self.zones = zones
        best = None
        for zone in self.zones:
            if (name == zone[0] or name.endswith("." + zone[0])) and \
                    (best is None or len(zone[0]) > len(best[0])):
                best = zone
        if best is None:
            raise APIError('dynv6: no zone of this account holds "%s"; check the name and '
                           '"token"' % name)
        return best

    def find(self, name, rtype, ip):
        zname, zid, zone = self.zone_of(name)
        if name == zname:
            held = zone.get(FIELD[rtype])
            held = self.expect(held, str, FIELD[rtype]) if held else ""
            return {"zone": zid, "sub": "", "id": "zone" if held else None,
                    "ip": compat.to_native(held.split("/")[0]),
                    "len": held.split("/")[1] if "/" in held else None}
        sub = name[:-len(zname) - 1]
        if zid not in self.records:
            got = self.expect(self.api("GET", "/zones/%s/records" % zid), list, "records")
            self.records[zid] = [self.expect(r, dict, "records[]") for r in got]
        found = []
        for r in self.records[zid]:
            if r.get("type") == rtype and (same_name(r.get("name"), sub) or
                                           same_name(r.get("name"), name)):
                found.append({"zone": zid, "sub": sub, "id": self.ident(r.get("id"), "id"),
                              "ip": compat.to_native(self.expect(r.get("data"), str, "data"))})
        return pick(found, ip, {"zone": zid, "sub": sub, "id": None})

    def create(self, name, rtype, ip, rec):
        if not rec["sub"]:
            return self.update(name, rtype, ip, rec)
        data = self.api("POST", "/zones/%s/records" % rec["zone"],
                        {"name": rec["sub"], "type": rtype, "data": _ip(ip)})
        return self._record(rec, data)

    def update(self, name, rtype, ip, rec):
        new = dict(rec)
        if not rec["sub"]:
            value = _ip(ip) + ("/" + rec["len"] if rec.get("len") and rtype == "AAAA" else "")
            data = self.api("PATCH", "/zones/%s" % rec["zone"], {FIELD[rtype]: value})
            held = data.get(FIELD[rtype]) if isinstance(data, dict) else None
            new.update({"id": "zone", "ip": compat.to_native(
                self.expect(held, str, FIELD[rtype]).split("/")[0]) if held else ip})
            return new
        data = self.api("PATCH", "/zones/%s/records/%s" % (rec["zone"], rec["id"]),
                        {"data": _ip(ip)})
        return self._record(rec, data)

    def _record(self, rec, data):
        data = self.expect(data, dict, "record")
        new = dict(rec)
        new.update({"id": self.ident(data.get("id"), "id"),
                    "ip": compat.to_native(self.expect(data.get("data"), str, "data"))})
        return new


def _ip(ip):
    if not ip:
        raise APIError("dynv6: no address to write")
    return ip
