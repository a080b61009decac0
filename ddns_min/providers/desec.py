"""deSEC's REST API (https://desec.readthedocs.io/en/latest/, base https://desec.io/api/v1,
`Authorization: Token TOKEN`). The responsible domain of a name comes from
GET /domains/?owns_qname=NAME (dns/domains.rst), which also gives the domain's minimum_ttl; the
RRset is read with GET /domains/{domain}/rrsets/{subname}/{type}/ ("@" for the apex), created
with POST /domains/{domain}/rrsets/ and changed with PATCH of "records" (and "ttl") only when it
differs (dns/rrsets.rst). 401/403 stop all calls; 429 is waited out once when its Retry-After is
short (base.call), else the run ends there (rate-limits.rst: 15 RRset writes a minute per domain).
A configured ttl below the domain's minimum_ttl (usually 3600) is raised to it with a warning.
Many names in one run (prefetch): GET /domains/ (all domains of the account, with minimum_ttl)
gives each name its domain (the longest one that holds it, as owns_qname answers) in one request,
then each domain with 2+ names is listed once: GET /domains/{domain}/rrsets/?cursor= (&type=A or
AAAA when all its names want one type). deSEC pages collections above 500 items with cursors in
a Link header (rel="next") and no total count; a listing with a next page is given up (the number
of pages is unknown, so paging could cost more than the reads it replaces) and each name is then
read on its own.
"""

from ddns_min import compat, log
from ddns_min.errors import APIError, NetworkError, RateLimited
from ddns_min.providers.base import Provider


class DeSEC(Provider):
    name = "desec"
    default_endpoint = "https://desec.io/api/v1"
    needs_help = {"token": "a deSEC API token (Token ... header)"}

    def __init__(self, conf):
        super(DeSEC, self).__init__(conf)
        self.zones = {}  # name -> (domain, minimum_ttl)
        self.warned = False

    def _headers(self):
        return {"Authorization": "Token " + self.conf["token"], "Accept": "application/json"}

    def api(self, method, path, body=None):
        headers = self._headers()
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = compat.json_dumps(body)
        status, resp_headers, text = self.call(method, path, headers, body, read=method == "GET")
        return self._answer(method, status, resp_headers, text)

    def _answer(self, method, status, resp_headers, text):
        try:
            data = compat.json_loads(text) if text.strip() else None
        except (ValueError, RuntimeError, MemoryError):
            raise NetworkError("desec answered HTTP %s with something that is not its API's "
                               "JSON: %r" % (status, " ".join(text.split())[:60]))
        if 200 <= status < 300:
            self.answered = True
            return data
        detail = _detail(data) or " ".join(text.split())[:80]
        if status == 404 and method == "GET":
            return None
        if status == 429:
            raise RateLimited("desec rate limit: HTTP 429: %s (Retry-After: %s s)"
                              % (detail, resp_headers.get("retry-after") or "?"),
                              resp_headers.get("retry-after"))
        if status in (401, 403):
            self.refuse('desec refused the token: HTTP %s: %s; check "token" (its permissions '
                        'must allow this domain)' % (status, detail))
        raise APIError('desec: HTTP %s %s: %s; check "ttl" and the name'
                       % (status, method, detail))

    def domain_of(self, name):
        if name not in self.zones:
            found = self.api("GET", "/domains/?owns_qname=" + compat.quote(name))
            found = self.expect(found if found is not None else [], list, "domains")
            if not found:
                raise APIError('desec: no domain of this account holds "%s"; check the name '
                               'and "token"' % name)
            dom = self.expect(found[0], dict, "domains[]")
            zone = self.expect(dom.get("name"), str, "domains[].name").lower().rstrip(".")
            if name != zone and not name.endswith("." + zone):
                raise APIError('desec: unexpected answer: domain "%s" for "%s"' % (zone, name))
            self.ident(zone, "domains[].name", "-_.")
            self.zones[name] = (compat.to_native(zone),
                                self.number(dom.get("minimum_ttl"), "minimum_ttl", 3600))
        return self.zones[name]

    def prefetch(self, wanted):
        todo = [n for n, _ in wanted if n not in self.zones]
        if todo:
            found = self.api("GET", "/domains/")  # 400 above 500 domains: names read one by one
            domains = {}
            for dom in self.expect(found if found is not None else [], list, "domains"):
                dom = self.expect(dom, dict, "domains[]")
                zone = self.expect(dom.get("name"), str, "domains[].name").lower().rstrip(".")
                self.ident(zone, "domains[].name", "-_.")
                domains[compat.to_native(zone)] = self.number(dom.get("minimum_ttl"),
                                                              "minimum_ttl", 3600)
            for name in todo:
                owning = [z for z in domains if name == z or name.endswith("." + z)]
                if owning:  # the longest, like owns_qname; none: find() says so
                    zone = max(owning, key=len)
                    self.zones[name] = (zone, domains[zone])
        groups = {}
        for name, rtype in wanted:
            if name in self.zones:
                groups.setdefault(self.zones[name], []).append((name, rtype))
        for (zone, minimum), names in groups.items():
            if len(names) > 1:
                self._list_domain(zone, minimum, names)

    def _list_domain(self, zone, minimum, names):
        wanted = set((self._sub(n, zone), t) for n, t in names)
        types = set(t for _, t in names)
        path = "/domains/%s/rrsets/?cursor=" % zone
        if len(types) == 1:
            path += "&type=" + list(types)[0]

        def page_of(n):
            status, headers, text = self.call("GET", path, self._headers(), read=True)
            data = self._answer("GET", status, headers, text)
            if data is None:
                raise APIError('desec: domain "%s" not found' % zone)
            found = []
            for rrset in self.expect(data, list, "RRsets"):
                rrset = self.expect(rrset, dict, "RRsets[]")
                rtype = rrset.get("type")
                if rtype in ("A", "AAAA"):
                    sub = self.expect(rrset.get("subname"), str, "RRsets[].subname")
                    rec = {"zone": zone, "sub": compat.to_native(sub), "id": None,
                           "minimum": minimum}
                    found.append((sub, rtype, self._filled(rec, rrset)))
            # a next page: more than 500 RRsets, how many pages is not said
            more = 'rel="next"' in (headers.get("link") or "")
            return found, len(wanted) + 1 if more else 1
        self.list_zone(zone, wanted, page_of)

    def ttl_for(self, minimum):
        ttl = self.conf.get("ttl")
        if ttl is not None and ttl < minimum:
            if not self.warned:
                log.warning('desec: "ttl" %d is below the domain\'s minimum %d; using %d'
                            % (ttl, minimum, minimum))
                self.warned = True
            return minimum
        return ttl

    def find(self, name, rtype, ip):
        zone, minimum = self.domain_of(name)
        sub = self._sub(name, zone)
        rec = {"zone": zone, "sub": sub, "id": None, "minimum": minimum}
        got = self.listed(zone, sub, rtype, ip, rec)
        if got is not None:
            return got
        data = self.api("GET", self._path(zone, sub, rtype))
        if data is None:
            return rec
        return self._filled(rec, self.expect(data, dict, "RRset"))

    def _filled(self, rec, data):
        records = self.expect(data.get("records"), list, "records")
        for value in records:
            self.expect(value, str, "records[]")
        rec.update({"id": rec["sub"] or "@", "ttl": self.number(data.get("ttl"), "ttl"),
                    "ip": compat.to_native(",".join(records))})
        return rec

    @staticmethod
    def _sub(name, zone):
        return name[:-len(zone) - 1] if name != zone else ""

    def differs(self, rec, ip):
        ttl = self.ttl_for(rec.get("minimum") or 3600)
        return rec.get("ip") != ip or (ttl is not None and rec.get("ttl") != ttl)

    def create(self, name, rtype, ip, rec):
        ttl = self.ttl_for(rec["minimum"]) or rec["minimum"]
        data = self.api("POST", "/domains/%s/rrsets/" % rec["zone"],
                        {"subname": rec["sub"], "type": rtype, "ttl": ttl, "records": [_ip(ip)]})
        return self._written(rec, data, ttl)

    def update(self, name, rtype, ip, rec):
        body = {"records": [_ip(ip)]}
        ttl = self.ttl_for(rec.get("minimum") or 3600)
        if ttl is not None and ttl != rec.get("ttl"):
            body["ttl"] = ttl
        data = self.api("PATCH", self._path(rec["zone"], rec["sub"], rtype), body)
        return self._written(rec, data, ttl or rec.get("ttl"))

    def _written(self, rec, data, ttl):
        data = self.expect(data, dict, "RRset")
        records = self.expect(data.get("records"), list, "records")
        new = dict(rec)
        new.update({"id": rec["sub"] or "@", "ttl": self.number(data.get("ttl"), "ttl", ttl),
                    "ip": compat.to_native(",".join([self.expect(r, str, "records[]")
                                                     for r in records]))})
        return new

    def _path(self, zone, sub, rtype):
        return "/domains/%s/rrsets/%s/%s/" % (zone, compat.quote(sub or "@", "@*"), rtype)


def _ip(ip):
    if not ip:  # an empty records list would delete the RRset
        raise APIError("desec: no address to write")
    return ip


def _detail(data):
    """DRF error bodies: {"detail": "..."} or {"field": ["...", ...], ...}."""
    if isinstance(data, dict):
        if isinstance(data.get("detail"), (str, compat.text_type)):
            return compat.to_native(data["detail"])
        parts = []
        for key in sorted(data):
            value = data[key]
            value = value if isinstance(value, list) else [value]
            parts.append("%s: %s" % (compat.to_native(key), " ".join(
                compat.to_native(v) for v in value if isinstance(v, (str, compat.text_type)))))
        return "; ".join(parts)
    if isinstance(data, list):
        return "; ".join(d for d in [_detail(x) for x in data] if d)
    return ""
