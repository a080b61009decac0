"""The names and limits of the settings, in one place: config, its checks, uci and the
integrations read them here (this module imports none of ours, so anything may import it)."""

KEYS = ("dns", "id", "token", "endpoint", "ipv4", "ipv6", "index4", "index6", "ttl", "line",
        "proxy", "cache", "log", "proxied", "ssl", "token_file", "interval", "zone_id")
# Keys of ddns v4 files we accept and ignore: they change nothing for us.
IGNORED_KEYS = ("$schema", "cache_max_age")
MIN_INTERVAL = 30  # a loop faster than this only burns the providers' patience
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
RULE_WORDS = ("default", "public")
RULE_PREFIXES = ("url:", "dns:", "interface:", "regex:", "cmd:", "shell:")
REGEX_CHARS = "\\*^$[](){}+?|"
