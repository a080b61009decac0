"""Request signing shared by the providers that sign (Tencent Cloud and EdgeOne's TC3, and the
other schemes each provider documents): digests and HMAC built on hashlib, since MicroPython has
no `hmac` module and not every build has every digest. Checked against RFC 4231's vectors and each
provider's published examples in the tests. On OpenWrt this module is the ddns-min-signing
package, which every signing provider's package depends on."""

import time

from ddns_min import compat
from ddns_min.errors import ConfigError, RateLimited

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


# -- Huawei Cloud (huaweidns): SDK-HMAC-SHA256, the AK/SK signing of Huawei's API Gateway
# (https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-algorithm-002.html and the
# pages after it: -003 the string to sign, -004 the signature, -005 the Authorization header).

def sdk_query(pairs):
    """[(key, value)] -> the canonical query string (each part URI-encoded, sorted by key then
    value); sent as it is, so the gateway rebuilds the same string."""
    return "&".join("%s=%s" % kv for kv in sorted(
        (compat.quote(k), compat.quote(v if isinstance(v, (str, compat.text_type)) else str(v)))
        for k, v in pairs))


def sdk_hmac_sha256(access, secret, method, path, query, headers, payload):
    """-> the Authorization header of a request signed with SDK-HMAC-SHA256. `headers`: the
    headers to sign (name -> value; "host" and "x-sdk-date" among them), `query`: from sdk_query.
    The canonical path ends in "/" though the request's need not."""
    signed = {}
    for name in headers:
        signed[name.lower()] = str(headers[name]).strip()
    names = sorted(signed)
    uri = compat.quote(path, "/")
    canonical = "%s\n%s\n%s\n%s\n%s\n%s" % (
        method.upper(), uri if uri.endswith("/") else uri + "/", query,
        "".join("%s:%s\n" % (n, signed[n]) for n in names), ";".join(names),
        compat.hexlify(compat.sha256(payload)))
    to_sign = "SDK-HMAC-SHA256\n%s\n%s" % (signed["x-sdk-date"],
                                          compat.hexlify(compat.sha256(canonical)))
    return "SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s" % (
        access, ";".join(names), compat.hexlify(hmac_sha256(secret, to_sign)))


# -- Tencent Cloud API 3.0 (tencentcloud, edgeone): one signed call and its error envelope

def tc3_call(prov, service, version, action, params):
    """One signed Tencent Cloud API 3.0 call of `prov` (tencentcloud, edgeone) -> (Response,
    error code, "code: message"); code None on success. Refused credentials (AuthFailure*,
    UnauthorizedOperation*) end the provider's run; RequestLimitExceeded* is RateLimited."""
    payload = compat.json_dumps(params)
    host = prov.endpoint.split("://", 1)[-1].split("/", 1)[0]
    now = int(time.time())
    headers = {"Content-Type": "application/json; charset=utf-8", "Host": host,
               "X-TC-Action": action, "X-TC-Version": version, "X-TC-Timestamp": str(now),
               "Authorization": tc3(prov.conf["id"], prov.conf["token"], service, host, action,
                                    payload, now)}
    status, _, text = prov.call("POST", "/", headers, payload, read=action.startswith("Describe"))
    resp = prov.expect(prov.decode(status, text).get("Response") or {}, dict, "Response")
    error = resp.get("Error")
    if error is not None and not isinstance(error, dict):
        error = {"Code": "", "Message": str(error)}
    if not error:
        prov.answered = True
        return resp, None, ""
    code = compat.to_native(error.get("Code") or "")
    detail = "%s: %s" % (code, compat.to_native(error.get("Message") or ""))
    if code.startswith("AuthFailure") or code.startswith("UnauthorizedOperation"):
        prov.refuse('%s refused the credentials: %s; check "id" (SecretId) and "token" '
                    '(SecretKey) on %s' % (prov.name, detail, host))
    if "RequestLimitExceeded" in code:
        raise RateLimited("%s rate limit: %s" % (prov.name, detail))
    return resp, code, detail


# -- Alibaba Cloud (alidns, aliesa): ACS3-HMAC-SHA256, the V3 signature
# (https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature)

def acs3_query(params):
    """{name: value} -> the canonical query string: sorted by name, RFC 3986 encoded."""
    return "&".join(compat.quote(k) + "=" + compat.quote(
        params[k] if isinstance(params[k], (str, compat.text_type)) else str(params[k]))
        for k in sorted(params))


def acs3_nonce():
    """A fresh x-acs-signature-nonce: 32 hex digits from the clock and random bits."""
    import random
    return compat.hexlify(compat.sha256("%r %d %d" % (time.time(), random.getrandbits(30),
                                                      random.getrandbits(30))))[:32]


def acs3(key_id, secret, method, host, query, headers, body=""):
    """Sign one request to `host`: `headers` holds x-acs-action, x-acs-version, x-acs-date,
    x-acs-signature-nonce (and content-type if there is a body); -> those headers plus host,
    x-acs-content-sha256 and Authorization. `query` is the canonical query string (acs3_query),
    sent as is."""
    signed = dict((k.lower(), str(v).strip()) for k, v in headers.items())
    signed["host"] = host
    signed["x-acs-content-sha256"] = compat.hexlify(compat.sha256(body))
    names = sorted(signed)
    canonical = "%s\n/\n%s\n%s\n%s\n%s" % (
        method, query, "".join("%s:%s\n" % (n, signed[n]) for n in names), ";".join(names),
        signed["x-acs-content-sha256"])
    to_sign = "ACS3-HMAC-SHA256\n" + compat.hexlify(compat.sha256(canonical))
    signed["Authorization"] = "ACS3-HMAC-SHA256 Credential=%s,SignedHeaders=%s,Signature=%s" % (
        key_id, ";".join(names), compat.hexlify(hmac_sha256(secret, to_sign)))
    return signed


def acs3_date(now=None):
    t = time.gmtime(now if now is not None else time.time())
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (t[0], t[1], t[2], t[3], t[4], t[5])


def acs3_headers(key_id, secret, method, host, action, version, query, body="",
                 content_type=None):
    """acs3() with this moment's x-acs-date and a fresh nonce: the headers of one API call."""
    headers = {"x-acs-action": action, "x-acs-version": version, "x-acs-date": acs3_date(),
               "x-acs-signature-nonce": acs3_nonce()}
    if content_type:
        headers["content-type"] = content_type
    return acs3(key_id, secret, method, host, query, headers, body)


def acs3_call(prov, method, action, version, params, read):
    """One signed Alibaba Cloud RPC call of `prov` (alidns, aliesa), its parameters in the query
    -> (answer, None) or (answer, "code: message"). Refused credentials (the gateway's codes
    for wrong or powerless keys: every further call would get the same) end the provider's run;
    Throttling* or HTTP 429 is RateLimited."""
    query = acs3_query(params)
    host = prov.endpoint.split("://", 1)[-1].split("/", 1)[0]
    headers = acs3_headers(prov.conf["id"], prov.conf["token"], method, host, action, version,
                           query)
    status, _, text = prov.call(method, "/?" + query, headers, "" if method == "POST" else None,
                                read=read)
    data = prov.decode(status, text)
    code = data.get("Code")
    if status < 300 and not code:
        prov.answered = True
        return data, None
    code = compat.to_native(code) if isinstance(code, (str, compat.text_type)) else \
        "HTTP %d" % status
    detail = "%s: %s" % (code, compat.to_native(data.get("Message") or ""))
    if code.startswith("InvalidAccessKeyId") or code.startswith("Forbidden") or \
            code in ("SignatureDoesNotMatch", "IncompleteSignature", "InvalidSecurityToken",
                     "ActionUnauthorized", "NoPermission"):
        prov.refuse('%s refused the credentials: %s; check "id" (AccessKey ID) and "token" '
                    '(AccessKey secret) on %s' % (prov.name, detail, host))
    if code.startswith("Throttling") or status == 429:
        raise RateLimited("%s rate limit: %s" % (prov.name, detail))
    return data, detail


# -- DNS.com / 51dns (dnscom): https://www.51dns.com/document/api/70/72.html
def dnscom_hash(pairs, api_secret):
    """-> the "hash" parameter of DNS.com's API: the MD5 (hex) of every request parameter sorted
    by name, written name=value (the values as they are, not %-escaped) and joined with "&",
    with apiSecret appended. A build without md5 -> ConfigError naming md5."""
    text = "&".join("%s=%s" % (k, v) for k, v in sorted(pairs))
    return compat.hexlify(digest("md5", compat.to_bytes(text) + compat.to_bytes(api_secret)))
