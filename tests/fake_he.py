"""An emulator of Hurricane Electric's dynamic DNS update (https://dns.he.net/docs.html):
`/nic/update` at dyn.dns.he.net takes `hostname`, `password` (the record's own DDNS key) and
`myip` as a GET query or a POST form, or the key as HTTP Basic auth with the hostname as the
user. It answers in plain text with the dyndns2 words: "good IP", "nochg IP", "badauth",
"nohost", "notfqdn", "abuse". Only records enabled for dynamic DNS (a key set) can be updated;
nothing is created. Same-value updates ("nochg") are counted."""
import base64

from fake_http import Emulator


class HEEmulator(Emulator):
    def __init__(self):
        super(HEEmulator, self).__init__()
        self.keys = {}     # hostname -> DDNS key
        self.records = {}  # (hostname, "A" or "AAAA") -> address
        self.abuse = set()  # hostnames blocked for abuse
        self.same_value_writes = 0

    def add(self, hostname, key, a=None, aaaa=None):
        self.keys[hostname] = key
        if a:
            self.records[(hostname, "A")] = a
        if aaaa:
            self.records[(hostname, "AAAA")] = aaaa

    def handle(self, req):
        plain = {"Content-Type": "text/plain"}
        if req.path != "/nic/update" or req.method not in ("GET", "POST"):
            return 404, plain, "not found"
        args = dict(req.query)
        args.update(req.form or {})
        host, key = args.get("hostname"), args.get("password")
        auth = req.headers.get("authorization", "")
        if key is None and auth.startswith("Basic "):
            try:
                user, _, key = base64.b64decode(auth[6:]).decode("utf-8").partition(":")
            except (ValueError, TypeError):
                user = key = None
            host = host or user
        if not host or "." not in host:
            return 200, plain, "notfqdn"
        if host not in self.keys or self.keys[host] != key:
            return 200, plain, "badauth"
        if host in self.abuse:
            return 200, plain, "abuse"
        ip = args.get("myip") or "192.0.2.1"  # HE takes the client's address without myip
        rtype = "AAAA" if ":" in ip else "A"
        if (host, rtype) not in self.records:
            return 200, plain, "nohost"
        if self.records[(host, rtype)] == ip:
            self.same_value_writes += 1
            return 200, plain, "nochg %s" % ip
        self.records[(host, rtype)] = ip
        return 200, plain, "good %s" % ip
