"""Porkbun's API v3 (https://porkbun.com/api/json/v3/documentation), on its current host
api.porkbun.com (porkbun.com/api is retired): JSON POSTs carrying {"apikey": "id",
"secretapikey": "token"} - the API key (pk1_...) in "id", the secret API key (sk1_...) in
"token". /dns/retrieveByNameType/DOMAIN/TYPE/SUB reads, /dns/create/DOMAIN creates,
/dns/edit/DOMAIN/ID updates that one record (editByNameType would rewrite every record of the
name). Answers are {"status": "SUCCESS", ...} or {"status": "ERROR", "message": "..."}.

The keys travel only in the body, never in a URL or a message. An API answer naming the API key,
or an API answer with HTTP 401/403, stops all calls (a firewall's HTML page does not); HTTP 429
and 503 (how Porkbun slows clients down) are rate limits. Each domain must have "API ACCESS"
switched on at Porkbun.
Many names in one run (prefetch): each domain with 2+ names is read once with /dns/retrieve/DOMAIN
(every record of the domain, no paging, no type filter); the domain is the one found before, else
the shortest candidate, then the next ones while Porkbun answers that it is not a domain.
"""

from ddns_min import compat
from ddns_min.errors import APIError, RateLimited
from ddns_min.providers.base import Provider, pick, same_name, zone_candidates
from ddns_min.transport import host_of


class Porkbun(Provider):
    name = "porkbun"
    default_endpoint = "https://api.porkbun.com/api/json/v3"
    needs = ("id", "token")
    needs_help = {"id": "the API key (pk1_...)", "token": "the secret API key (sk1_...)"}

    def __init__(self, conf):
        super(Porkbun, self).__init__(conf)
        self.zones = {}

    def api(self, path, params, read=False):
        body = {"apikey": self.conf["id"], "secretapikey": self.conf["token"]}
        body.update(params)
        status, _, text = self.call("POST", path, {"Content-Type": "application/json"},
                                    compat.json_dumps(body), read=read)
        if status in (429, 503):
            raise RateLimited("porkbun rate limit: HTTP %d; retry later" % status)
        data = self.decode(status, text)
        message = data.get("message")
        message = compat.to_native(message) if isinstance(message, (str, compat.text_type)) \
            else ""
        if data.get("status") == "SUCCESS" and status == 200:
            self.answered = True
            return data
        if status in (401, 403) or "api key" in message.lower():
            self.refuse('porkbun refused the keys: HTTP %d: %s; check "id" (API key) and '
                        '"token" (secret API key) on %s'
                        % (status, message, host_of(self.endpoint)))
        if "rate limit" in message.lower():
            raise RateLimited("porkbun rate limit: HTTP %d: %s" % (status, message))
        if read and "domain" in message.lower():
            raise NoDomain("HTTP %d: %s" % (status, message))
        raise APIError('porkbun %s: HTTP %d: %s (check the name in "ipv4"/"ipv6" and "ttl")'
                       % (path.split("/")[2], status, message or "status %s" % _text(
                           data.get("status"))))

    def prefetch(self, wanted):
        """One /dns/retrieve of each domain with two or more names to read."""
        self.list_domains(wanted, self._list_domain, NoDomain)

    def _list_domain(self, zone, names):
        wanted = set((n.lower(), t) for n, t in names)

        def page_of(n):
            data = self.api("/dns/retrieve/" + compat.quote(zone), {}, read=True)
            found = []
            for r in self.expect(data.get("records") or [], list, "records"):
                r = self.expect(r, dict, "records[]")
                full = self.expect(r.get("name"), str, "records[].name")
                key = full.lower().rstrip(".")
                if r.get("type") in ("A", "AAAA") and (key == zone or key.endswith("." + zone)):
                    sub = compat.to_native(full[:-len(zone) - 1]) if key != zone else "@"
                    found.append((full, r.get("type"), self._rec(zone, sub, r)))
            return found, 1
        self.list_zone(zone, wanted, page_of)
        return zone

    def find(self, name, rtype, ip):
        known = self.zones.get(name)
        if known and known in self.listing:
            sub = name[:-len(known) - 1] if name != known else "@"
            return self.listed(known, name, rtype, ip, {"zone": known, "sub": sub, "id": None})
        why = None
        for zone, sub in zone_candidates(name, known):
            path = "/dns/retrieveByNameType/%s/%s" % (compat.quote(zone), rtype)
            try:
                data = self.api(path + ("/" + compat.quote(sub) if sub != "@" else ""), {},
                                read=True)
            except NoDomain as exc:
                if why is None or "invalid domain" in str(why).lower():
                    why = exc  # the first telling reason ("not opted in to API access")
                continue
            self.zones[name] = zone
            found = []
            for r in self.expect(data.get("records") or [], list, "records"):
                r = self.expect(r, dict, "records[]")
                if r.get("type") == rtype and same_name(r.get("name"), name):
                    found.append(self._rec(zone, sub, r))
            return pick(found, ip, {"zone": zone, "sub": sub, "id": None})
        raise APIError('porkbun: no domain for "%s" in this account (%s); check "ipv4"/"ipv6" '
                       'and that the domain has API ACCESS on at Porkbun' % (name, why))

    def _rec(self, zone, sub, r):
        return {"zone": zone, "sub": sub, "id": self.ident(r.get("id"), "id"),
                "ip": self.expect(r.get("content"), str, "records[].content"),
                "ttl": self.number(r.get("ttl"), "records[].ttl")}

    def _params(self, rec, rtype, ip, ttl):
        params = {"name": "" if rec["sub"] == "@" else rec["sub"], "type": rtype, "content": ip}
        if ttl:
            params["ttl"] = str(ttl)
        return params

    def create(self, name, rtype, ip, rec):
        ttl = self.conf.get("ttl")
        data = self.api("/dns/create/" + compat.quote(rec["zone"]),
                        self._params(rec, rtype, ip, ttl))
        return {"zone": rec["zone"], "sub": rec["sub"], "ip": ip, "ttl": ttl or 600,
                "id": self.ident(data.get("id"), "id")}

    def update(self, name, rtype, ip, rec):
        ttl = self.conf.get("ttl") or rec.get("ttl")
        self.api("/dns/edit/%s/%s" % (compat.quote(rec["zone"]), self.ident(rec["id"], "id")),
                 self._params(rec, rtype, ip, ttl))
        new = dict(rec)
        new["ip"], new["ttl"] = ip, ttl
        return new


def _text(value):
    return compat.to_native(value) if isinstance(value, (str, compat.text_type)) else "missing"


class NoDomain(APIError):
    pass
