"""DNSPod token API (https://docs.dnspod.cn/api/): every call is a form POST to dnsapi.cn/<Action>.

DNSPod's rules (https://docs.dnspod.cn/api/api-development-specification/) ban clients that log in
with bad credentials again and again, or that send modifications which change nothing; so the first
refused login ends every DNSPod call of the run, and a record is only modified after reading it and
seeing that its value (or a configured ttl) differs. Answers quirks: status codes are strings, ids
are strings in lists but numbers in some Record.Modify answers, and the content type is text/html.
"""

from ddns_min import compat
from ddns_min.errors import APIError, RateLimited, RecordGone
from ddns_min.providers.base import Provider, pick, same_name, sub_name, zone_candidates

# Every answer that means "this login will not work": stop all calls at once (DNSPod disables
# logins after 30 failures in 5 minutes). Common returns of the token API
# (https://docs.dnspod.cn/api/api-public-request/, the older list at
# https://github.com/DNSPod/dnspod-api-doc/blob/master/source/info.rst, "common returns"):
# -1 login failed; -7 no permission to use this interface (e.g. a company account that must
# upgrade); -8 banned after too many failed logins; 83 account locked, no operation allowed;
# 85 login refused by the account's region protection (remote login). D-token (2FA) answers:
# 50 a D-token code is needed, 52 the code is wrong. Token answers seen from the API:
# 10001 the login token is wrong, 10002 "The login token ID is invalid", and on
# api.dnspod.com 20004 "user token validate failed". Not here: -2 rate limit (RATE_CODES),
# -99 "feature paused, retry later", -3/-4/6/7 agent-API-only answers.
AUTH_CODES = ("-1", "-7", "-8", "50", "52", "83", "85", "10001", "10002", "20004")
RATE_CODES = ("-2",)  # API use over the limit
NO_DOMAIN_CODES = ("6", "7")  # domain id/name invalid; domain not under this account
NO_RECORDS = "10"
GONE_CODES = ("8",)  # record id invalid
LIST_LENGTH = 100  # records per Record.List page when a whole domain is listed (prefetch)
DEFAULT_LINE_ID = "0"  # the default line ("Default"; named in Chinese for .cn accounts), whatever the account's language


class DNSPod(Provider):
    name = "dnspod"
    default_endpoint = "https://dnsapi.cn"

    def __init__(self, conf):
        super(DNSPod, self).__init__(conf)
        self.zones = {}  # name -> (domain name, domain id), found once per run

    needs = ("id", "token")
    needs_help = {"id": 'the token ID (or "ID,TOKEN" in "token")', "token": "the API token"}

    @classmethod
    def normalize_credentials(cls, conf):
        if conf.get("token") and not conf.get("id") and "," in conf["token"]:
            conf["id"], conf["token"] = conf["token"].split(",", 1)  # ddns-scripts style

    def api(self, action, params):
        pairs = [("login_token", "%s,%s" % (self.conf["id"], self.conf["token"])),
                 ("format", "json"), ("lang", "en"), ("error_on_empty", "no")] + params
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "Accept": "text/json"}
        status, _, text = self.call("POST", "/" + action, headers, compat.urlencode(pairs),
                                    read=action.endswith(".List"))
        data = self.decode(status, text)
        info = self.expect(data.get("status") or {}, dict, "status")
        code = compat.to_native(info.get("code")) if isinstance(
            info.get("code"), (str, compat.text_type)) else str(info.get("code"))
        if code == "1" or (code == NO_RECORDS and action == "Record.List"):
            self.answered = True
            return data
        detail = "[%s] %s" % (code, compat.to_native(info.get("message") or "no message"))
        if code in AUTH_CODES:
            self.refuse('%s refused the login: %s; check "id" (token ID) and "token"'
                        % (self.name, detail))
        if code in RATE_CODES:
            raise RateLimited("%s rate limit: %s" % (self.name, detail))
        if code in GONE_CODES:
            raise RecordGone("%s: %s" % (self.name, detail))
        if code in NO_DOMAIN_CODES:
            raise NoDomain("%s: %s" % (self.name, detail))
        raise APIError("%s %s: %s" % (self.name, action, detail))

    def prefetch(self, wanted):
        """One listing of each domain with two or more names to read (base.list_domains)."""
        self.list_domains(wanted, self._list_domain, NoDomain)

    def _list_domain(self, zone, names):
        wanted = set((sub_name(n, zone).lower(), t) for n, t in names)
        types = set(t for _, t in names)
        params = [("domain", zone), ("length", str(LIST_LENGTH))]
        if len(types) == 1:
            params.append(("record_type", list(types)[0]))
        if self.conf.get("line"):
            params.append(("record_line", self.conf["line"]))
        seen = {}

        def page_of(n):
            data = self.api("Record.List", params + [("offset", str(n * LIST_LENGTH))])
            dom = self.expect(data.get("domain") or {}, dict, "domain")
            seen["zid"] = zid = self.ident(dom.get("id"), "domain.id")
            info = self.expect(data.get("info") or {}, dict, "info")
            total = self.number(info.get("record_total"), "info.record_total", 0)
            found = []
            for r in self.expect(data.get("records") or [], list, "records"):
                r = self.expect(r, dict, "records[]")
                sub = self.expect(r.get("name"), str, "records[].name")
                found.append((sub, r.get("type"), self._rec(zid, sub, r)))
            return found, max(1, (total + LIST_LENGTH - 1) // LIST_LENGTH)
        self.list_zone(zone, wanted, page_of)
        return zone, seen["zid"]

    def find(self, name, rtype, ip):
        known = self.zones.get(name)
        if known and known[0] in self.listing:
            sub = sub_name(name, known[0])
            return self.listed(known[0], sub, rtype, ip,
                               {"zone": known[1], "sub": sub, "id": None})
        for zone, sub in zone_candidates(name, known and known[0]):
            params = [("domain", zone), ("sub_domain", sub), ("record_type", rtype)]
            if self.conf.get("line"):
                params.append(("record_line", self.conf["line"]))
            try:
                data = self.api("Record.List", params)
            except NoDomain:
                continue
            dom = self.expect(data.get("domain") or {}, dict, "domain")
            zid = self.ident(dom.get("id"), "domain.id")
            self.zones[name] = (zone, zid)
            found = []
            for r in self.expect(data.get("records") or [], list, "records"):
                r = self.expect(r, dict, "records[]")
                if r.get("type") == rtype and same_name(r.get("name"), sub):
                    found.append(self._rec(zid, sub, r))
            return pick(found, ip, {"zone": zid, "sub": sub, "id": None})
        raise APIError('%s: no domain for "%s" in this account; add the domain at DNSPod'
                       % (self.name, name))

    def create(self, name, rtype, ip, rec):
        params = [("domain_id", rec["zone"]), ("sub_domain", rec["sub"]), ("record_type", rtype),
                  ("value", ip)] + self._line(rec)
        if self.conf.get("ttl"):
            params.append(("ttl", self.conf["ttl"]))
        data = self.api("Record.Create", params)
        new = self.expect(data.get("record"), dict, "record")
        return {"zone": rec["zone"], "sub": rec["sub"], "id": self.ident(new.get("id"), "record.id"),
                "ip": ip,
                "ttl": self.conf.get("ttl") or 600, "line_id": rec.get("line_id")}

    def update(self, name, rtype, ip, rec):
        ttl = self.conf.get("ttl") or rec.get("ttl")
        params = [("domain_id", rec["zone"]), ("record_id", rec["id"]), ("sub_domain", rec["sub"]),
                  ("record_type", rtype), ("value", ip)] + self._line(rec)
        if ttl:
            params.append(("ttl", ttl))
        data = self.api("Record.Modify", params)
        # The answer's record carries the value DNSPod now holds: the caller checks it is ours.
        sent = self.expect(data.get("record") or {}, dict, "record")
        new = dict(rec)
        new["ip"], new["ttl"] = sent.get("value", ip), ttl
        return new

    def _line(self, rec):
        if rec.get("line_id") is not None:
            return [("record_line_id", rec["line_id"])]
        if self.conf.get("line"):
            return [("record_line", self.conf["line"])]
        return [("record_line_id", DEFAULT_LINE_ID)]

    def _rec(self, zone_id, sub, r):
        line_id = r.get("line_id")
        return {"zone": zone_id, "sub": sub, "id": self.ident(r.get("id"), "records[].id"),
                "ip": self.expect(r.get("value"), str, "records[].value"),
                "ttl": self.number(r.get("ttl"), "records[].ttl"),
                "line_id": self.ident(line_id, "records[].line_id", "-_=") if line_id else None}


class NoDomain(APIError):
    pass


class DNSPodCom(DNSPod):
    """DNSPod international (api.dnspod.com): the same protocol on another host."""
    name = "dnspod_com"
    default_endpoint = "https://api.dnspod.com"
