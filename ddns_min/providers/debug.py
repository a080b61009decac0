"""`debug`: prints what it would set and sends nothing; needs no account. For trying rules."""

from ddns_min import log
from ddns_min.providers.base import Provider


class Debug(Provider):
    name = "debug"
    can_read = False
    needs = ()

    def push(self, name, rtype, ip):
        log.info("debug: %s %s would be set to %s" % (name, rtype, ip))
        return "planned", {"ip": ip}
