"""A one-line logger (MicroPython has no `logging`): stderr without timestamps, since syslog and
cron add their own; `log.file` lines with them. Every line passes through `mask`, so a secret that
reaches a message by any path is replaced before it is written.
"""

import time

from ddns_min import compat

LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40, "CRITICAL": 50}
_state = {"level": 20, "file": None, "secrets": [], "syslog": None}
# syslog priorities: LOG_DAEMON facility (3 << 3) plus the level's severity.
_PRIORITY = {"DEBUG": 24 + 7, "INFO": 24 + 6, "WARNING": 24 + 4, "ERROR": 24 + 3,
             "CRITICAL": 24 + 2}


def setup(level="INFO", path=None, use_syslog=False):
    _state["level"] = LEVELS.get(level, 20)
    _state["file"] = path
    if use_syslog:
        try:
            import syslog
        except ImportError:
            from ddns_min.errors import ConfigError
            raise ConfigError("usage: --syslog needs a Python with the syslog module (CPython); "
                              "pipe the output to `logger -t ddns_min` instead")
        syslog.openlog("ddns_min")
        _state["syslog"] = syslog


def add_secret(value):
    if value and len(value) >= 4 and value not in _state["secrets"]:
        _state["secrets"].append(value)


def mask(text):
    for secret in _state["secrets"]:
        if secret in text:
            text = text.replace(secret, "***")
    return text


def timestamp(seconds=None):
    t = time.gmtime(time.time() if seconds is None else seconds)
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (t[0], t[1], t[2], t[3], t[4], t[5])


def write(level, message):
    if LEVELS[level] < _state["level"]:
        return
    message = mask(compat.printable(message, 4000))
    compat.write_stderr(message + "\n")
    if _state["syslog"] is not None:
        _state["syslog"].syslog(_PRIORITY[level], message)
    if _state["file"]:
        try:
            with open(_state["file"], "a") as f:
                f.write("%s %s %s\n" % (timestamp(), level, message))
        except compat.OS_ERRORS:
            pass


def debug(message):
    write("DEBUG", message)


def info(message):
    write("INFO", message)


def warning(message):
    write("WARNING", "warning: " + message)


def error(message):
    write("ERROR", "error: " + message)
