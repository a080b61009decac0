"""The one module that knows which runtime it is on: CPython 2.7, CPython 3, or MicroPython.

Everything else imports these names instead of testing versions itself.
"""

import os
import sys

MICROPYTHON = getattr(sys, "implementation", None) is not None and \
    sys.implementation.name == "micropython"
PY2 = sys.version_info[0] == 2

try:
    text_type = unicode  # noqa: F821 (Python 2)
except NameError:
    text_type = str

try:
    IOError_ = IOError
except NameError:  # MicroPython has only OSError
    IOError_ = OSError

# Every error the OS or the network stack can raise for a file or socket problem.
OS_ERRORS = (OSError, IOError_)


def to_text(value):
    """Bytes (UTF-8) or text -> the native text type."""
    if isinstance(value, bytes) and not isinstance(value, str):
        return value.decode("utf-8", "replace") if not MICROPYTHON else value.decode("utf-8")
    if PY2 and isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def to_bytes(value):
    if isinstance(value, bytes):
        return value
    return value.encode("utf-8")


def collect():
    """MicroPython collects garbage only when an allocation fails, by then in a heap so
    fragmented that the state file's JSON (one growing buffer) may find no room; a collection
    after each request keeps long-lived objects packed. CPython needs nothing."""
    if MICROPYTHON and sys.platform != "webassembly":  # whose 1.20 aborts on a collect
        import gc
        gc.collect()


def printable(text, limit=1000):
    """One line of plain text: control characters (CR/LF that would forge log lines) become
    spaces, lone surrogates (which no UTF-8 file can hold) "?", and it is cut at `limit`."""
    if not isinstance(text, (str, text_type)):
        text = str(text)
    if len(text) > limit:
        text = text[:limit] + "..."
    for ch in text:
        if ord(ch) < 32 or ord(ch) == 127 or 0xD800 <= ord(ch) <= 0xDFFF:
            break
    else:
        return text
    out = []
    for ch in text:
        code = ord(ch)
        out.append(" " if code < 32 or code == 127 else ("?" if 0xD800 <= code <= 0xDFFF else ch))
    return "".join(out)


def to_native(value):
    """Text -> `str` of this runtime (on 2.7 json gives `unicode`; print and dict keys want `str`)."""
    if PY2 and isinstance(value, text_type):
        return value.encode("utf-8")
    return value


def sha256(data):
    """SHA-256 digest. CPython's builtin module first: `hashlib` loads OpenSSL's libcrypto, which
    costs a run that has nothing to do a few ms and a few MB."""
    try:
        from _sha2 import sha256 as new  # CPython 3.12+
    except ImportError:
        try:
            from _sha256 import sha256 as new  # CPython 2.7, 3.6-3.11
        except ImportError:
            from hashlib import sha256 as new  # MicroPython
    return new(to_bytes(data)).digest()


def hexlify(data):
    return "".join("%02x" % b for b in bytearray(data))


# json's decoder imports `re` and `enum`, which cost an unchanged run on CPython more than all the
# rest of it. These two use the C helpers json itself is built on (in CPython since 2.6) and give
# exactly json.loads / json.dumps results; other runtimes (MicroPython) get json.


class _Scanner(object):
    strict = True
    encoding = "utf-8"  # Python 2
    object_hook = object_pairs_hook = None
    parse_float = parse_constant = float
    parse_int = int


def json_loads(text):
    try:
        from _json import make_scanner
        body = text.strip(" \t\n\r")
        value, end = make_scanner(_Scanner)(body, 0)
        if end == len(body):
            return value
    except Exception:  # noqa: the C scanner may fail oddly on bad text (3.6-3.11: SystemError)
        pass
    import json  # not CPython, or not valid: json's own result or error message
    if MICROPYTHON and not _whole_json(text):
        raise ValueError("incomplete JSON")
    return json.loads(text)


def _whole_json(text):
    """MicroPython's json reads cut text as if it were whole ('{"a": [1' gives {"a": [1]}): an
    answer cut short must not pass for a smaller one. Brackets outside strings must balance,
    and nothing but blanks may follow the end."""
    depth, in_str, escaped, ended = 0, False, False, False
    for ch in text:
        if in_str:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_str = False
        elif ended:
            if ch not in " \t\r\n":
                return False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            ended = depth == 0
            if depth < 0:
                return False
    return depth == 0 and not in_str


def json_dumps(value):
    try:
        from _json import encode_basestring_ascii as string
    except ImportError:
        import json
        return json.dumps(value)
    return _dumps(value, string)


def _dumps(value, string):
    if isinstance(value, dict):
        return "{" + ", ".join(string(k) + ": " + _dumps(v, string) for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_dumps(v, string) for v in value) + "]"
    if value is None or value is True or value is False:
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, (str, text_type)):
        return string(value)
    if isinstance(value, float):
        text = repr(value)
        return {"inf": "Infinity", "-inf": "-Infinity", "nan": "NaN"}.get(text, text)
    return str(int(value))


def socket_module():
    """CPython's `socket` imports enum and selectors, which costs more than a whole run that has
    nothing to do; `_socket`, which it wraps, is enough for one UDP socket."""
    try:
        import _socket as mod
    except ImportError:  # MicroPython
        import socket as mod
    return mod


def ipv4_of_interface(name):
    """An interface's primary IPv4 address from the kernel (SIOCGIFADDR), or None: no such
    interface, no address, or no fcntl (MicroPython)."""
    name = to_bytes(name)
    try:
        import fcntl
    except ImportError:
        return None
    if len(name) > 15:  # no such interface (IFNAMSIZ): a cut name could be another's
        return None
    mod = socket_module()
    sock = mod.socket(mod.AF_INET, mod.SOCK_DGRAM)
    try:  # struct ifreq: the name in 16 bytes, then a sockaddr_in whose address is at 20..24
        raw = fcntl.ioctl(sock.fileno(), 0x8915, name.ljust(40, b"\0"))
    except (ValueError,) + OS_ERRORS:
        return None
    finally:
        sock.close()
    return ".".join(str(b) for b in bytearray(raw[20:24]))


def sockaddr(mod, host, port, family):
    """A connect() address: MicroPython wants getaddrinfo's form, CPython resolves a tuple."""
    if MICROPYTHON:
        return mod.getaddrinfo(host, port, mod.AF_INET if family == 4 else mod.AF_INET6)[0][-1]
    return (host, port)


def getenv(name):
    if MICROPYTHON:
        return os.getenv(name)
    return os.environ.get(name)


_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"


def quote(value, safe=""):
    """Percent-encode like urllib's quote(); ours so that MicroPython and the no-request path need
    no urllib."""
    out = []
    for byte in bytearray(to_bytes(value)):
        ch = chr(byte)
        out.append(ch if ch in _SAFE or ch in safe else "%%%02X" % byte)
    return "".join(out)


def urlencode(pairs):
    """[(key, value), ...] -> form body; values are str() of what was given."""
    return "&".join(quote(k) + "=" + quote(v if isinstance(v, (str, text_type)) else str(v))
                    for k, v in pairs)


def file_exists(path):
    try:
        os.stat(path)
        return True
    except OS_ERRORS:
        return False


def read_regular(path, limit):
    """The bytes of a regular file of at most `limit` bytes; ValueError (saying why) for a FIFO,
    a device or a larger file, which are refused before a byte is read: a FIFO would block and
    /dev/zero never ends. OSError when it cannot be read at all."""
    st = os.stat(path)
    if st[0] & 0o170000 != 0o100000:
        raise ValueError("is not a regular file")
    size = "%d MiB" % (limit >> 20) if not limit & 0xfffff else "%d KiB" % (limit >> 10)
    if st[6] > limit:
        raise ValueError("is larger than " + size)
    with open(path, "rb") as f:
        data = f.read(st[6] + 1)  # not read(limit): MicroPython allocates that much at once
        if len(data) > st[6]:  # it grew meanwhile
            data += f.read(limit + 1 - len(data))
    if len(data) > limit:
        raise ValueError("is larger than " + size)
    return data


def is_dir(path):
    try:
        return os.stat(path)[0] & 0o170000 == 0o040000
    except OS_ERRORS:
        return False


def dirname(path):
    i = path.rfind("/")
    if i < 0:
        return "."
    return path[:i] or "/"


def makedirs(path):
    if not path or is_dir(path):
        return
    makedirs(dirname(path))
    try:
        os.mkdir(path)
    except OS_ERRORS:
        if not is_dir(path):
            raise


def replace_file(src, dst):
    """Atomic rename over an existing file (POSIX rename; os.replace where it exists for Windows)."""
    rep = getattr(os, "replace", None)
    if rep is not None:
        rep(src, dst)
    else:
        os.rename(src, dst)


def fsync(fileobj):
    fileobj.flush()
    sync = getattr(os, "fsync", None)
    if sync is not None:
        try:
            sync(fileobj.fileno())
        except (AttributeError, ValueError) + OS_ERRORS:
            pass


def file_mode(path):
    """Permission bits of a file, or None where the runtime cannot tell."""
    try:
        return os.stat(path)[0] & 0o777
    except OS_ERRORS:
        return None


def _write(stream, text):
    stream.write(to_bytes(text) if PY2 and isinstance(text, text_type) else text)
    try:
        stream.flush()
    except AttributeError:
        pass


def write_stderr(text):
    _write(sys.stderr, text)


def write_stdout(text):
    _write(sys.stdout, text)
