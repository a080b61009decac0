"""Explicit registry: provider name -> class, imported only when that provider is used."""

NAMES = ("cloudflare", "dnspod", "dnspod_com", "tencentcloud", "callback", "dyndns2", "noip",
         "dynu", "pwdns", "debug")
# `dns` values of the ddns package 4.2 that ddns_min does not speak yet: refused by name
NOT_YET = ("alidns", "aliesa", "cloudns", "dnscom", "51dns", "edgeone", "edgeone_dns", "he",
           "huaweidns", "namesilo", "west")


def get(name):
    if name == "cloudflare":
        from ddns_min.providers.cloudflare import Cloudflare
        return Cloudflare
    if name in ("dnspod", "dnspod_com"):
        from ddns_min.providers import dnspod
        return dnspod.DNSPod if name == "dnspod" else dnspod.DNSPodCom
    if name in ("dyndns2", "noip", "dynu"):
        from ddns_min.providers import dyndns2
        return {"dyndns2": dyndns2.DynDNS2, "noip": dyndns2.NoIP, "dynu": dyndns2.Dynu}[name]
    if name == "tencentcloud":
        from ddns_min.providers.tencentcloud import TencentCloud
        return TencentCloud
    if name == "callback":
        from ddns_min.providers.callback import Callback
        return Callback
    if name == "pwdns":
        from ddns_min.providers.pwdns import PWDNS
        return PWDNS
    if name == "debug":
        from ddns_min.providers.debug import Debug
        return Debug
    raise KeyError(name)
