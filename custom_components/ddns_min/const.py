"""Constants of the ddns_min integration (nothing here imports the client)."""

DOMAIN = "ddns_min"

CONF_PROVIDER = "provider"  # ddns_min's "dns"
CONF_ID = "id"
CONF_TOKEN = "token"
CONF_ENDPOINT = "endpoint"
CONF_IPV4 = "ipv4"
CONF_IPV6 = "ipv6"
CONF_INDEX4 = "index4"
CONF_INDEX6 = "index6"
CONF_INTERVAL = "interval"  # minutes between passes
CONF_TTL = "ttl"

DEFAULT_PROVIDER = "cloudflare"
DEFAULT_INTERVAL = 5
MIN_INTERVAL = 1
MAX_INTERVAL = 1440  # ddns_min's own limit (minutes)
MAX_BACKOFF_MINUTES = 60  # failed passes double the wait up to this, as ddns_min's loop does

# Providers offered in the form: ddns_min.providers.NAMES without "debug" (prints, sends nothing).
# Kept here so that the form is built without importing the client; a test checks it against
# ddns_min.providers.NAMES.
PROVIDERS = ["cloudflare", "dnspod", "dnspod_com", "tencentcloud", "callback", "dyndns2", "noip",
             "dynu", "pwdns", "huaweidns", "he", "cloudns", "duckdns", "desec", "dynv6",
             "namesilo", "porkbun", "namecheap", "edgeone", "edgeone_dns", "alidns", "aliesa",
             "dnscom", "51dns", "west"]

# Everything a diagnostics download or a log must never show.
# (The endpoint too: a callback's whole URL, key included, may be there.)
SECRET_KEYS = {CONF_TOKEN, CONF_ID, CONF_ENDPOINT, "password", "secret", "key"}

SERVICE_UPDATE = "update"
ATTR_CONFIG_ENTRY_ID = "config_entry_id"
