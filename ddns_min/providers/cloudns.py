"""ClouDNS HTTP API (https://www.cloudns.net/wiki/article/41/): POST forms to api.cloudns.net with
`auth-id` (or `sub-auth-id` / `sub-auth-user`, https://www.cloudns.net/wiki/article/42/) and
`auth-password` in the body, as the `ddns` package maps them: "id" the auth-id ("sub-auth-id:N"
or "sub-auth-user:NAME" for an API sub-user), "token" the password.

/dns/records.json (article 57) lists a name's records of one type, /dns/add-record.json (58)
creates one, /dns/mod-record.json (60) changes one; a record is read before it is written and
never set to what it holds. Errors come as {"status": "Failed", "statusDescription": ...}.
Many names in one run (prefetch): each zone with 2+ names is listed with records.json without
`host` (`type` too when all its names want one type), ROWS_PER_PAGE rows a page (`page` from 1);
a full first page means more: /dns/get-records-pages-count.json (same filters) tells how many,
and a zone whose listing would cost more requests than the reads it replaces is given up.
"""

from ddns_min import compat
from ddns_min.errors import APIError, ConfigError, NetworkError, RateLimited
from ddns_min.providers.base import Provider, pick, zone_candidates
from ddns_min.transport import host_of

# The TTLs ClouDNS accepts (https://www.cloudns.net/wiki/article/188/); 60 when none is set,
# as the `ddns` package creates records.
TTLS = (60, 300, 900, 1800, 3600, 21600, 43200, 86400, 172800, 259200, 604800, 1209600,
        2592000)
DEFAULT_TTL = 60
ROWS_PER_PAGE = 100  # the largest rows-per-page records.json accepts (10, 20, 30, 50, 100)
CHECK = ('check "id" (the auth-id, or sub-auth-id:N / sub-auth-user:NAME) and "token" (the '
         'auth-password)')


class ClouDNS(Provider):
    name = "cloudns"
    default_endpoint = "https://api.cloudns.net"
    needs = ("id", "token")
    needs_help = {"id": "the API user's auth-id (sub-users: sub-auth-id:N or "
                        "sub-auth-user:NAME)", "token": "the API user's auth-password"}

    @classmethod
    def check(cls, conf):
        ttl = conf.get("ttl")
        if ttl is not None and ttl not in TTLS:
            raise ConfigError('config: "ttl" %s is not one ClouDNS accepts (%s)'
                              % (ttl, ", ".join(str(t) for t in TTLS)))

    def __init__(self, conf):
        super(ClouDNS, self).__init__(conf)
        self.zones = {}
        user = conf.get("id") or ""
        parts = user.split(":", 1)
        self.auth = (parts[0], parts[1]) if len(parts) == 2 and parts[1] and \
            parts[0] in ("sub-auth-id", "sub-auth-user") else ("auth-id", user)

    def api(self, action, params, read=False):
        form = compat.urlencode([self.auth, ("auth-password", self.conf["token"])] + params)
        status, _, text = self.call("POST", "/dns/%s.json" % action,
                                    {"Content-Type": "application/x-www-form-urlencoded"}, form,
                                    read=read)
        if status == 429:
            raise RateLimited("cloudns rate limit: HTTP 429 on %s.json" % action)
        try:
            data = compat.json_loads(text)
        except (ValueError, RuntimeError, MemoryError):
            data = None
        if data == [] and read:
            data = {}  # records.json: no records
        if action == "get-records-pages-count" and not isinstance(data, (dict, list)):
            data = {"pages": self.number(data, "pages count")}
        if not isinstance(data, dict):
            data = self.decode(status, text)  # the one-line NetworkError
        if data.get("status") != "Failed":
            if status != 200:
                raise NetworkError("cloudns answered HTTP %s on %s.json" % (status, action))
            self.answered = True
            return data
        desc = compat.to_native(data.get("statusDescription") or "")
        detail = "Failed: %s" % (desc or "no statusDescription")
        low = desc.lower()
        if low.startswith("invalid authentication"):
            self.refuse("cloudns refused the credentials (%s); %s on %s"
                        % (detail, CHECK, host_of(self.endpoint)))
        if "limit" in low and ("request" in low or "second" in low or "minute" in low):
            raise RateLimited("cloudns rate limit: " + detail)
        if action == "records" and "domain" in low:
            raise NoDomain("cloudns: " + detail)
        raise APIError('cloudns %s.json: %s; check the name and "ttl", and that the zone is a '
                       'master zone of this API user' % (action, detail))

    def prefetch(self, wanted):
        """One records.json listing of each zone with two or more names to read."""
        self.list_domains(wanted, self._list_zone, NoDomain)

    def _list_zone(self, zone, names):
        types = set(t for _, t in names)
        wanted = set((_host(n, zone).lower(), t) for n, t in names)
        params = [("domain-name", zone)]
        if len(types) == 1:
            params.append(("type", list(types)[0]))
        count = {}

        def page_of(n):
            data = self.api("records", params + [("rows-per-page", ROWS_PER_PAGE),
                                                 ("page", n + 1)], read=True)
            found = []
            for r in data.values():
                r = self.expect(r, dict, "records[]")
                host = self.expect(r.get("host"), str, "records[].host")
                rtype = r.get("type")
                found.append((host, rtype, self._rec(zone, compat.to_native(host), r)
                              if rtype in ("A", "AAAA") else None))
            if n == 0 and len(data) >= ROWS_PER_PAGE:
                if len(wanted) < 3:  # page 1 and the count already cost 2 requests
                    return found, len(wanted) + 1
                got = self.api("get-records-pages-count",
                               params + [("rows-per-page", ROWS_PER_PAGE)], read=True)
                pages = self.number(got.get("pages"), "pages count")
                # the count is one request more: give up when pages + 1 > names
                count["pages"] = pages if pages + 1 <= len(wanted) else len(wanted) + 1
            return found, count.get("pages", 1)
        self.list_zone(zone, wanted, page_of)
        return zone

    def find(self, name, rtype, ip):
        known = self.zones.get(name)
        if known and known in self.listing:
            host = _host(name, known)
            return self.listed(known, host, rtype, ip, {"zone": known, "host": host, "id": None})
        missing = None
        for zone, sub in zone_candidates(name, self.zones.get(name)):
            host = "" if sub == "@" else sub
            try:
                data = self.api("records", [("domain-name", zone), ("host", host),
                                            ("type", rtype)], read=True)
            except NoDomain as exc:
                missing = exc
                continue
            self.zones[name] = zone
            found = []
            for r in data.values():
                r = self.expect(r, dict, "records[]")
                if r.get("type") == rtype and same_host(r.get("host"), host):
                    found.append(self._rec(zone, host, r))
            return pick(found, ip, {"zone": zone, "host": host, "id": None})
        raise APIError('cloudns: no zone for "%s" in this account (records.json: %s); check '
                       'the name and "id"' % (name, str(missing)[len("cloudns: "):]))

    def _rec(self, zone, host, r):
        return {"zone": zone, "host": host, "id": self.ident(r.get("id"), "records[].id"),
                "ip": self.expect(r.get("record"), str, "records[].record"),
                "ttl": self.number(r.get("ttl"), "records[].ttl")}

    def create(self, name, rtype, ip, rec):
        ttl = self.conf.get("ttl") or DEFAULT_TTL
        data = self.api("add-record", [("domain-name", rec["zone"]), ("record-type", rtype),
                                       ("host", rec["host"]), ("record", ip), ("ttl", ttl)])
        self._success(data, "add-record")
        new = self.expect(data.get("data") or {}, dict, "data")
        return {"zone": rec["zone"], "host": rec["host"], "ip": ip, "ttl": ttl,
                "id": self.ident(new.get("id"), "data.id") if new.get("id") else None}

    def update(self, name, rtype, ip, rec):
        ttl = self.conf.get("ttl") or rec.get("ttl") or DEFAULT_TTL
        data = self.api("mod-record", [("domain-name", rec["zone"]), ("record-id", rec["id"]),
                                       ("host", rec["host"]), ("record", ip), ("ttl", ttl)])
        self._success(data, "mod-record")
        new = dict(rec)
        new["ip"], new["ttl"] = ip, ttl
        return new

    def _success(self, data, action):
        if data.get("status") != "Success":
            raise APIError("cloudns %s.json: unexpected answer: status is %s"
                           % (action, compat.to_native(str(data.get("status")))[:40]))


class NoDomain(APIError):
    pass


def _host(name, zone):
    return name[:-len(zone) - 1] if name != zone else ""


def same_host(value, host):
    return isinstance(value, (str, compat.text_type)) and value.lower() == host.lower()
