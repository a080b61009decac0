"""`callback`, as in the `ddns` package: "id" is a URL called once per record that changed;
"token", if set, is a JSON object sent as a POST body (else a GET). __DOMAIN__, __RECORDTYPE__,
__TTL__, __TIMESTAMP__ and __IP__ are replaced in the URL (percent-encoded) and in the body's
top-level string values. Any 2xx answer is success; 401/403 stop the run's calls (exit 3).
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
        self.endpoint = ""  # the whole URL is in "id"

    @classmethod
    def check(cls, conf):
        url = conf.get("id") or ""
        if url and not (url.startswith("http://") or url.startswith("https://")):
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
                  "__TIMESTAMP__": str(int(time.time())), "__IP__": ip}
        url = self.conf["id"]
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
