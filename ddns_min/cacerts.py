"""The TLS client context: always verified (CERT_REQUIRED, the server name checked against the
certificate), CAs from `cafile` or the system bundle (MicroPython's ssl differs by version: see
mptls). Without CAs or without ssl a request fails with what to install; there is no switch to
turn checks off.
"""

from ddns_min import compat
from ddns_min.errors import NetworkError

CA_BUNDLES = ("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",
              "/etc/ssl/cert.pem", "/etc/ssl/ca-bundle.pem", "/usr/local/share/certs/ca-root-nss.crt",
              "/etc/pki/tls/cacert.pem")
_contexts = {}


def context(cafile):
    """An SSL context that verifies the server against `cafile` or the system bundle."""
    if cafile in _contexts:
        return _contexts[cafile]
    try:
        import ssl
    except ImportError:
        raise NetworkError("this Python has no ssl module: install one with TLS (OpenWrt: "
                           "micropython with ssl, or python3-openssl); on MicroPython keep "
                           "\".frozen\" in MICROPYPATH, where its ssl module lives")
    path = cafile
    if path is None:
        for candidate in CA_BUNDLES:
            if compat.file_exists(candidate):
                path = candidate
                break
    if path is None or not compat.file_exists(path):
        raise no_ca_error(path or ", ".join(CA_BUNDLES))
    if not compat.MICROPYTHON:
        ctx = ssl.create_default_context(cafile=path)
    else:
        from ddns_min import mptls
        ctx = mptls.context(ssl, path)
    _contexts[cafile] = ctx
    return ctx


# Handshakes that fail for want of a common TLS version or cipher suite: OpenSSL's names, and
# mbedtls's codes (a fatal alert from the server; 2.28's no-cipher and bad-version; 3.x's
# handshake failure).
NO_COMMON = ("HANDSHAKE_FAILURE", "NO_SHARED_CIPHER", "NO_CIPHERS_AVAILABLE",
             "UNSUPPORTED_PROTOCOL", "ALERT_PROTOCOL_VERSION", "-30592", "-29568", "-28288",
             "-28160")


def why(exc):
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text or \
            "MBEDTLS_ERR_X509_CERT_VERIFY_FAILED" in text or "-9984" in text:
        return "certificate not trusted or not for this host (%s)" % text
    for mark in NO_COMMON:
        if mark in text:
            return ("the server and this TLS library have no TLS version or cipher suite in "
                    "common (%s); OpenWrt's micropython-mbedtls speaks TLS 1.2 with ECDHE and "
                    "AES-GCM or ChaCha20, and TLS 1.3 from 24.10" % text)
    return text or exc.__class__.__name__


def no_ca_error(path):
    return NetworkError("no CA certificates found (%s); install them (OpenWrt: opkg install "
                        "ca-bundle; Debian: apt install ca-certificates) or set \"ssl\" to a "
                        "CA bundle" % path)
