"""West.cn as ddns 4.2 uses it: its DNS API v2 (https://api.west.cn/API/v2/domain/dns/,
docs https://console-docs.apipost.cn/preview/bf57a993975b67e0/7b363d9b8808faa2), one form POST
act=dnsrec.update&domain=ZONE&hostname=SUB&record_value=IP[&record_line=LINE], which creates or
updates the host's record. Credentials mean what they mean in ddns: "id" the member user name and
"token" its apikey (the 32-hex MD5 of the API password), sent as username + apikey; or "token"
alone, the domain's apidomainkey (the MD5 of the domain's management password).

There is nothing to read with these credentials, so the state file decides when to send. Answers
are {"code": 200, "body": {"record_id"}}; code 404 means no such domain, and the next zone split
is tried (home.example.com.cn: example.com.cn after com.cn), as ddns does. Refused credentials:
HTTP 401/403, code 401/403, or a message about the key, password or user name.
"""

from ddns_min import compat
from ddns_min.errors import APIError, RateLimited
from ddns_min.providers.base import Provider, zone_candidates

AUTH_WORDS = ("apikey", "apidomainkey", "password", "username", "token", "auth")
RATE_WORDS = ("frequen", "too many", "rate limit")


class West(Provider):
    name = "west"
    default_endpoint = "https://api.west.cn/API/v2/domain/dns/"
    can_read = False
    needs = ("token",)
    needs_help = {"token": "the apikey (MD5 of the API password, with \"id\" the user name) or "
                           "the domain's apidomainkey"}

    def __init__(self, conf):
        super(West, self).__init__(conf)
        self.endpoint = self.endpoint.rstrip("/")

    def push(self, name, rtype, ip):
        if self.conf.get("id"):
            auth = [("username", self.conf["id"]), ("apikey", self.conf["token"])]
        else:
            auth = [("apidomainkey", self.conf["token"])]
        last = None
        for zone, sub in zone_candidates(name):
            pairs = [("act", "dnsrec.update"), ("domain", zone), ("hostname", sub),
                     ("record_value", ip)] + auth
            if self.conf.get("line"):
                pairs.append(("record_line", self.conf["line"]))
            status, _, text = self.call("POST", "/", {
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json"}, compat.urlencode(pairs))
            if status in (401, 403):
                self.refuse('west refused the credentials (HTTP %s); check "id" (user name) '
                            'and "token" (apikey or apidomainkey)' % status)
            if status == 429:
                raise RateLimited("west rate limit (HTTP 429)")
            data = self.decode(status, text)
            code = data.get("code")
            code = compat.to_native(code) if isinstance(code, (str, compat.text_type)) \
                else str(code)
            message = compat.to_native(data.get("msg") or data.get("message") or "no message")
            detail = "[%s] %s" % (code, message)
            if code == "200":
                self.answered = True
                return "updated", {"ip": ip}
            if code == "404":
                last = detail
                continue
            low = message.lower()
            if code in ("401", "403") or [w for w in AUTH_WORDS if w in low]:
                self.refuse('west refused the credentials: %s; check "id" (user name) and '
                            '"token" (apikey, the MD5 of the API password, or the domain\'s '
                            'apidomainkey)' % detail)
            if code == "429" or [w for w in RATE_WORDS if w in low]:
                raise RateLimited("west rate limit: " + detail)
            raise APIError("west dnsrec.update: %s" % detail)
        raise APIError('west: no domain for "%s" with these credentials (%s); check the name '
                       'and "token"' % (name, last))
