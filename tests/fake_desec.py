"""deSEC's DNS API as https://desec.readthedocs.io/en/latest/ documents it (dns/domains.rst,
dns/rrsets.rst, rate-limits.rst, auth): `Authorization: Token ...`; Django REST framework
error bodies ({"detail": "..."} or {"field": ["..."]}); GET /domains/?owns_qname=; RRsets at
/domains/{name}/rrsets/[{subname}/{type}/] with "@" for the apex; POST 201, PATCH 200, records []
deletes (204); ttl below the domain's minimum_ttl or above 604800 -> 400; 404 for what is not
there or not yours; 429 with Retry-After when throttled (here: `throttle_writes`).
GET /domains/{name}/rrsets/ lists the domain's RRsets (filters ?type= and ?subname=); above
PAGE_SIZE (500) results it pages with an opaque ?cursor= and a Link header (rel="first", "prev",
"next"); without a cursor such a collection answers 400 "Pagination required" with the first
page's link. The count is taken after filtering, before paging."""
import json
import socket

try:
    from urllib.parse import urlencode
except ImportError:  # Python 2
    from urllib import urlencode

from fake_http import Emulator

PAGE_SIZE = 500


class DeSECEmulator(Emulator):
    base = "/api/v1"
    page_size = PAGE_SIZE

    def __init__(self):
        super(DeSECEmulator, self).__init__()
        self.tokens = set()
        self.domains = {}   # name -> {"minimum_ttl": n, "rrsets": {(subname, type): rrset}}
        self.same_value_writes = 0
        self.writes = 0
        self.throttle_writes = None  # seconds: every write answers 429 with this Retry-After

    def add_domain(self, name, minimum_ttl=3600):
        self.domains[name] = {"minimum_ttl": minimum_ttl, "rrsets": {}}

    def add_rrset(self, domain, subname, rtype, records, ttl=3600):
        self.domains[domain]["rrsets"][(subname, rtype)] = self._rrset(domain, subname, rtype,
                                                                      records, ttl)

    def rrset(self, domain, subname, rtype):
        return self.domains[domain]["rrsets"].get((subname, rtype))

    @staticmethod
    def _rrset(domain, subname, rtype, records, ttl):
        return {"created": "2026-01-01T00:00:00.000000Z", "domain": domain, "subname": subname,
                "name": (subname + "." if subname else "") + domain + ".", "type": rtype,
                "records": list(records), "ttl": ttl, "touched": "2026-01-01T00:00:00.000000Z"}

    def _json(self, status, body, headers=None):
        out = {"Content-Type": "application/json"}
        out.update(headers or {})
        return status, out, json.dumps(body) if body is not None else ""

    def handle(self, req):
        auth = req.headers.get("authorization", "")
        if not auth.startswith("Token "):
            return self._json(401, {"detail": "Authentication credentials were not provided."},
                              {"WWW-Authenticate": "Token"})
        if auth[6:] not in self.tokens:
            return self._json(401, {"detail": "Invalid token."}, {"WWW-Authenticate": "Token"})
        if not req.path.startswith(self.base + "/") or not req.path.endswith("/"):
            return self._json(404, {"detail": "Not found."})
        parts = req.path[len(self.base) + 1:-1].split("/")
        if req.method != "GET" and not req.headers.get("content-type", "").startswith(
                "application/json"):
            return self._json(415, {"detail": 'Unsupported media type "%s" in request.'
                                    % req.headers.get("content-type", "")})
        if req.method != "GET" and self.throttle_writes is not None:
            return self._json(429, {"detail": "Request was throttled. Expected available in "
                                    "%d seconds." % self.throttle_writes},
                              {"Retry-After": str(self.throttle_writes)})
        if parts == ["domains"] and req.method == "GET":
            qname = req.query.get("owns_qname")
            names = sorted(self.domains)
            if qname is not None:
                owning = [d for d in names if qname == d or qname.endswith("." + d)]
                names = sorted(owning, key=len)[-1:]
            return self._json(200, [{"name": d, "minimum_ttl": self.domains[d]["minimum_ttl"],
                                     "created": "2026-01-01T00:00:00Z"} for d in names])
        if len(parts) < 3 or parts[0] != "domains" or parts[2] != "rrsets" or \
                parts[1] not in self.domains:
            return self._json(404, {"detail": "Not found."})
        dom = self.domains[parts[1]]
        if len(parts) == 3 and req.method == "POST":
            return self._create(parts[1], dom, req.json)
        if len(parts) == 3 and req.method == "GET":
            return self._list(req, dom)
        if len(parts) == 5:
            sub = "" if parts[3] == "@" else parts[3]
            key = (sub, parts[4])
            if key not in dom["rrsets"]:
                return self._json(404, {"detail": "Not found."})
            if req.method == "GET":
                return self._json(200, dom["rrsets"][key])
            if req.method == "PATCH":
                return self._patch(dom, key, req.json)
        return self._json(405, {"detail": 'Method "%s" not allowed.' % req.method})

    def _list(self, req, dom):
        rrsets = [dom["rrsets"][k] for k in sorted(dom["rrsets"])]
        for field in ("type", "subname"):
            if field in req.query:
                rrsets = [r for r in rrsets if r[field] == req.query[field]]
        total = len(rrsets)  # before paging
        size = self.page_size
        base = "http://%s%s?" % (req.headers.get("host", "localhost"), req.path)
        keep = [(k, v) for k, v in sorted(req.query.items()) if k != "cursor"]

        def link(offset, rel):
            return '<%s>; rel="%s"' % (base + urlencode(keep + [("cursor", offset and
                                                                 "c%d" % offset or "")]), rel)
        if "cursor" not in req.query:
            if total <= size:
                return self._json(200, rrsets)
            return self._json(400, {"detail": "Pagination required. You can query up to %d "
                                    "items at a time (%d total). Please use the `first` page "
                                    "link (see Link header)." % (size, total)},
                              {"Link": link(0, "first")})
        cursor = req.query["cursor"]
        if cursor and not (cursor[:1] == "c" and cursor[1:].isdigit()):
            return self._json(400, {"detail": "Invalid cursor"})
        offset = int(cursor[1:]) if cursor else 0
        links = [link(0, "first")]
        if offset > 0:
            links.append(link(max(0, offset - size), "prev"))
        if offset + size < total:
            links.append(link(offset + size, "next"))
        return self._json(200, rrsets[offset:offset + size], {"Link": ", ".join(links)})

    def _check(self, dom, rtype, records, ttl):
        errors = {}
        if ttl is not None and (not isinstance(ttl, int) or ttl < dom["minimum_ttl"]):
            errors["ttl"] = ["Ensure this value is greater than or equal to %d."
                             % dom["minimum_ttl"]]
        elif ttl is not None and ttl > 604800:
            errors["ttl"] = ["Ensure this value is less than or equal to 604800."]
        if records is not None:
            if not isinstance(records, list):
                errors["records"] = ['Expected a list of items but got type "%s".'
                                     % type(records).__name__]
            for r in records if isinstance(records, list) else []:
                try:
                    socket.inet_pton(socket.AF_INET if rtype == "A" else socket.AF_INET6, r)
                    ok = True
                except (socket.error, TypeError, ValueError):
                    ok = False
                if not ok:
                    errors["records"] = ["Record content for type %s malformed: %s" % (rtype, r)]
        return errors

    def _create(self, domain, dom, body):
        if not isinstance(body, dict):
            return self._json(400, {"non_field_errors": ["Invalid data."]})
        missing = dict((k, ["This field is required."]) for k in ("type", "ttl", "records")
                       if k not in body)
        if missing:
            return self._json(400, missing)
        sub, rtype = body.get("subname", ""), body["type"]
        if rtype not in ("A", "AAAA"):  # all this emulator needs; real deSEC knows more
            return self._json(400, {"type": ["The %s RRset type is not supported." % rtype]})
        errors = self._check(dom, rtype, body["records"], body["ttl"])
        if errors:
            return self._json(400, errors)
        if (sub, rtype) in dom["rrsets"]:
            return self._json(400, {"non_field_errors": [
                "Another RRset with the same subdomain and type exists for this domain."]})
        if not body["records"]:
            return self._json(400, {"records": ["This field must not be empty."]})
        self.writes += 1
        rrset = self._rrset(domain, sub, rtype, body["records"], body["ttl"])
        dom["rrsets"][(sub, rtype)] = rrset
        return self._json(201, rrset)

    def _patch(self, dom, key, body):
        if not isinstance(body, dict):
            return self._json(400, {"non_field_errors": ["Invalid data."]})
        errors = self._check(dom, key[1], body.get("records"), body.get("ttl"))
        if errors:
            return self._json(400, errors)
        rrset = dom["rrsets"][key]
        self.writes += 1
        if body.get("records") == []:
            del dom["rrsets"][key]
            return self._json(204, None)
        new = dict(rrset)
        new["records"] = body.get("records", rrset["records"])
        new["ttl"] = body.get("ttl", rrset["ttl"])
        if new["records"] == rrset["records"] and new["ttl"] == rrset["ttl"]:
            self.same_value_writes += 1
        dom["rrsets"][key] = new
        return self._json(200, new)
