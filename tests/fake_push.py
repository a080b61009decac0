"""Emulators of the update-only APIs: dyndns2 hosts (No-IP style), pwdns.org, and a webhook
that records callbacks. Answers as their docs describe them."""
import base64
import json

from fake_http import Emulator


class DynDNS2Emulator(Emulator):
    """https://help.dyn.com/remote-access-api/return-codes/: good/nochg/badauth/nohost/abuse..."""

    def __init__(self):
        super(DynDNS2Emulator, self).__init__()
        self.users = {}   # user -> password
        self.hosts = {}   # hostname -> address
        self.abuse = False

    def handle(self, req):
        plain = {"Content-Type": "text/plain"}
        if req.path != "/nic/update":
            return 404, plain, "not found"
        auth = req.headers.get("authorization", "")
        try:
            user, _, password = base64.b64decode(auth[6:]).decode("utf-8").partition(":")
        except (ValueError, TypeError):
            user = password = None
        if not auth.startswith("Basic ") or self.users.get(user) != password:
            return 401, plain, "badauth"
        if self.abuse:
            return 200, plain, "abuse"
        if not req.headers.get("user-agent"):
            return 200, plain, "badagent"
        host, ip = req.query.get("hostname"), req.query.get("myip")
        if host not in self.hosts:
            return 200, plain, "nohost"
        if self.hosts[host] == ip:
            return 200, plain, "nochg %s" % ip
        self.hosts[host] = ip
        return 200, plain, "good %s" % ip


class PWDNSEmulator(Emulator):
    def __init__(self):
        super(PWDNSEmulator, self).__init__()
        self.tokens = {}  # token -> {domain: ip}

    def _json(self, status, body):
        return status, {"Content-Type": "application/json"}, json.dumps(body)

    def handle(self, req):
        if req.path != "/api/ddns/update" or req.method != "GET":
            return self._json(404, {"success": False, "error": "not found"})
        q = req.query
        if not q.get("domain") or not q.get("ip"):
            return self._json(400, {"success": False, "error": "domain and ip are required"})
        domains = self.tokens.get(q.get("token"))
        if domains is None:
            return self._json(401, {"success": False, "error": "invalid token"})
        if q["domain"] not in domains:
            return self._json(404, {"success": False, "error": "domain not found"})
        old = domains[q["domain"]]
        domains[q["domain"]] = q["ip"]
        return self._json(200, {"success": True, "message": "ok",
                                "data": {"domain": q["domain"], "ip": q["ip"],
                                         "record_type": "AAAA" if ":" in q["ip"] else "A",
                                         "old_ip": old, "updated": old != q["ip"]}})


class WebhookEmulator(Emulator):
    def __init__(self, status=200):
        super(WebhookEmulator, self).__init__()
        self.status = status

    def handle(self, req):
        return self.status, {"Content-Type": "text/plain"}, "ok"
