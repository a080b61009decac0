"""Explicit registry: provider name -> class, imported only when that provider is used."""

NAMES = ("cloudflare", "dnspod")


def get(name):
    if name == "cloudflare":
        from ddns_min.providers.cloudflare import Cloudflare
        return Cloudflare
    if name == "dnspod":
        from ddns_min.providers.dnspod import DNSPod
        return DNSPod
    raise KeyError(name)
