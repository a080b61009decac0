"""Where the tests read the client's record limit (it moves when config.py is split)."""
try:
    from ddns_min.schema import MAX_RECORDS  # noqa: F401
except ImportError:
    from ddns_min.config import MAX_RECORDS  # noqa: F401
