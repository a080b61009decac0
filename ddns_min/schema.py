"""The names and limits of the settings, in one place: config, its checks, uci and the
integrations read them here (this module imports none of ours, so anything may import it)."""

KEYS = ("dns", "id", "token", "endpoint", "ipv4", "ipv6", "index4", "index6", "ttl", "line",
        "proxy", "cache", "log", "proxied", "ssl", "token_file", "interval", "zone_id",
        "notify")
# Keys of ddns v4 files we accept and ignore: they change nothing for us.
IGNORED_KEYS = ("$schema",)
# Keys the `ddns` package (4.0-4.2) knows that do nothing here, with ddns's default: set to
# anything else, they are named in a one-line warning (so no setting is dropped silently).
NO_EFFECT = {"cache_max_age": (259200, "the cache is re-checked every 24 h"),
             "log_format": (None, "one log format"), "log_datefmt": (None, "one log format"),
             "http": (None, "no web dashboard")}
# ddns 4.1+: keys of `extra` (or `extra_*`, or unknown top-level keys) go to the provider as is;
# these are the ones ddns_min sets.
EXTRA_KEYS = ("proxied",)
# Records (names x types) of one config: what a run and its report fit in a 1 MB MicroPython
# heap (a router's), far more than the request budget of one run serves at once.
MAX_RECORDS = 500
MIN_INTERVAL = 30  # a loop faster than this only burns the providers' patience
MAX_INTERVAL_MINUTES = 1440  # ddns 4.2 takes "interval" in minutes, 1..1440
MAX_CONFIG_BYTES = 1024 * 1024  # a config file is a few hundred bytes; never read a huge one
CONFIG_ENV = "DDNS_CONFIG"  # ddns 4.1+: config file(s), separated by "," or ";"
# ddns looks for these when no file is named (4.1+; 4.0 only ./config.json)
DEFAULT_CONFIG_PATHS = ("config.json", "~/.ddns/config.json", "~/.ddns.json",
                        "/etc/ddns/config.json", "/etc/ddns.json")
# Cloudflare's API lives under this path; ddns's "endpoint" is the host without it
ENDPOINT_PATHS = {"cloudflare": "/client/v4"}
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
RULE_WORDS = ("default", "public")
RULE_PREFIXES = ("url:", "dns:", "interface:", "prefix:", "regex:", "cmd:", "shell:")
REGEX_CHARS = "\\*^$[](){}+?|"
