"""Verified TLS contexts on MicroPython, whose ssl module changed under OpenWrt's feet.

1.23 and later (OpenWrt 24.10) have `ssl.SSLContext`, whose CA store takes certificates as DER,
one at a time (a PEM bundle is refused). 1.20 (OpenWrt 23.05) has only `ssl.wrap_socket`, which
takes the CAs as one PEM text (`cadata`) for each connection and checks the server's name given as
`server_hostname` once `cert_reqs` is CERT_REQUIRED. Either way the certificate is verified; there
is no unverified fallback.
"""

from ddns_min import compat
from ddns_min.errors import NetworkError


def context(ssl, path):
    """-> an object with wrap_socket(sock, server_hostname=...) that verifies against `path`."""
    if hasattr(ssl, "SSLContext"):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.verify_mode = ssl.CERT_REQUIRED
        if not _load_pem_as_der(ctx, path):
            raise NetworkError("no certificate could be read from %s" % path)
        return ctx
    return _WrapSocket(ssl, _certificates_only(path))


class _WrapSocket(object):
    def __init__(self, ssl, pem):
        self.ssl, self.pem = ssl, pem

    def wrap_socket(self, sock, server_hostname=None, do_handshake_on_connect=True):
        # do_handshake=False on a non-blocking socket: the handshake happens in the first
        # writes, each a would-block that the caller waits out within its deadline.
        return self.ssl.wrap_socket(sock, server_hostname=server_hostname,
                                    cert_reqs=self.ssl.CERT_REQUIRED, cadata=self.pem,
                                    do_handshake=do_handshake_on_connect)


def _pem_blocks(path):
    """Yields the base64 lines of each certificate in a PEM bundle."""
    chunk, inside = [], False
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line == "-----BEGIN CERTIFICATE-----":
                inside, chunk = True, []
            elif line == "-----END CERTIFICATE-----" and inside:
                inside = False
                yield chunk
            elif inside:
                chunk.append(line)


def _load_pem_as_der(ctx, path):
    import binascii
    count = 0
    for chunk in _pem_blocks(path):
        try:
            ctx.load_verify_locations(cadata=binascii.a2b_base64("".join(chunk)))
            count += 1
        except (ValueError,) + compat.OS_ERRORS:
            pass  # a certificate this TLS library cannot use: skip it, not the rest
    return count


def _certificates_only(path):
    """The bundle's certificates without its comments (mbedtls parses PEM blocks only)."""
    parts = []
    for chunk in _pem_blocks(path):
        parts.append("-----BEGIN CERTIFICATE-----\n%s\n-----END CERTIFICATE-----\n"
                     % "\n".join(chunk))
    if not parts:
        raise NetworkError("no certificate could be read from %s" % path)
    return compat.to_bytes("".join(parts))
