"""`callback`, as in the `ddns` package: "id" is a URL called once per record that changed, or
the path and query after "endpoint" (as ddns's docs write it: endpoint "https://api.example.com",
id "/ddns?domain=__DOMAIN__"), or empty with the whole URL in "endpoint". "token", if set, is a
JSON object (in a file also written as an object) sent as a POST body (else a GET). __DOMAIN__,
__RECORDTYPE__, __TTL__, __LINE__, __TIMESTAMP__ and __IP__ are replaced in the URL
(percent-encoded) and in the body's top-level string values. Any 2xx answer is success; 401/403
stop the run's calls (exit 3).
"""

import time

from ddns_min import compat
from ddns_min.errors import APIError, ConfigError
from ddns_min.providers.base import Provider


class Callback(Provider):
    name = "callback"
    can_read = False
    needs = ("id",)
    needs_help = {"id": "the URL to call"}
    log_paths = False

    def __init__(self, conf):
        super(Callback, self).__init__(conf)
        self.endpoint = ""  # the whole URL is in self.url
        self.url = self.url_of(conf)

    @staticmethod
    def url_of(conf):
        url, base = conf.get("id") or "", conf.get("endpoint") or ""
        if not base or _absolute(url):
            return url
        return base + ("" if not url or url[0] in "/?" else "/") + url

    @classmethod
    def check_credentials(cls, conf):
        if not conf.get("id") and not conf.get("endpoint"):
            raise ConfigError('config: "id" is not set (callback needs it: the URL to call)')

    @classmethod
    def check(cls, conf):
        if conf.get("endpoint") and _absolute(conf.get("id") or ""):
            raise ConfigError('config: callback: a URL in "id" and "endpoint"; keep one')
        url = cls.url_of(conf)
        if url and not _absolute(url):
            raise ConfigError('config: "id" must be the callback URL (http:// or https://), '
                              'got "%s"' % url)
        if conf.get("token"):
            try:
                body = compat.json_loads(conf["token"])
            except ValueError:
                body = None
            if not isinstance(body, dict):
                raise ConfigError('config: "token" must be empty or a JSON object for the '
                                  'callback body')

    def push(self, name, rtype, ip):
        values = {"__DOMAIN__": name, "__RECORDTYPE__": rtype,
                  "__TTL__": str(self.conf.get("ttl") or ""),
                  "__LINE__": self.conf.get("line") or "",
                  "__TIMESTAMP__": str(int(time.time())), "__IP__": ip}
        url = self.url
        for key in values:
            url = url.replace(key, compat.quote(values[key]))
        if self.conf.get("token"):
            body = compat.json_loads(self.conf["token"])
            for field in body:
                if isinstance(body[field], (str, compat.text_type)):
                    for key in values:
                        body[field] = body[field].replace(key, values[key])
            status, _, text = self.call("POST", url, {"Content-Type": "application/json"},
                                        compat.json_dumps(body))
        else:
            status, _, text = self.call("GET", url, {})
        if 200 <= status < 300:
            self.answered = True
            return "updated", {"ip": ip}
        snippet = " ".join(text.split())[:80]
        if status in (401, 403):
            self.refuse('callback refused: HTTP %s %s; check the URL in "id"' % (status, snippet))
        raise APIError("callback answered HTTP %s: %s" % (status, snippet))


def _absolute(url):
    return url.startswith("http://") or url.startswith("https://")
