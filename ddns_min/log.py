"""A one-line logger (MicroPython has no `logging`): stderr without timestamps, since syslog and
cron add their own; `log.file` lines with them. Every line passes through `mask`, so a secret that
reaches a message by any path is replaced before it is written.
"""

import time

from ddns_min import compat

LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40, "CRITICAL": 50}
_state = {"level": 20, "file": None, "secrets": []}


def setup(level="INFO", path=None):
    _state["level"] = LEVELS.get(level, 20)
    _state["file"] = path


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
    message = mask(message)
    compat.write_stderr(message + "\n")
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
