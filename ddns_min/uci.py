"""OpenWrt UCI files (/etc/config/ddns_min), read directly: no `uci` binary and no subprocess, so
MicroPython reads them too, and credentials never travel through a command line or the procd
environment (both are readable by any local user: `ps`, `ubus call service list`).

The syntax is libuci's (file.c), so a file `uci` accepts reads the same here:
- commands `package`, `config TYPE [NAME]`, `option NAME [VALUE]`, `list NAME [VALUE]` (or their
  first letters), one per line; a `;` right after a quoted word starts another command, any
  other `;` ends the line (libuci's quirks, kept);
- words in '...' (taken as is, backslashes too) or "..." (a backslash takes the next character
  as is) or bare (a backslash takes the next character as is); quoted values may span lines; a
  backslash at the end of a line joins the next one; an unquoted `#` ends the line;
- `option x ''` is skipped; `list` after `option` of the same name turns it into a list, `option`
  after `list` replaces it; a named section given twice is one section;
- anonymous sections are named as libuci names them, `cfg` + its position among the sections (2 hex
  digits) + a hash of its type (4 hex digits), e.g. `cfg019a11`: the name `uci -X show` and
  `uci export` print and the shell's config_foreach gives (it reads `uci export`), so the init and
  hotplug scripts can pass it on. `@type[i]` (i from 0 among the sections of that type, negative
  from the end), the name plain `uci show` prints, works too.

Options of a ddns_min section are the config keys (dns, id, token, ipv4 ...), plus three that the
init and hotplug scripts read and the client ignores: `enabled`, `interface`, `interval`.
"""

from ddns_min import compat
from ddns_min.errors import ConfigError

SECTION_TYPE = "ddns_min"
SCRIPT_OPTIONS = ("enabled", "interface", "interval")
# Without a `cache` option each section keeps its state here: tmpfs (no flash wear), one file per
# section, and the same file for the init script's, the hotplug script's and a manual run.
# DDNS_MIN_RUNDIR moves it, as it moves the scripts' locks.
STATE_DIR = "/var/run/ddns_min"

_NAME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"
_SPACE = " \t\r\f\v"
_COMMANDS = {"package": "package", "p": "package", "config": "config", "c": "config",
             "option": "option", "o": "option", "list": "list", "l": "list"}


def _where(path, line):
    return "config: %s line %d" % (path, line)


def _split(text, path):
    """-> [(line, [word, ...]), ...]: one entry per command, words unquoted."""
    commands, words, cur, started, plain = [], [], [], False, True
    i, n, line, start = 0, len(text), 1, 1
    while i <= n:
        ch = text[i] if i < n else "\n"
        if ch == ";" and plain:
            ch = "#"  # libuci writes a word's end over a ; that follows a bare word: rest is lost
        if ch in _SPACE or ch == "\n" or ch == ";" or ch == "#":
            if started:
                words.append("".join(cur))
                cur, started, plain = [], False, True
            if ch == "#":
                while i < n and text[i] != "\n":
                    i += 1
                continue
            if ch != "\n" and ch != ";":
                i += 1
                continue
            if words:
                commands.append((start, words))
                words = []
            if ch == "\n":
                line += 1
            i += 1
            start = line
            continue
        if not words and not started:
            start = line
        started = True
        if ch == "\\":
            plain = False
            if i + 1 < n and text[i + 1] == "\n":
                i, line = i + 2, line + 1  # line continuation: the word goes on
            elif i + 2 < n and text[i + 1:i + 3] == "\r\n":
                i, line = i + 3, line + 1
            else:
                if i + 1 < n:
                    cur.append(text[i + 1])
                i = min(i + 2, n)
            continue
        if ch != "'" and ch != '"':
            cur.append(ch)
            i += 1
            continue
        plain = False
        opened, i = line, i + 1
        while True:
            if i >= n:
                raise ConfigError("%s: the %s opened here is never closed"
                                  % (_where(path, opened), ch))
            c = text[i]
            if c == ch:
                i += 1
                break
            if c == "\\" and ch == '"' and i + 1 < n:
                i += 1
                c = text[i]
                if c == "\r" and text[i + 1:i + 2] == "\n":
                    i += 1
                    c = "\n"
                if c == "\n":  # line continuation inside the quotes
                    line += 1
                    i += 1
                    continue
            elif c == "\n":
                line += 1
            cur.append(c)
            i += 1
    return commands


def _is_name(word, extra=""):
    if not word:
        return False
    for ch in word:
        if ch not in _NAME_CHARS and ch not in extra:
            return False
    return True


def _is_type(word):
    if not word:
        return False
    for ch in word:
        if ord(ch) < 33 or ord(ch) > 126:
            return False
    return True


def _hash(text):
    """libuci's djbhash of a section type (list.c), for the names of anonymous sections."""
    value = 5381
    for ch in text:
        value = (value * 33 + ord(ch)) & 0xFFFFFFFF
    return value & 0x7FFFFFFF


def parse(text, path="uci"):
    """-> [{"type", "name", "anonymous", "line", "options": {name: str or [str]},
    "lines": {name: line}}] in file order. Errors name the file and line, never a value."""
    sections, by_name, count = [], {}, 0
    current = None
    for line, words in _split(text, path):
        where = _where(path, line)
        while len(words) > 3 and not words[-1]:
            words.pop()  # libuci lets an empty word through where it wants no more
        command = _COMMANDS.get(words[0])
        if command is None:
            # The word itself is not shown: a pasted token on a line of its own would land here.
            raise ConfigError("%s: unknown command (expected config, option, list or package)"
                              % where)
        if command == "package":
            if len(words) != 2 or not _is_name(words[1], "-"):
                raise ConfigError("%s: expected: package NAME" % where)
            continue
        if command == "config":
            if len(words) < 2 or len(words) > 3:
                raise ConfigError("%s: expected: config TYPE [NAME]" % where)
            kind = words[1]
            name = words[2] if len(words) == 3 else ""
            if not _is_type(kind):
                raise ConfigError("%s: the section type has a space or control character" % where)
            if name and not _is_name(name):
                raise ConfigError('%s: section name "%s" may hold only letters, digits and _'
                                  % (where, name))
            if name and name in by_name:
                current = by_name[name]
                if current["type"] != kind:
                    raise ConfigError('%s: section "%s" was a "%s" section before (line %d)'
                                      % (where, name, current["type"], current["line"]))
                continue
            count += 1
            current = {"type": kind, "name": name, "anonymous": not name, "line": line,
                       "options": {}, "lines": {}}
            if not name:
                current["name"] = "cfg%02x%04x" % (count, _hash(kind) % 65536)
            by_name[current["name"]] = current
            sections.append(current)
            continue
        if current is None:
            raise ConfigError("%s: %s before the first config line" % (where, command))
        if len(words) < 2 or not _is_name(words[1]):
            raise ConfigError("%s: expected: %s NAME VALUE (a name of letters, digits and _)"
                              % (where, command))
        key = words[1]
        if len(words) > 3:
            raise ConfigError('%s: %s "%s" in section "%s" has more than one value (quote a '
                              'value that holds spaces)' % (where, command, key, current["name"]))
        value = words[2] if len(words) == 3 else ""
        for ch in value:
            if ord(ch) < 32 and ch not in "\t\n\r":
                raise ConfigError('%s: %s "%s" in section "%s" holds a control character'
                                  % (where, command, key, current["name"]))
        options = current["options"]
        if command == "option":
            if value:  # libuci skips `option x ''` while it reads a file
                options[key] = value
                current["lines"][key] = line
        else:
            old = options.get(key)
            if old is None:
                options[key] = [value]
            elif isinstance(old, list):
                old.append(value)
            else:
                options[key] = [old, value]
            current["lines"][key] = line
    return sections


def find(sections, name):
    """A section by name, or by uci's @type[index] address (index may be negative)."""
    if name.startswith("@") and name.endswith("]") and "[" in name:
        kind, index = name[1:-1].split("[", 1)
        of_kind = [s for s in sections if s["type"] == kind]
        try:
            return of_kind[int(index)]
        except (ValueError, IndexError):
            return None
    for section in sections:
        if section["name"] == name:
            return section
    return None


def read(path):
    try:
        with open(path, "rb") as f:
            return compat.to_text(f.read())
    except compat.OS_ERRORS as exc:
        raise ConfigError('config: cannot read "%s": %s'
                          % (path, getattr(exc, "strerror", None) or exc))


def section_config(text, path, name):
    """The settings of one section as config keys. Values stay text and lists stay lists:
    config.py checks them."""
    from ddns_min.schema import KEYS
    sections = parse(text, path)
    ours = [s for s in sections if s["type"] == SECTION_TYPE]
    if not name:
        if len(ours) != 1:
            raise ConfigError("config: %s has %d %s sections; choose one with --section (%s)"
                              % (path, len(ours), SECTION_TYPE,
                                 ", ".join([s["name"] for s in ours]) or "none"))
        section = ours[0]
    else:
        section = find(sections, name)
    if section is None:
        raise ConfigError('config: no section "%s" in %s (sections: %s)'
                          % (name, path, ", ".join([s["name"] for s in sections]) or "none"))
    out = {}
    for key in section["options"]:
        value = section["options"][key]
        where = '%s, section "%s"' % (_where(path, section["lines"][key]), section["name"])
        if key == "interval":
            _check_interval(value, where)
        if key in SCRIPT_OPTIONS:
            continue
        if key not in KEYS:
            known = list(KEYS) + [k for k in SCRIPT_OPTIONS if k not in KEYS]  # interval is both
            raise ConfigError('%s: unknown option "%s" (known: %s)'
                              % (where, key, ", ".join(known)))
        out[key] = value
    if "cache" not in out:
        out["cache"] = "%s/%s.json" % (compat.getenv("DDNS_MIN_RUNDIR") or STATE_DIR,
                                        section["name"])
    return out


def _check_interval(value, where):
    # The init script's loop reads it, not the client; check it here so that the run says why.
    from ddns_min.schema import MIN_INTERVAL
    if isinstance(value, list) or not value.isdigit() or \
            (0 < int(value) < MIN_INTERVAL):
        raise ConfigError('%s: "interval" must be 0 (no periodic check) or at least %d seconds'
                          % (where, MIN_INTERVAL))


def load_section(path, name):
    """section_config() of the file at `path`."""
    return section_config(read(path), path, name)


def enabled_sections(path):
    """Names of the ddns_min sections whose `enabled` is on (uci's booleans: 1, on, true, yes,
    enabled), in file order."""
    out = []
    for section in parse(read(path), path):
        value = section["options"].get("enabled", "0")
        if section["type"] == SECTION_TYPE and not isinstance(value, list) and \
                value.lower() in ("1", "on", "true", "yes", "enabled"):
            out.append(section["name"])
    return out
