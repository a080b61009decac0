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
    "he": ("dyndns2", "HE", "ddns-min-dyndns2"),
    "cloudns": ("cloudns", "ClouDNS", "ddns-min-cloudns"),
    "callback": ("callback", "Callback", "ddns-min-callback"),
    "pwdns": ("pwdns", "PWDNS", "ddns-min-pwdns"),
    "huaweidns": ("huaweidns", "HuaweiDNS", "ddns-min-huaweidns"),
    "duckdns": ("duckdns", "DuckDNS", "ddns-min-duckdns"),
    "desec": ("desec", "DeSEC", "ddns-min-desec"),
    "dynv6": ("dynv6", "Dynv6", "ddns-min-dynv6"),
    "namesilo": ("namesilo", "NameSilo", "ddns-min-namesilo"),
    "porkbun": ("porkbun", "Porkbun", "ddns-min-porkbun"),
    "namecheap": ("namecheap", "Namecheap", "ddns-min-namecheap"),
    "edgeone": ("edgeone", "EdgeOne", "ddns-min-edgeone"),
    "edgeone_dns": ("edgeone", "EdgeOneDNS", "ddns-min-edgeone"),
    "alidns": ("alidns", "AliDNS", "ddns-min-alidns"),
    "aliesa": ("aliesa", "AliESA", "ddns-min-aliesa"),
    "dnscom": ("dnscom", "DNSCom", "ddns-min-dnscom"),
    "51dns": ("dnscom", "DNSCom", "ddns-min-dnscom"),
    "west": ("west", "West", "ddns-min-west"),
}
NAMES = ("cloudflare", "dnspod", "dnspod_com", "tencentcloud", "callback", "dyndns2", "noip",
         "dynu", "pwdns", "huaweidns", "he", "cloudns", "duckdns", "desec", "dynv6", "namesilo",
         "porkbun", "namecheap", "edgeone", "edgeone_dns", "alidns", "aliesa", "dnscom", "51dns",
         "west", "debug")
# The other names the ddns package 4.2 accepts for the same providers (its provider/__init__.py)
ALIASES = {"dnspod_cn": "dnspod", "dnspod_global": "dnspod_com", "tencent": "tencentcloud",
           "qcloud": "tencentcloud", "edgeone_acc": "edgeone", "teo_acc": "edgeone",
           "teo": "edgeone", "teo_dns": "edgeone_dns", "edgeone_noacc": "edgeone_dns",
           "aliyun": "alidns", "esa": "aliesa", "dns_com": "dnscom", "he_net": "he",
           "huawei": "huaweidns", "huaweicloud": "huaweidns", "namesilo_com": "namesilo",
           "no-ip": "noip", "noip_com": "noip", "webhook": "callback", "http": "callback",
           "print": "debug", "west_cn": "west", "35cn": "west"}


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
