"""The dyndns2 update protocol (https://help.dyn.com/remote-access-api/): one GET per name,
`/nic/update?hostname=NAME&myip=IP` with HTTP Basic auth ("id" user, "token" password). Spoken by
No-IP and Dynu (presets `noip`, `dynu`), dyndns.org (https://members.dyndns.org) and others. There is nothing to read: the state file decides when to send, so an unchanged address
is not sent again (hosts block clients that repeat `nochg`). `badauth` and `abuse` stop all calls.
"""

import binascii

from ddns_min import compat
from ddns_min.errors import APIError, ConfigError
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

    @classmethod
    def check(cls, conf):
        if not conf.get("endpoint") and not cls.default_endpoint:
            raise ConfigError('config: "endpoint" is not set (the dyndns2 server, e.g. '
                              'https://api.dynu.com)')

    def push(self, name, rtype, ip):
        auth = "%s:%s" % (self.conf["id"], self.conf["token"])
        basic = compat.to_text(binascii.b2a_base64(compat.to_bytes(auth))).strip()
        status, _, text = self.call("GET", "/nic/update?hostname=%s&myip=%s"
                                    % (compat.quote(name), compat.quote(ip)),
                                    {"Authorization": "Basic " + basic})
        words = text.split()
        code = words[0] if words else ""
        if code in ("good", "nochg") and status == 200:
            self.answered = True
            return ("updated" if code == "good" else "unchanged"), {"ip": ip}
        if code in ("badauth", "abuse") or status in (401, 403):
            self.refuse("%s refused: %s%s" % (
                self.name, code or "HTTP %s" % status,
                "; check \"id\" and \"token\"" if code != "abuse" else
                "; the account is blocked for abuse: check it at the provider"))
        raise APIError("%s: %s (%s)" % (self.name, code or "HTTP %s" % status,
                                        FAILURES.get(code, "unexpected answer")))


class NoIP(DynDNS2):
    name = "noip"
    default_endpoint = "https://dynupdate.no-ip.com"


class Dynu(DynDNS2):
    name = "dynu"
    default_endpoint = "https://api.dynu.com"
