"""Request signing shared by the providers that sign (Tencent Cloud and EdgeOne's TC3, and the
other schemes each provider documents): digests and HMAC built on hashlib, since MicroPython has
no `hmac` module and not every build has every digest. Checked against RFC 4231's vectors and each
provider's published examples in the tests. On OpenWrt this module is the ddns-min-signing
package, which every signing provider's package depends on."""

import time

from ddns_min import compat
from ddns_min.errors import ConfigError

BLOCK = 64  # the block size of MD5, SHA-1 and SHA-256


def digest(name, data):
    """`name` ("sha256", "sha1", "md5") digest of `data`; a build without it -> ConfigError."""
    if name == "sha256":
        return compat.sha256(data)
    try:
        import hashlib
        new = getattr(hashlib, name)
    except (ImportError, AttributeError):
        raise ConfigError("this Python's hashlib has no %s, which the provider's signature needs "
                          "(use a build with it, or CPython)" % name)
    return new(compat.to_bytes(data)).digest()


def hmac(name, key, msg):
    """HMAC (RFC 2104) with the digest `name` -> raw bytes."""
    key = compat.to_bytes(key)
    if len(key) > BLOCK:
        key = digest(name, key)
    key = bytearray(key + b"\x00" * (BLOCK - len(key)))
    inner = digest(name, bytes(bytearray(b ^ 0x36 for b in key)) + compat.to_bytes(msg))
    return digest(name, bytes(bytearray(b ^ 0x5c for b in key)) + inner)


def hmac_sha256(key, msg):
    return hmac("sha256", key, msg)


def tc3(secret_id, secret_key, service, host, action, payload, timestamp):
    """-> the Authorization header of a TC3-HMAC-SHA256 signed POST of JSON `payload` to `host`
    (https://cloud.tencent.com/document/api/1427/56189), for the API `service`."""
    t = time.gmtime(timestamp)
    date = "%04d-%02d-%02d" % (t[0], t[1], t[2])
    headers = "content-type:application/json; charset=utf-8\nhost:%s\nx-tc-action:%s\n" \
        % (host, action.lower())
    signed = "content-type;host;x-tc-action"
    canonical = "POST\n/\n\n%s\n%s\n%s" % (
        headers, signed, compat.hexlify(compat.sha256(payload)))
    scope = "%s/%s/tc3_request" % (date, service)
    to_sign = "TC3-HMAC-SHA256\n%d\n%s\n%s" % (
        timestamp, scope, compat.hexlify(compat.sha256(canonical)))
    key = hmac_sha256(hmac_sha256(hmac_sha256("TC3" + secret_key, date), service),
                      "tc3_request")
    return "TC3-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        secret_id, scope, signed, compat.hexlify(hmac_sha256(key, to_sign)))


# -- DNS.com / 51dns (dnscom): https://www.51dns.com/document/api/70/72.html
def dnscom_hash(pairs, api_secret):
    """-> the "hash" parameter of DNS.com's API: the MD5 (hex) of every request parameter sorted
    by name, written name=value (the values as they are, not %-escaped) and joined with "&",
    with apiSecret appended. A build without md5 -> ConfigError naming md5."""
    text = "&".join("%s=%s" % (k, v) for k, v in sorted(pairs))
    return compat.hexlify(digest("md5", compat.to_bytes(text) + compat.to_bytes(api_secret)))
