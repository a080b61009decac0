"""Namecheap Dynamic DNS (https://www.namecheap.com/support/knowledgebase/article.aspx/29/11/
how-to-dynamically-update-the-hosts-ip-with-an-http-request/): one GET per name,
/update?host=SUB&domain=DOMAIN&password=PASSWORD&ip=IP, answered with XML holding <ErrCount>
(0 = done) and <Err1> (the reason). Update-only: nothing to read, the state file decides when
to send. It sets A records only, so an "ipv6" name is refused before any request.

"token" is the domain's Dynamic DNS password (Advanced DNS page, not the account password); it
travels in the query string, which is never logged, and no message holds the URL. Namecheap
needs the registered domain apart from the host: by default the last two labels of the name
(home.example.com -> example.com, host "home"); a domain under a two-label suffix goes in "id"
("id": "example.co.uk"). An <Err1> about the password stops all calls.
"""

from ddns_min import compat
from ddns_min.errors import APIError, ConfigError, RateLimited
from ddns_min.providers.base import Provider, zone_candidates
from ddns_min.transport import host_of


class Namecheap(Provider):
    name = "namecheap"
    default_endpoint = "https://dynamicdns.park-your-domain.com"
    can_read = False
    needs_help = {"token": "the domain's Dynamic DNS password (Advanced DNS page)"}

    @classmethod
    def check(cls, conf):
        if conf["names"][6]:
            raise ConfigError('config: Namecheap\'s dynamic DNS updates A records only; remove '
                              '"ipv6" (%s)' % ", ".join(conf["names"][6]))
        for name in conf["names"][4]:
            _split(conf, name)

    def push(self, name, rtype, ip):
        domain, host = _split(self.conf, name)
        status, _, text = self.call("GET", "/update?host=%s&domain=%s&password=%s&ip=%s" % (
            compat.quote(host), compat.quote(domain), compat.quote(self.conf["token"]),
            compat.quote(ip)), {})
        if status == 429:
            raise RateLimited("namecheap rate limit: HTTP 429; retry later")
        count = _element(text, "ErrCount")
        if status != 200 or count is None:
            snippet = " ".join(text.split())[:60]
            raise APIError("namecheap answered HTTP %s without its XML answer: %r"
                           % (status, snippet))
        count = self.number(count, "ErrCount")
        reason = _element(text, "Err1") or ""
        if count == 0:
            self.answered = True
            held = _element(text, "IP")
            if held and held != ip:
                raise APIError("namecheap set %s, not %s; not counted as done" % (held[:45], ip))
            return "updated", {"ip": ip}
        if "password" in reason.lower():
            self.refuse('namecheap refused: %s; check "token" (the Dynamic DNS password of %s) on '
                        '%s' % (reason, domain, host_of(self.endpoint)))
        hint = "the host %s must exist as an A record at Namecheap" % host
        if "domain" in reason.lower():
            hint = ('"%s" must be the registered domain with Dynamic DNS on; set "id" to the '
                    'domain if it is not the last two labels' % domain)
        raise APIError("namecheap: %s (%s)" % (reason or "%d errors" % count, hint))


def _split(conf, name):
    """-> (registered domain, host) for Namecheap; ConfigError if "id" does not fit the name."""
    domain = (conf.get("id") or "").lower().strip(".")
    if not domain:
        if "." not in name:
            raise ConfigError('config: "%s" has no domain part for Namecheap' % name)
        return zone_candidates(name)[0]
    if name.lower() != domain and not name.lower().endswith("." + domain):
        raise ConfigError('config: "%s" is not under "id" (%s), the registered domain Namecheap '
                          'needs' % (name, domain))
    return zone_candidates(name, domain)[0]


def _element(text, tag):
    """The text of the first <tag>...</tag> in an XML answer, entities decoded, or None."""
    start = text.find("<%s>" % tag)
    end = text.find("</%s>" % tag, start + 1)
    if start < 0 or end < 0:
        return None
    value = text[start + len(tag) + 2:end].strip()
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"),
                         ("&amp;", "&")):
        value = value.replace(entity, char)
    return value
