"""The dyndns2 update protocol (https://help.dyn.com/remote-access-api/): one GET per name,
`/nic/update?hostname=NAME&myip=IP` with HTTP Basic auth ("id" user, "token" password). Spoken by
No-IP and Dynu (presets `noip`, `dynu`), dyndns.org (https://members.dyndns.org) and others. There is nothing to read: the state file decides when to send, so an unchanged address
is not sent again (hosts block clients that repeat `nochg`). `badauth` and `abuse` stop all calls;
HTTP 429 is a rate limit.

Hurricane Electric (`he`, https://dns.he.net/docs.html) answers the same words at
https://dyn.dns.he.net/nic/update, authenticated by the record's own DDNS key: sent as the
`password` field of a POST form with `hostname` and `myip` (as the `ddns` package sends it), so
the key is in no URL and no log line.
"""

import binascii

from ddns_min import compat
from ddns_min.errors import APIError, ConfigError, RateLimited
from ddns_min.providers.base import Provider

FAILURES = {
    "notfqdn": "the name is not a fully qualified domain name",
    "nohost": "the name does not exist in this account",
    "numhost": "too many names in one update",
    "badagent": "the host refused our user agent",
    "!donator": "the feature needs a paid account",
    "dnserr": "the host's DNS has a problem; retry later",
    "911": "the host has a problem; retry later",
}


class DynDNS2(Provider):
    name = "dyndns2"
    can_read = False
    needs = ("id", "token")
    needs_help = {"id": "the user name", "token": "the password or update key"}
    keys = '"id" and "token"'  # what a badauth hint names

    @classmethod
    def check(cls, conf):
        if not conf.get("endpoint") and not cls.default_endpoint:
            raise ConfigError('config: "endpoint" is not set (the dyndns2 server, e.g. '
                              'https://api.dynu.com)')

    def send(self, name, ip):
        """The update request -> (status, text)."""
        auth = "%s:%s" % (self.conf["id"], self.conf["token"])
        basic = compat.to_text(binascii.b2a_base64(compat.to_bytes(auth))).strip()
        status, _, text = self.call("GET", "/nic/update?hostname=%s&myip=%s"
                                    % (compat.quote(name), compat.quote(ip)),
                                    {"Authorization": "Basic " + basic})
        return status, text

    def push(self, name, rtype, ip):
        status, text = self.send(name, ip)
        words = text.split()
        code = words[0] if words else ""
        if code in ("good", "nochg") and status == 200:
            self.answered = True
            return ("updated" if code == "good" else "unchanged"), {"ip": ip}
        if code in ("badauth", "abuse") or status in (401, 403):
            self.refuse("%s refused: %s%s" % (
                self.name, code or "HTTP %s" % status,
                "; check %s" % self.keys if code != "abuse" else
                "; the account is blocked for abuse: check it at the provider"))
        if status == 429:
            raise RateLimited("%s rate limit: HTTP 429 %s; the next run tries again"
                              % (self.name, " ".join(words)[:60]))
        raise APIError("%s: %s (%s)" % (self.name, code or "HTTP %s" % status,
                                        FAILURES.get(code, "unexpected answer")))

class NoIP(DynDNS2):
    name = "noip"
    default_endpoint = "https://dynupdate.no-ip.com"


class Dynu(DynDNS2):
    name = "dynu"
    default_endpoint = "https://api.dynu.com"


class HE(DynDNS2):
    name = "he"
    default_endpoint = "https://dyn.dns.he.net"
    needs = ("token",)
    needs_help = {"token": "the DDNS key of the record (dns.he.net: the record's "
                           "\"Generate a DDNS key\")"}
    keys = '"token" (the DDNS key of that name at dns.he.net)'

    @classmethod
    def check(cls, conf):
        if conf.get("id"):
            raise ConfigError('config: "id" is set, but he uses only "token" (the DDNS key of '
                              'the record), as the ddns package does: remove "id"')

    def send(self, name, ip):
        form = compat.urlencode([("hostname", name), ("password", self.conf["token"]),
                                 ("myip", ip)])
        status, _, text = self.call("POST", "/nic/update",
                                    {"Content-Type": "application/x-www-form-urlencoded"}, form)
        return status, text
