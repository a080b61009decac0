from ddns_min import addr


def test_ipv4_parse_canonical_and_rejects_junk():
    assert addr.parse_ipv4(" 81.2.69.142\n") == "81.2.69.142"
    for bad in ("01.2.3.4", "256.1.1.1", "1.2.3", "1.2.3.4.5", "a.b.c.d", "", "<html>", "1.2.3.-4"):
        assert addr.parse_ipv4(bad) is None, bad


def test_ipv6_parse_gives_rfc5952_text():
    assert addr.parse_ipv6("2001:DB8:0:0:1:0:0:1") == "2001:db8::1:0:0:1"
    assert addr.parse_ipv6("2a02:0ec0:0000:0000:0000:0000:0000:0001") == "2a02:ec0::1"
    assert addr.parse_ipv6("::ffff:1.2.3.4") == "::ffff:102:304"
    assert addr.parse_ipv6("1:2:3:4:5:6:7:8") == "1:2:3:4:5:6:7:8"
    for bad in ("fe80::1%eth0", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "g::1", "1.2.3.4", ""):
        assert addr.parse_ipv6(bad) is None, bad


def test_family_of():
    assert addr.family_of("81.2.69.142") == 4
    assert addr.family_of("2a02:ec0::1") == 6
    assert addr.family_of("example.com") is None


def test_global_unicast_accepted():
    assert addr.reject_reason("81.2.69.142", 4) is None
    assert addr.reject_reason("2a02:ec0::1", 6) is None


def test_special_ranges_rejected_with_reason():
    cases = [("10.1.2.3", 4, "private"), ("172.31.0.1", 4, "private"), ("192.168.1.1", 4, "private"),
             ("100.64.0.1", 4, "carrier-grade NAT"), ("127.0.0.1", 4, "loopback"),
             ("169.254.1.1", 4, "link-local"), ("192.0.2.1", 4, "documentation"),
             ("198.18.0.1", 4, "benchmarking"), ("224.0.0.1", 4, "multicast"),
             ("255.255.255.255", 4, "reserved"), ("0.1.2.3", 4, "this network"),
             ("fd00::1", 6, "unique local"), ("fe80::1", 6, "link-local"), ("::1", 6, "loopback"),
             ("2001:db8::1", 6, "documentation"), ("ff02::1", 6, "multicast"),
             ("::ffff:1.2.3.4", 6, "not global"), ("3fff:0fff::1", 6, "documentation")]
    for ip, family, why in cases:
        reason = addr.reject_reason(ip, family)
        assert reason and why in reason, (ip, reason)


def test_addresses_beside_a_short_special_prefix_are_global():
    # 3fff::/20 once listed two bytes for 20 bits: every 3fff:... address raised IndexError
    assert addr.reject_reason("3fff:1000::1", 6) is None
    assert addr.reject_reason("3ffe::1", 6) is None


def test_wrong_family_is_rejected():
    assert "not an IPv4" in addr.reject_reason("2a02:ec0::1", 4)
    assert "not an IPv6" in addr.reject_reason("81.2.69.142", 6)


def test_provider_anycast_refused_for_public_answers_only():
    for ip, family in (("104.16.132.229", 4), ("172.67.1.1", 4), ("2606:4700:4700::1111", 6)):
        assert "anycast" in addr.public_reject_reason(ip, family)
        assert addr.reject_reason(ip, family) is None  # a literal or interface rule may use it
    assert addr.public_reject_reason("81.2.69.142", 4) is None
    assert "private" in addr.public_reject_reason("10.0.0.1", 4)
