"""Huawei Cloud DNS (https://support.huaweicloud.com/intl/en-us/api-dns/): the Access Key ID in
"id", the Secret Access Key in "token"; every request signed with SDK-HMAC-SHA256 (signing.py,
https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-algorithm-002.html).

The same calls as the ddns package 4.2: the public zone by name (GET /v2/zones, ListPublicZones),
the record set by name, type and optional line (GET /v2.1/zones/{id}/recordsets), then a create
(POST, with "line" when set) or an update of its records list (PUT .../recordsets/{id}) only when
the value or a configured ttl differs. Two or more names of one zone are read with one listing of
the zone's record sets instead (prefetch: type, limit and offset, metadata.total_count). API
Gateway errors are {"error_code", "error_msg"}
(devg-apisign/api-sign-errorcode.html), DNS errors {"code", "message"} (api-dns/ErrorCode.html).
"""

import time

from ddns_min import compat
from ddns_min.errors import APIError, RateLimited, RecordGone
from ddns_min.providers.base import Provider, same_name, zone_candidates
from ddns_min.providers.signing import sdk_hmac_sha256, sdk_query
from ddns_min.transport import host_of

# APIGW.0301 wrong IAM AK/SK or signature (also a locked AK), APIGW.0303 wrong app credentials,
# APIGW.0101 no such API on this endpoint; DNS.0005 authentication required, DNS.0013 no
# permission for this API (frozen project)
AUTH_CODES = ("APIGW.0301", "APIGW.0303", "APIGW.0101", "DNS.0005", "DNS.0013")
RATE_CODES = ("APIGW.0308", "DNS.0014")  # throttling threshold reached; flow control
DEFAULT_LINE = "default_view"
LIST_LIMIT = 100  # record sets per page (at most 500) when a whole zone is listed (prefetch)


class HuaweiDNS(Provider):
    name = "huaweidns"
    default_endpoint = "https://dns.myhuaweicloud.com"
    needs = ("id", "token")
    needs_help = {"id": "the Access Key ID (AK)", "token": "the Secret Access Key (SK)"}

    def __init__(self, conf):
        super(HuaweiDNS, self).__init__(conf)
        self.zones = {}  # zone name -> zone id, found once per run
        self.no_zone = {}  # name -> why no zone was found for it (asked once per run)

    def api(self, method, path, pairs=(), body=None):
        query = sdk_query(pairs)
        payload = compat.json_dumps(body) if body is not None else ""
        t = time.gmtime()
        date = "%04d%02d%02dT%02d%02d%02dZ" % (t[0], t[1], t[2], t[3], t[4], t[5])
        headers = {"Content-Type": "application/json", "Host": _host(self.endpoint),
                   "X-Sdk-Date": date}
        headers["Authorization"] = sdk_hmac_sha256(self.conf["id"], self.conf["token"], method,
                                                   path, query, headers, payload)
        status, _, text = self.call(method, path + ("?" + query if query else ""), headers,
                                    payload or None, read=method == "GET")
        data = self.decode(status, text)
        if 200 <= status < 300:
            self.answered = True
            return data
        code = _text(data.get("error_code") or data.get("code"))
        detail = "%s: %s" % (code or "HTTP %d" % status,
                             _text(data.get("error_msg") or data.get("message")) or "no message")
        if code in AUTH_CODES or (status == 401 and not code):
            self.refuse('huaweidns refused the request: %s; check "id" (Access Key ID), "token" '
                        '(Secret Access Key) and "endpoint" (%s)'
                        % (detail, host_of(self.endpoint)))
        if code in RATE_CODES or status == 429:
            raise RateLimited("huaweidns rate limit: " + detail)
        if status == 404 and method == "PUT":
            raise RecordGone("huaweidns: " + detail)
        raise APIError("huaweidns %s %s: %s%s" % (method, path, detail, "" if method == "GET"
                                                  else ' (check "ttl" and "line")'))

    def prefetch(self, wanted):
        """One listing of each zone with two or more names to read; the zone of each name is
        the lookup find() makes anyway (and caches)."""
        groups = {}
        for name, rtype in wanted:
            try:
                zone = self._zone(name)
            except APIError as exc:
                if isinstance(exc, RateLimited):
                    raise
                continue  # no zone: find() says so for that name
            groups.setdefault(zone, []).append((name, rtype))
        for (zone, zone_id), names in groups.items():
            if len(names) > 1:
                self._list_zone(zone, zone_id, names)

    def _list_zone(self, zone, zone_id, names):
        types = set(t for _, t in names)
        wanted = set((n.lower(), t) for n, t in names)
        pairs = [("limit", LIST_LIMIT)]
        if len(types) == 1:
            pairs.append(("type", list(types)[0]))
        line = self.conf.get("line")
        if line:
            pairs.append(("line_id", line))

        def page_of(n):
            data = self.api("GET", "/v2.1/zones/%s/recordsets" % zone_id,
                            pairs + [("offset", n * LIST_LIMIT)])
            meta = self.expect(data.get("metadata") or {}, dict, "metadata")
            total = self.number(meta.get("total_count"), "metadata.total_count", 0)
            found = []
            for r in self.expect(data.get("recordsets") or [], list, "recordsets"):
                r = self.expect(r, dict, "recordsets[]")
                rname = self.expect(r.get("name"), str, "recordsets[].name")
                # every record set counts as found (a page of others is not the end); only
                # those of our names, types and line are built, as find() builds them
                if (rname.lower().rstrip("."), r.get("type")) not in wanted or \
                        (line and r.get("line") != line):
                    found.append((rname, None, None))
                else:
                    found.append((rname, r.get("type"), self._rec(zone_id, r)))
            return found, max(1, (total + LIST_LIMIT - 1) // LIST_LIMIT)
        self.list_zone(zone, wanted, page_of)
        for recs in self.listing.get(zone, {}).values():
            # find()'s order: the default line first, so listed() picks as find() does
            recs.sort(key=lambda rec: rec.get("line") not in (None, DEFAULT_LINE))

    def find(self, name, rtype, ip):
        zone, zone_id = self._zone(name)
        if zone in self.listing:
            return self.listed(zone, name, rtype, ip,
                               {"zone": zone, "zone_id": zone_id, "id": None})
        pairs = [("name", name + "."), ("type", rtype), ("search_mode", "equal")]
        line = self.conf.get("line")
        if line:
            pairs.append(("line_id", line))
        data = self.api("GET", "/v2.1/zones/%s/recordsets" % zone_id, pairs)
        found = []
        for r in self.expect(data.get("recordsets") or [], list, "recordsets"):
            r = self.expect(r, dict, "recordsets[]")
            if r.get("type") == rtype and same_name(r.get("name"), name) and \
                    (not line or r.get("line") == line):
                found.append(self._rec(zone_id, r))
        found.sort(key=lambda rec: (rec["ip"] != ip, rec.get("line") not in (None, DEFAULT_LINE)))
        return found[0] if found else {"zone": zone, "zone_id": zone_id, "id": None}

    def _zone(self, name):
        for zone, _ in zone_candidates(name):  # a zone known already costs no request
            if zone in self.zones:
                return zone, self.zones[zone]
        if name in self.no_zone:
            raise APIError(self.no_zone[name])
        for zone, _ in zone_candidates(name):
            data = self.api("GET", "/v2/zones", [("type", "public"), ("name", zone + "."),
                                                 ("search_mode", "equal")])
            for z in self.expect(data.get("zones") or [], list, "zones"):
                z = self.expect(z, dict, "zones[]")
                if same_name(z.get("name"), zone):
                    self.zones[zone] = self.ident(z.get("id"), "zones[].id")
                    return zone, self.zones[zone]
        self.no_zone[name] = ('huaweidns: no public zone for "%s" in this account (check the '
                              'name and "id")' % name)
        raise APIError(self.no_zone[name])

    def create(self, name, rtype, ip, rec):
        body = {"name": name + ".", "type": rtype, "records": [ip]}
        if self.conf.get("ttl"):
            body["ttl"] = self.conf["ttl"]
        if self.conf.get("line"):
            body["line"] = self.conf["line"]
        data = self.api("POST", "/v2.1/zones/%s/recordsets" % rec["zone_id"], body=body)
        new = self._rec(rec["zone_id"], data)
        new["ttl"] = new.get("ttl") or self.conf.get("ttl")
        return new

    def update(self, name, rtype, ip, rec):
        body = {"name": rec.get("name") or name + ".", "type": rtype, "records": [ip]}
        ttl = self.conf.get("ttl") or rec.get("ttl")
        if ttl:
            body["ttl"] = ttl
        data = self.api("PUT", "/v2.1/zones/%s/recordsets/%s" % (rec["zone_id"], rec["id"]),
                        body=body)
        new = self._rec(rec["zone_id"], data)
        new["ttl"] = new.get("ttl") or ttl
        return new

    def _rec(self, zone_id, r):
        values = self.expect(r.get("records") or [], list, "records")
        for v in values:
            self.expect(v, str, "records[]")
        name = self.expect(r.get("name"), str, "name")
        line = r.get("line")
        return {"zone_id": zone_id, "id": self.ident(r.get("id"), "id"),
                "name": compat.to_native(name), "ttl": self.number(r.get("ttl"), "ttl"),
                "ip": compat.to_native(",".join(values)) if values else None,
                "line": compat.to_native(line) if isinstance(line, (str, compat.text_type))
                else None}


def _text(value):
    return compat.to_native(value) if isinstance(value, (str, compat.text_type)) else \
        ("" if value is None else str(value))


def _host(endpoint):
    """The Host header as signed: the endpoint's host, with its port unless the default one."""
    rest = endpoint.split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1]
    for scheme, port in (("https", ":443"), ("http", ":80")):
        if endpoint.startswith(scheme + "://") and rest.endswith(port):
            return rest[:-len(port)]
    return rest
