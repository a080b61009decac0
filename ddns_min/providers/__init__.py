"""Explicit registry: provider name -> class, imported only when that provider is used."""

import os

from ddns_min.errors import ConfigError

# `dns` name -> (module in ddns_min/providers, class name, OpenWrt package that ships the module)
TABLE = {
    "cloudflare": ("cloudflare", "Cloudflare", "ddns-min"),
    "dnspod": ("dnspod", "DNSPod", "ddns-min"),
    "dnspod_com": ("dnspod", "DNSPodCom", "ddns-min"),
    "debug": ("debug", "Debug", "ddns-min"),
    "tencentcloud": ("tencentcloud", "TencentCloud", "ddns-min-tencentcloud"),
    "dyndns2": ("dyndns2", "DynDNS2", "ddns-min-dyndns2"),
    "noip": ("dyndns2", "NoIP", "ddns-min-dyndns2"),
    "dynu": ("dyndns2", "Dynu", "ddns-min-dyndns2"),
    "callback": ("callback", "Callback", "ddns-min-callback"),
    "pwdns": ("pwdns", "PWDNS", "ddns-min-pwdns"),
    "dnscom": ("dnscom", "DNSCom", "ddns-min-dnscom"),
    "51dns": ("dnscom", "DNSCom", "ddns-min-dnscom"),
    "west": ("west", "West", "ddns-min-west"),
}
NAMES = ("cloudflare", "dnspod", "dnspod_com", "tencentcloud", "callback", "dyndns2", "noip",
         "dynu", "pwdns", "dnscom", "51dns", "west", "debug")
# `dns` values of the ddns package 4.2 that ddns_min does not speak yet: refused by name
NOT_YET = ("alidns", "aliesa", "cloudns", "edgeone", "edgeone_dns", "he", "huaweidns",
           "namesilo")


def _present(module):
    """True if the module's file is in this package folder (or we cannot tell)."""
    here = globals().get("__file__")
    if not here:
        return True
    folder = here.rsplit("/", 1)[0] if "/" in here else "."
    for ext in (".py", ".mpy", ".pyc"):
        try:
            os.stat(folder + "/" + module + ext)
            return True
        except OSError:
            pass
    return False


def get(name):
    if name not in TABLE:
        raise KeyError(name)
    module, cls, package = TABLE[name]
    try:
        mod = __import__("ddns_min.providers." + module, None, None, [cls])
    except ImportError:
        if _present(module):
            raise  # an ImportError from inside the module is a bug, not a missing package
        raise ConfigError('config: "dns" is "%s", but its module is not installed here '
                          '(OpenWrt: opkg install %s)' % (name, package))
    return getattr(mod, cls)
