"""Management addresses as technicians type them; none of these cases may ask DNS."""

import asyncio
import socket

import pytest

from monitoring.engine.addresses import parse_literal, resolve_all


@pytest.mark.parametrize(
    ("typed", "ip", "family"),
    [
        ("10.64.1.2", "10.64.1.2", socket.AF_INET),
        (" 10.64.1.2 ", "10.64.1.2", socket.AF_INET),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1", socket.AF_INET6),
        ("[2001:db8::1]", "2001:db8::1", socket.AF_INET6),
        ("::ffff:10.64.1.2", "10.64.1.2", socket.AF_INET),  # IPv4-mapped: pinged as IPv4
        ("localhost", "127.0.0.1", socket.AF_INET),
        ("radio.localhost.", "127.0.0.1", socket.AF_INET),
    ],
)
def test_literals_and_reserved_names_need_no_lookup(typed, ip, family):
    resolved = parse_literal(typed)
    assert (resolved.ip, resolved.family, resolved.error) == (ip, family, None)


@pytest.mark.parametrize("typed", ["", "   ", "300.1.1.1", "10.0.0.1/24", "a..b", "-x.example", "host_name", "1.2.3"])
def test_garbage_is_an_error(typed):
    resolved = parse_literal(typed)
    assert resolved.ip is None and "malformed" in resolved.error


def test_invalid_tld_is_unresolvable_without_a_lookup():
    assert "unresolvable" in parse_literal("sw-core.pusdalops.invalid").error


def test_a_real_looking_name_is_left_for_the_resolver():
    assert parse_literal("sw-core.bpbd.kaltimprov.go.id") is None


def test_resolve_all_answers_every_distinct_address_once():
    resolved = asyncio.run(resolve_all({"127.0.0.1", "::1", "bad name", "x.invalid"}))
    assert resolved["127.0.0.1"].ip == "127.0.0.1" and resolved["::1"].ip == "::1"
    assert resolved["bad name"].error and resolved["x.invalid"].error
