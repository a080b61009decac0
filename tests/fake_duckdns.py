"""DuckDNS as https://www.duckdns.org/spec.jsp describes it: GET /update?domains=&token=
[&ip=][&ipv6=][&verbose=true][&clear=true]; "OK" or "KO" in plain text, and with verbose=true
"OK\\nIPV4\\nIPV6\\nUPDATED|NOCHANGE". Without ip= and ipv6= the spec detects the caller's
IPv4 address (here: 127.0.0.1), which a client must never rely on."""
from fake_http import Emulator


class DuckDNSEmulator(Emulator):
    def __init__(self):
        super(DuckDNSEmulator, self).__init__()
        self.tokens = {}    # token -> set of subnames of that account
        self.records = {}   # subname -> {"A": ip, "AAAA": ip}
        self.same_value_writes = 0
        self.detected = 0   # updates where the server had to guess the IPv4 address

    def add(self, token, sub, a="", aaaa=""):
        self.tokens.setdefault(token, set()).add(sub)
        self.records[sub] = {"A": a, "AAAA": aaaa}

    def handle(self, req):
        plain = {"Content-Type": "text/plain;charset=UTF-8"}
        if req.path != "/update" or req.method != "GET":
            return 404, plain, "not found"
        q = req.query
        subs = [s for s in q.get("domains", "").split(",") if s]
        owned = self.tokens.get(q.get("token"))
        if not subs or owned is None or [s for s in subs if s not in owned]:
            return 200, plain, "KO"
        ip, ipv6 = q.get("ip", ""), q.get("ipv6", "")
        if not ip and not ipv6 and q.get("clear") != "true":
            ip = "127.0.0.1"
            self.detected += 1
        changed = False
        for sub in subs:
            rec = self.records[sub]
            if q.get("clear") == "true":
                rec["A"] = rec["AAAA"] = ""
                changed = True
                continue
            for rtype, value in (("AAAA" if ":" in ip else "A", ip), ("AAAA", ipv6)):
                if not value:
                    continue
                if rec[rtype] == value:
                    self.same_value_writes += 1
                else:
                    rec[rtype], changed = value, True
        if q.get("verbose") != "true":
            return 200, plain, "OK"
        last = self.records[subs[-1]]
        return 200, plain, "OK\n%s\n%s\n%s" % (last["A"], last["AAAA"],
                                               "UPDATED" if changed else "NOCHANGE")
