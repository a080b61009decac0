"""An emulator of Namecheap's Dynamic DNS update (https://www.namecheap.com/support/knowledgebase/
article.aspx/29/11/how-to-dynamically-update-the-hosts-ip-with-an-http-request/): GET
/update?host=&domain=&password=&ip=, answered (HTTP 200 either way) with the <interface-response>
XML that carries <ErrCount> and <Err1>, as Namecheap's dynamicdns.park-your-domain.com does.
Namecheap takes a same-value update silently; the emulator counts them."""
from fake_http import Emulator

OK = """<?xml version="1.0" encoding="utf-16"?>
<interface-response>
  <Command>SETDNSHOST</Command>
  <Language>eng</Language>
  <IP>%s</IP>
  <ErrCount>0</ErrCount>
  <errors />
  <ResponseCount>0</ResponseCount>
  <responses />
  <Done>true</Done>
  <debug><![CDATA[]]></debug>
</interface-response>"""

ERROR = """<?xml version="1.0" encoding="utf-16"?>
<interface-response>
  <Command>SETDNSHOST</Command>
  <Language>eng</Language>
  <ErrCount>1</ErrCount>
  <errors>
    <Err1>%s</Err1>
  </errors>
  <ResponseCount>1</ResponseCount>
  <responses>
    <response>
      <ResponseNumber>%s</ResponseNumber>
      <ResponseString>%s</ResponseString>
    </response>
  </responses>
  <Done>true</Done>
  <debug><![CDATA[]]></debug>
</interface-response>"""


class NamecheapEmulator(Emulator):
    def __init__(self):
        super(NamecheapEmulator, self).__init__()
        self.domains = {}  # registered domain -> {"password": ..., "hosts": {host: address}}
        self.same_value_writes = 0

    def add_domain(self, domain, password, **hosts):
        self.domains[domain] = {"password": password, "hosts": dict(
            (("@" if h == "apex" else h), ip) for h, ip in hosts.items())}

    def _xml(self, body):
        return 200, {"Content-Type": "text/html; charset=utf-8"}, body

    def handle(self, req):
        if req.path != "/update" or req.method != "GET":
            return 404, {"Content-Type": "text/html"}, "<html>404 Not Found</html>"
        q = req.query
        domain = self.domains.get(q.get("domain", "").lower())
        if domain is None:
            return self._xml(ERROR % ("Domain name not found", "316153",
                                      "Validation error; not found; domain name(s)"))
        if q.get("password") != domain["password"]:
            return self._xml(ERROR % ("Passwords do not match", "304156",
                                      "Validation error; invalid ; password"))
        host = q.get("host") or "@"
        if host not in domain["hosts"]:
            return self._xml(ERROR % ("No Records updated. A record not Found;", "380091",
                                      "No updates; A record not found"))
        ip = q.get("ip") or "127.0.0.1"
        if ":" in ip:
            return self._xml(ERROR % ("Invalid IP", "304156", "Validation error; invalid ; IP"))
        if domain["hosts"][host] == ip:
            self.same_value_writes += 1
        domain["hosts"][host] = ip
        return self._xml(OK % ip)
