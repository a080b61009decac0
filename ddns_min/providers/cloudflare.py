"""Cloudflare API v4: https://developers.cloudflare.com/api/resources/dns/subresources/records/

Auth: an API token (Authorization: Bearer) or, when "id" holds the account e-mail, the global key
(X-Auth-Email + X-Auth-Key). Updates use PATCH with only the fields that change, so proxied,
comment, tags and ttl that the user did not configure stay as they are.
"""

from ddns_min import compat
from ddns_min.errors import APIError, ConfigError, NetworkError, RateLimited, RecordGone
from ddns_min.providers.base import Provider, pick, same_name

# Error codes that mean "these credentials may not do this" (HTTP 400/401/403 answers):
# 9103 unknown X-Auth-Key/Email, 9106/9107 missing auth headers, 9109 invalid access token,
# 6003/6103/6111 malformed auth headers, 10000 authentication error, 10001 unauthorized.
AUTH_CODES = (9103, 9106, 9107, 9109, 6003, 6103, 6111, 10000, 10001)
GONE_CODES = (81044,)  # "Record does not exist."
PAGE = 50
MAX_PAGES = 20  # 1,000 zones: an account (or an answer) claiming more pages is cut off there
LIST_PAGE = 100  # records per page of a zone listing (prefetch)
# Writes per batch request. Cloudflare allows 200 (Free plan) or 3,500
# (https://developers.cloudflare.com/dns/manage-dns-records/how-to/batch-record-changes/); 50
# keeps a batch and its answer within a router's 1 MB MicroPython heap (tests/test_answers.py).
BATCH = 50


class Cloudflare(Provider):
    name = "cloudflare"
    default_endpoint = "https://api.cloudflare.com/client/v4"
    blind_write = True  # a PATCH that changes nothing is harmless here
    batch_size = BATCH

    def __init__(self, conf):
        super(Cloudflare, self).__init__(conf)
        self.zones = None  # [(name, id)] of the account, listed once per run

    @classmethod
    def check(cls, conf):
        ttl = conf.get("ttl")
        if ttl is not None and ttl != 1 and not 60 <= ttl <= 86400:
            raise ConfigError('config: "ttl" must be 1 (automatic) or 60..86400 for Cloudflare, '
                              'got "%s"' % ttl)

    def api(self, method, path, body=None):
        headers = {"Accept": "application/json"}
        if self.conf.get("id"):
            headers["X-Auth-Email"] = self.conf["id"]
            headers["X-Auth-Key"] = self.conf["token"]
        else:
            headers["Authorization"] = "Bearer " + self.conf["token"]
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = compat.json_dumps(body)
        status, resp_headers, text = self.call(method, path, headers, body, read=method == "GET")
        data = self.decode(status, text)
        if data.get("success") is True and 200 <= status < 300:
            self.answered = True
            return data
        errors = data.get("errors") if isinstance(data.get("errors"), list) else []
        codes = [e.get("code") for e in errors if isinstance(e, dict)]
        detail = "; ".join("[%s] %s" % (e.get("code"), compat.to_native(e.get("message", "")))
                           for e in errors if isinstance(e, dict)) or "HTTP %s" % status
        if status == 429:
            raise RateLimited("cloudflare rate limit: %s" % detail,
                              resp_headers.get("retry-after"))
        if status in (401, 403) or [c for c in codes if c in AUTH_CODES]:
            what = '"id" (account e-mail) and "token" (global API key)' if self.conf.get("id") \
                else '"token" (an API token with Zone:Read and DNS:Edit)'
            self.refuse("cloudflare refused the credentials: %s; check %s" % (detail, what))
        if [c for c in codes if c in GONE_CODES] or status == 404:
            raise RecordGone("cloudflare: %s" % detail)
        raise APIError("cloudflare: %s (HTTP %s)" % (detail, status))

    def zone_for(self, name):
        """-> (zone id, the name made absolute). With "zone_id" configured the zone is read
        once by id (tokens without Zone:Read can do that) and relative names are placed in it."""
        if self.conf.get("zone_id"):
            if self.zones is None:
                zid = compat.quote(self.conf["zone_id"])
                data = self.api("GET", "/zones/%s" % zid)
                zone = self.expect(data.get("result"), dict, "result")
                self.zones = [(self.expect(zone.get("name"), str, "result.name").lower(), zid)]
            zone = self.zones[0][0]
            if name == "@":
                return self.zones[0][1], zone
            if name != zone and not name.endswith("." + zone):
                name = name + "." + zone
            return self.zones[0][1], name
        if self.zones is None:
            zones, page = [], 1
            while True:
                data = self.api("GET", "/zones?per_page=%d&page=%d" % (PAGE, page))
                for z in self.expect(data.get("result") or [], list, "result"):
                    z = self.expect(z, dict, "result[]")
                    zones.append((self.expect(z.get("name"), str, "result[].name").lower(),
                                  self.ident(z.get("id"), "result[].id")))
                info = self.expect(data.get("result_info") or {}, dict, "result_info")
                pages = self.number(info.get("total_pages"), "result_info.total_pages", 1)
                if page >= min(pages, MAX_PAGES) or not data.get("result"):
                    break
                page += 1
            self.zones = zones
        best = None
        for zone, zid in self.zones:
            if (name == zone or name.endswith("." + zone)) and \
                    (best is None or len(zone) > len(best[0])):
                best = (zone, zid)
        if best is None:
            raise APIError('cloudflare: no zone for "%s" in this account (it has: %s); add the '
                           'zone or give the token access to it'
                           % (name, ", ".join(z for z, _ in self.zones) or "none"))
        return best[1], name

    def prefetch(self, wanted):
        """One listing per zone (of A and AAAA, or of the one type wanted) for zones with two or
        more names to read, instead of one read per name."""
        zones = {}
        for name, rtype in wanted:
            zid, full = self.zone_for(name)
            zones.setdefault(zid, []).append((full.lower().rstrip("."), rtype))
        for zid in zones:
            names = set(zones[zid])
            types = set(t for _, t in names)
            if len(names) > 1:
                self._list_zone(zid, names, types.pop() if len(types) == 1 else None)

    def _list_zone(self, zid, names, rtype):
        def page_of(n):
            data = self.api("GET", "/zones/%s/dns_records?%sper_page=%d&page=%d"
                            % (zid, "type=%s&" % rtype if rtype else "", LIST_PAGE, n + 1))
            found = []
            for r in self.expect(data.get("result") or [], list, "result"):
                r = self.expect(r, dict, "result[]")
                found.append((self.expect(r.get("name"), str, "result[].name"), r.get("type"),
                              r))
            info = self.expect(data.get("result_info") or {}, dict, "result_info")
            return found, self.number(info.get("total_pages"), "result_info.total_pages", 1)
        self.list_zone(zid, names, page_of)
        for recs in self.listing.get(zid, {}).values():
            recs[:] = [self._rec(zid, r) for r in recs]

    def find(self, name, rtype, ip):
        zid, name = self.zone_for(name)
        listed = self.listed(zid, name, rtype, ip, {"zone": zid, "id": None, "name": name})
        if listed is not None:
            return listed
        data = self.api("GET", "/zones/%s/dns_records?type=%s&name=%s&per_page=%d"
                        % (zid, rtype, compat.quote(name), PAGE))
        # Only a record of exactly this name and type is "the record": should the API ever
        # ignore the filter, another name's record must not be overwritten.
        found = []
        for r in self.expect(data.get("result") or [], list, "result"):
            r = self.expect(r, dict, "result[]")
            if r.get("type") == rtype and same_name(r.get("name"), name):
                found.append(self._rec(zid, r))
        return pick(found, ip, {"zone": zid, "id": None, "name": name})

    def create(self, name, rtype, ip, rec):
        data = self.api("POST", "/zones/%s/dns_records" % rec["zone"],
                        self._new(name, rtype, ip, rec))
        return self._rec(rec["zone"], self.expect(data.get("result"), dict, "result"))

    def update(self, name, rtype, ip, rec):
        data = self.api("PATCH", "/zones/%s/dns_records/%s" % (rec["zone"], rec["id"]),
                        self._patch(ip))
        return self._rec(rec["zone"], self.expect(data.get("result"), dict, "result"))

    def write_batch(self, writes):
        """POST /zones/{id}/dns_records/batch: patches then posts, all applied or none."""
        zid = writes[0][4]["zone"]
        body = {"patches": [], "posts": []}
        for op, name, rtype, ip, rec in writes:
            if op == "update":
                patch = self._patch(ip)
                patch["id"] = rec["id"]
                body["patches"].append(patch)
            else:
                body["posts"].append(self._new(name, rtype, ip, rec))
        for kind in ("patches", "posts"):
            if not body[kind]:
                del body[kind]
        data = self.api("POST", "/zones/%s/dns_records/batch" % zid, body)
        try:
            return self._batch_answer(zid, writes, body, data)
        except APIError as exc:  # accepted, but what was applied is unclear: read next run
            raise NetworkError("%s; the batch was accepted, so its records are read again "
                               "next run" % exc)

    def _batch_answer(self, zid, writes, body, data):
        result = self.expect(data.get("result"), dict, "result")
        answers = {}
        for kind in body:
            answers[kind] = self.expect(result.get(kind) or [], list, "result." + kind)
            if len(answers[kind]) != len(body[kind]):
                raise APIError("cloudflare: the batch answer has %d %s for %d sent"
                               % (len(answers[kind]), kind, len(body[kind])))
        done, taken = [], {"patches": 0, "posts": 0}
        for op, name, rtype, ip, rec in writes:
            kind = "patches" if op == "update" else "posts"
            done.append(self._rec(zid, self.expect(answers[kind][taken[kind]], dict,
                                                   "result.%s[]" % kind)))
            taken[kind] += 1
        return done

    def _new(self, name, rtype, ip, rec):
        return {"type": rtype, "name": rec.get("name") or name, "content": ip,
                "ttl": self.conf.get("ttl") or 1, "proxied": bool(self.conf.get("proxied"))}

    def _patch(self, ip):
        body = {"content": ip}
        if self.conf.get("ttl") is not None:
            body["ttl"] = self.conf["ttl"]
        if self.conf.get("proxied") is not None:
            body["proxied"] = self.conf["proxied"]
        return body

    def differs(self, rec, ip):
        proxied = self.conf.get("proxied")
        if proxied is not None and rec.get("proxied") is not None and rec["proxied"] != proxied:
            return True
        if rec.get("proxied") or proxied:  # proxied records always show ttl 1 (automatic)
            return rec.get("ip") != ip
        return super(Cloudflare, self).differs(rec, ip)

    def _rec(self, zid, r):
        # Record answers no longer carry zone_id (dropped in 2024), so the zone comes from the call.
        ttl = r.get("ttl")
        return {"zone": zid, "id": self.ident(r.get("id"), "result.id"),
                "ip": self.expect(r.get("content"), str, "result.content"),
                "ttl": self.number(ttl, "result.ttl"), "proxied": r.get("proxied") is True}
