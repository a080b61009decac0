"""Cloudflare API v4: https://developers.cloudflare.com/api/resources/dns/subresources/records/

Auth: an API token (Authorization: Bearer) or, when "id" holds the account e-mail, the global key
(X-Auth-Email + X-Auth-Key). Updates use PATCH with only the fields that change, so proxied,
comment, tags and ttl that the user did not configure stay as they are.
"""

from ddns_min import compat
from ddns_min.errors import APIError, ConfigError, RateLimited, RecordGone
from ddns_min.providers.base import Provider, same_name

# Error codes that mean "these credentials may not do this" (HTTP 400/401/403 answers):
# 9103 unknown X-Auth-Key/Email, 9106/9107 missing auth headers, 9109 invalid access token,
# 6003/6103/6111 malformed auth headers, 10000 authentication error, 10001 unauthorized.
AUTH_CODES = (9103, 9106, 9107, 9109, 6003, 6103, 6111, 10000, 10001)
GONE_CODES = (81044,)  # "Record does not exist."
PAGE = 50
MAX_PAGES = 20  # 1,000 zones: an account (or an answer) claiming more pages is cut off there


class Cloudflare(Provider):
    name = "cloudflare"
    default_endpoint = "https://api.cloudflare.com/client/v4"
    blind_write = True  # a PATCH that changes nothing is harmless here

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

    def find(self, name, rtype, ip):
        zid, name = self.zone_for(name)
        data = self.api("GET", "/zones/%s/dns_records?type=%s&name=%s&per_page=%d"
                        % (zid, rtype, compat.quote(name), PAGE))
        # Only a record of exactly this name and type is "the record": should the API ever
        # ignore the filter, another name's record must not be overwritten.
        found = []
        for r in self.expect(data.get("result") or [], list, "result"):
            r = self.expect(r, dict, "result[]")
            if r.get("type") == rtype and same_name(r.get("name"), name):
                found.append(self._rec(zid, r))
        for rec in found:
            if rec["ip"] == ip:
                return rec
        if found:
            return found[0]
        return {"zone": zid, "id": None, "name": name}

    def create(self, name, rtype, ip, rec):
        ttl = self.conf.get("ttl") or 1
        body = {"type": rtype, "name": rec.get("name") or name, "content": ip, "ttl": ttl,
                "proxied": bool(self.conf.get("proxied"))}
        data = self.api("POST", "/zones/%s/dns_records" % rec["zone"], body)
        return self._rec(rec["zone"], self.expect(data.get("result"), dict, "result"))

    def update(self, name, rtype, ip, rec):
        body = {"content": ip}
        if self.conf.get("ttl") is not None:
            body["ttl"] = self.conf["ttl"]
        if self.conf.get("proxied") is not None:
            body["proxied"] = self.conf["proxied"]
        data = self.api("PATCH", "/zones/%s/dns_records/%s" % (rec["zone"], rec["id"]), body)
        return self._rec(rec["zone"], self.expect(data.get("result"), dict, "result"))

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
