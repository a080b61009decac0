"""Which HTTP proxy a request goes through (CPython; config refuses proxies on MicroPython).

"HOST:PORT" (also http://HOST:PORT and USER:PASS@HOST:PORT); "SYSTEM" or None: http_proxy /
https_proxy / no_proxy from the environment, as urllib did, but never for a loopback host;
"DIRECT": none. sockhttp tunnels https through it with CONNECT and sends http in absolute form.
"""

from ddns_min import compat
from ddns_min.errors import NetworkError


def proxy_for(scheme, host, proxy):
    """-> None (direct) or (proxy host, port, base64 "user:pass" or "")."""
    if proxy == "DIRECT":
        return None
    if proxy in (None, "SYSTEM"):
        from ddns_min import addr
        proxy = compat.getenv(scheme + "_proxy") or compat.getenv(scheme.upper() + "_PROXY")
        if not proxy or addr.is_loopback_host(host) or _bypassed(host):
            return None
        if "://" in proxy and not proxy.startswith("http://"):
            raise NetworkError("the %s_proxy setting is not an http:// proxy" % scheme)
    proxy = proxy.split("://", 1)[-1].split("/", 1)[0]
    auth = ""
    if "@" in proxy:
        import binascii
        userinfo, _, proxy = proxy.rpartition("@")
        auth = compat.to_text(binascii.b2a_base64(compat.to_bytes(userinfo)).strip())
    from ddns_min.addr import host_port
    try:
        phost, pport = host_port(proxy, 8080)
    except ValueError:
        raise NetworkError("proxy %s has no valid port" % proxy.rsplit(":", 1)[0])
    return phost, pport, auth


def _bypassed(host):
    """no_proxy: "*", or names whose suffix (on a dot boundary) matches; ports are ignored."""
    names = compat.getenv("no_proxy") or compat.getenv("NO_PROXY") or ""
    host = host.lower()
    for name in names.replace(" ", ",").split(","):
        name = name.strip().lower().lstrip(".")
        if name.startswith("["):
            name = name[1:].split("]", 1)[0]
        elif name.count(":") == 1:
            name = name.split(":", 1)[0]
        if name == "*" or (name and (host == name or host.endswith("." + name))):
            return True
    return False
