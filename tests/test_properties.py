"""Property tests: whatever text or structure comes in (config, addresses, UCI files, argv,
provider answers), the result is a value or a clear DDNSError, never another exception."""
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings, strategies as st  # noqa: E402

from ddns_min import addr, cli, config, uci  # noqa: E402

# CI replays a fixed sequence of examples so that a red run always means a change broke
# something; run locally, the examples are new each time and keep looking for bugs.
settings.register_profile("ci", derandomize=True, database=None)
if __import__("os").environ.get("CI") == "true":
    settings.load_profile("ci")
from ddns_min.errors import DDNSError  # noqa: E402
from ddns_min.providers.base import Provider  # noqa: E402

JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=12)
KEYS = st.sampled_from(config.KEYS + ("bogus",))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, JSONISH | st.sampled_from(["cloudflare", "dnspod", "a.example.com",
                                                         "public", "1.2.3.4", "url:http://x"])))
def test_config_gives_a_config_or_a_config_error(raw):
    raw.setdefault("ipv4", ["home.example.com"])
    try:
        conf = config.validate(raw, dry_run=True)
    except DDNSError:
        return
    assert isinstance(conf["names"][4], list)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789abcdefABCDEF:.%/ x", max_size=45))
def test_address_parsing_round_trips(text):
    for family in (4, 6):
        ip = addr.parse(text, family)
        if ip is not None:
            assert addr.parse(ip, family) == ip
            assert addr.reject_reason(ip, family) is None or addr.reject_reason(ip, family)


@settings(max_examples=500, deadline=None)
@given(st.ip_addresses())
def test_real_addresses_parse_and_special_ranges_are_refused(ip):
    import ipaddress
    text = str(ip)
    assert ipaddress.ip_address(addr.parse(text, ip.version)) == ip
    special = ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or \
        ip.is_unspecified or ip.is_reserved or \
        (ip.version == 4 and ip in ipaddress.ip_network("100.64.0.0/10"))
    if special:  # every range Python knows as special is refused (ours may refuse more)
        assert addr.reject_reason(text, ip.version) is not None, text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_uci_parse_gives_sections_or_a_config_error(text):
    try:
        sections = uci.parse(text)
    except DDNSError:
        return
    assert isinstance(sections, list)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["--dns", "--ipv4", "--json", "--ttl", "--proxied", "-c", "x",
                                 "a.example.com", "--index4", "true", "--bogus", "--token=a",
                                 "--no-cache", "--log-level"]), max_size=8))
def test_argv_gives_options_or_a_usage_error(argv):
    try:
        assert isinstance(cli.parse_args(argv), dict)
    except DDNSError as exc:
        assert exc.exit_code == 2


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=100) | JSONISH.map(__import__("json").dumps))
def test_provider_answers_decode_or_fail_cleanly(text):
    prov = Provider({"token": "t"})
    try:
        assert isinstance(prov.decode(200, text), dict)
    except DDNSError:
        pass


@settings(max_examples=500, deadline=None)
@given(JSONISH)
def test_compat_json_matches_json(value):
    from ddns_min import compat
    text = compat.json_dumps(value)
    assert text == __import__("json").dumps(value)
    assert compat.json_loads(text) == value


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=' \t\n\r\x0c{}[]",:.-+0123456789eEtruefalsn\\u/', max_size=30))
def test_compat_json_loads_accepts_and_refuses_what_json_does(text):
    from ddns_min import compat
    json = __import__("json")
    try:
        expected = json.loads(text)
    except ValueError as exc:
        with pytest.raises(ValueError) as ours:
            compat.json_loads(text)
        assert str(ours.value) == str(exc)
        return
    assert compat.json_loads(text) == expected or expected != expected


ANSWER_FIELDS = st.dictionaries(
    st.sampled_from(["id", "name", "type", "content", "ttl", "proxied", "zone_id"]),
    JSONISH | st.sampled_from(["home.example.com", "A", "81.2.69.1", "a" * 32, 300]),
    max_size=7)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["zones", "dns_records"]),
       st.one_of(JSONISH, st.lists(ANSWER_FIELDS, max_size=3),
                 st.dictionaries(st.sampled_from(["success", "result", "result_info", "errors"]),
                                 JSONISH | st.lists(ANSWER_FIELDS, max_size=3), max_size=4)),
       st.booleans(), st.sampled_from([200, 400, 403, 500]))
def test_any_cloudflare_answer_shape_gives_a_report_never_an_exception(path, result, wrap,
                                                                       status):
    """Over real sockets: whatever a listing holds, the run ends with its report, a record
    never "done" with another address, and no write to a record that is not exactly ours."""
    import json
    import ddns_min
    from fake_cloudflare import CloudflareEmulator
    with CloudflareEmulator() as cf:
        cf.tokens["prop-token-12345"] = None
        cf.add_zone("example.com")
        other = cf.add_record("example.com", "other.example.com", "A", "81.2.69.7")
        body = {"success": True, "errors": [], "result": result} if wrap else result
        cf.fail_next(status=status, body=json.dumps(body), content_type="application/json",
                     path=path, method="GET")
        report = ddns_min.run({"dns": "cloudflare", "token": "prop-token-12345",
                               "endpoint": cf.url, "ipv4": ["home.example.com"],
                               "index4": "81.2.69.142", "cache": False})
        [rec] = report["records"]
        assert rec["action"] in ("created", "updated", "unchanged", "failed"), rec
        if rec["action"] != "failed":
            assert [r["content"] for r in cf.records("home.example.com", "A")] == ["81.2.69.142"]
        assert cf.recs[other]["content"] == "81.2.69.7"  # never someone else's record
