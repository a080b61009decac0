"""OpenWrt UCI files (/etc/config/ddns_min), read directly: no `uci` binary and no subprocess, so
MicroPython can read them too, and credentials never travel through a command line or the procd
environment (both are readable by any local user).

One section per record set; its option names are the config keys (dns, id, token, ipv4 ...) plus
`enabled`, `interface`, `ip_source` and `interval`, which the init and hotplug scripts use.
"""

from ddns_min import compat
from ddns_min.errors import ConfigError

SCRIPT_OPTIONS = ("enabled", "interface", "ip_source", "interval")


def tokenize(line, where):
    """Split one line into words as uci does: '...' and "..." quoting, backslash escapes, # comments."""
    words, cur, quote, started, i = [], [], None, False, 0
    while i < len(line):
        ch = line[i]
        if quote is not None:
            if ch == quote:
                quote = None
            elif ch == "\\" and quote == '"' and i + 1 < len(line):
                i += 1
                cur.append(line[i])
            else:
                cur.append(ch)
        elif ch in "'\"":
            quote, started = ch, True
        elif ch == "\\" and i + 1 < len(line):
            i += 1
            cur.append(line[i])
            started = True
        elif ch in " \t":
            if started:
                words.append("".join(cur))
                cur, started = [], False
        elif ch == "#" and not started:
            break
        else:
            cur.append(ch)
            started = True
        i += 1
    if quote is not None:
        raise ConfigError("%s: unterminated quote" % where)
    if started:
        words.append("".join(cur))
    return words


def parse(text, path="uci"):
    """-> list of {"type", "name" (None if anonymous), "options": {name: str or [str]}}."""
    sections = []
    for number, line in enumerate(text.split("\n")):
        where = "%s line %d" % (path, number + 1)
        words = tokenize(line.strip(), where)
        if not words or words[0] == "package":
            continue
        if words[0] == "config":
            if len(words) not in (2, 3):
                raise ConfigError("%s: expected: config TYPE [NAME]" % where)
            sections.append({"type": words[1], "name": words[2] if len(words) == 3 else None,
                             "options": {}})
        elif words[0] in ("option", "list"):
            if not sections:
                raise ConfigError("%s: %s before any config section" % (where, words[0]))
            if len(words) != 3:
                raise ConfigError("%s: expected: %s NAME VALUE" % (where, words[0]))
            options = sections[-1]["options"]
            if words[0] == "option":
                options[words[1]] = words[2]
            elif isinstance(options.get(words[1], []), list):
                options.setdefault(words[1], []).append(words[2])
            else:
                raise ConfigError('%s: "%s" is both an option and a list' % (where, words[1]))
        else:
            raise ConfigError('%s: unknown keyword "%s"' % (where, words[0]))
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


def load_section(path, name):
    """The settings of one section as config keys (values stay text; config.py checks them)."""
    from ddns_min.config import KEYS
    try:
        with open(path, "rb") as f:
            text = compat.to_text(f.read())
    except compat.OS_ERRORS as exc:
        raise ConfigError('config: cannot read "%s": %s' % (path, exc))
    sections = parse(text, path)
    names = [s["name"] or "@%s[%d]" % (s["type"], i) for i, s in enumerate(sections)]
    if not name:
        if len(sections) != 1:
            raise ConfigError("config: %s has %d sections; choose one with --section (%s)"
                              % (path, len(sections), ", ".join(names) or "none"))
        name = names[0]
    section = find(sections, name)
    if section is None:
        raise ConfigError('config: no section "%s" in %s (sections: %s)'
                          % (name, path, ", ".join(names) or "none"))
    out = {}
    for key in section["options"]:
        if key in SCRIPT_OPTIONS:
            continue
        if key not in KEYS:
            raise ConfigError('config: unknown option "%s" in section "%s" of %s (known: %s)'
                              % (key, name, path, ", ".join(KEYS + SCRIPT_OPTIONS)))
        out[key] = section["options"][key]
    return out
