"""DuckDNS (https://www.duckdns.org/spec.jsp): update-only, one GET per name,
`/update?domains=SUB&token=TOKEN&ip=IPv4&verbose=true` (`ipv6=` instead of `ip=` for AAAA, which
also turns off DuckDNS's own IPv4 detection, so the A record is left alone). Names are
SUB.duckdns.org; only SUB is sent. The answer is "OK" (verbose: then the addresses and UPDATED or
NOCHANGE) or "KO": a wrong token, or a name not in the account; either stops all calls.
The token travels in the query string, which is never logged.
"""

from ddns_min import compat
from ddns_min.errors import APIError, ConfigError, RateLimited
from ddns_min.providers.base import Provider

SUFFIX = ".duckdns.org"


class DuckDNS(Provider):
    name = "duckdns"
    default_endpoint = "https://www.duckdns.org"
    can_read = False
    needs_help = {"token": "the account token shown on duckdns.org"}

    @classmethod
    def check(cls, conf):
        for family in (4, 6):
            for name in conf["names"][family]:
                sub = name[:-len(SUFFIX)] if name.endswith(SUFFIX) else ""
                if not sub or "." in sub:
                    raise ConfigError('config: duckdns updates names like home.duckdns.org '
                                      '(one label before .duckdns.org), not "%s"' % name)

    def push(self, name, rtype, ip):
        sub = name[:-len(SUFFIX)]
        status, headers, text = self.call(
            "GET", "/update?domains=%s&token=%s&%s=%s&verbose=true"
            % (compat.quote(sub), compat.quote(self.conf["token"]),
               "ip" if rtype == "A" else "ipv6", compat.quote(ip)), {})
        lines = [line.strip() for line in text.strip().split("\n")]
        word = lines[0] if lines else ""
        if status == 429:
            raise RateLimited("duckdns rate limit: HTTP 429; the next run tries again")
        if status == 200 and word == "KO":
            self.refuse('duckdns refused the update of %s: KO; check "token" and that "%s" is '
                        'a domain of that account' % (name, sub))
        if status in (401, 403):
            self.refuse('duckdns refused the update of %s: HTTP %s; check "token"'
                        % (name, status))
        if status != 200 or word != "OK":
            raise APIError("duckdns: HTTP %s %r for %s (expected OK or KO)"
                           % (status, " ".join(text.split())[:40], name))
        self.answered = True
        held = lines[1 if rtype == "A" else 2] if len(lines) >= 4 else ip
        return ("unchanged" if lines[-1] == "NOCHANGE" else "updated"), {"ip": held or ip}
