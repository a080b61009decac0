"""pwdns.org (the FreeDNS-Go API): GET /api/ddns/update?domain=NAME&ip=IP&token=TOKEN answers
{"success": true, "data": {"domain", "ip", "record_type", "old_ip", "updated"}} or
{"success": false, "error": "..."}. Only subdomains of the service's zones can be updated, so a
bare domain is refused before any request. The token travels in the query string: it is never
logged, and messages name only the host.
"""

from ddns_min import compat
from ddns_min.errors import APIError, ConfigError
from ddns_min.providers.base import Provider

ERRORS = {400: "bad request", 404: "no such domain in this account", 500: "server error"}


class PWDNS(Provider):
    name = "pwdns"
    default_endpoint = "https://pwdns.org"
    can_read = False

    @classmethod
    def check(cls, conf):
        for family in (4, 6):
            for name in conf["names"][family]:
                if name.count(".") < 2:
                    raise ConfigError('config: pwdns updates subdomains only (like '
                                      'home.example.pwdns.org), not "%s"' % name)

    def push(self, name, rtype, ip):
        status, _, text = self.call("GET", "/api/ddns/update?domain=%s&ip=%s&token=%s"
                                    % (compat.quote(name), compat.quote(ip),
                                       compat.quote(self.conf["token"])), {})
        try:
            data = compat.json_loads(text)
        except (ValueError, RuntimeError, MemoryError):
            data = {}
        if not isinstance(data, dict):
            data = {}
        if status in (401, 403):
            self.refuse('pwdns refused the token (HTTP %s): %s; check "token"'
                        % (status, data.get("error") or ""))
        if status == 200 and data.get("success") is True:
            self.answered = True
            info = data.get("data") or {}
            return ("updated" if info.get("updated", True) else "unchanged"), {"ip": ip}
        raise APIError("pwdns: HTTP %s %s: %s" % (status, ERRORS.get(status, ""),
                                                  data.get("error") or " ".join(text.split())[:80]))
