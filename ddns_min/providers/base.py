"""What every provider shares: the HTTP call, JSON decoding, and stopping after a refusal."""

import json

from ddns_min import USER_AGENT, log, transport
from ddns_min.errors import APIError, AuthError, NetworkError


class RecordGone(APIError):
    """The record id we remembered no longer exists at the provider."""


class Provider(object):
    name = ""
    default_endpoint = ""
    # May a changed address be written straight to a remembered record id without reading it
    # first? Only where writing a value the record already holds is harmless.
    blind_write = False

    def __init__(self, conf):
        self.conf = conf
        self.endpoint = conf.get("endpoint") or self.default_endpoint
        self.refused = None  # the AuthError that ended all calls to this provider for the run
        self.requests = 0

    @classmethod
    def check(cls, conf):
        """Provider-specific config checks, before any request."""

    def call(self, method, path, headers, body=None):
        if self.refused is not None:
            raise self.refused
        url = self.endpoint + path
        headers = dict(headers)
        headers["User-Agent"] = USER_AGENT
        self.requests += 1
        log.debug("%s %s %s" % (self.name, method, path.split("?", 1)[0]))
        status, resp_headers, text = transport.request(
            method, url, headers, body, cafile=self.conf.get("cafile"))
        log.debug("%s answered HTTP %s" % (self.name, status))
        return status, resp_headers, text

    def refuse(self, message):
        self.refused = AuthError(message)
        raise self.refused

    def decode(self, status, text):
        """JSON body -> dict; anything else (an HTML error page, a cut answer) is a NetworkError."""
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            snippet = " ".join(text.split())[:60]
            raise NetworkError("%s answered HTTP %s with something that is not its API's JSON: %r"
                               % (self.name, status, snippet))
        return data

    def differs(self, rec, ip):
        """True when the record must be written: another address, or a configured field off."""
        if rec.get("ip") != ip:
            return True
        ttl = self.conf.get("ttl")
        return ttl is not None and rec.get("ttl") is not None and int(rec["ttl"]) != ttl
