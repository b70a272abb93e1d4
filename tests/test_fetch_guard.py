"""SSRF: every spelling of a non-public address is refused before any connection."""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.config import FetchSettings
from parallax.errors import BlockedAddress, FetchError
from parallax.ingest import AddressGuard, PoliteFetcher, non_public_reason
from parallax.ingest.addresses import parse_ip_literal, parse_ipv4_any
from parallax.ingest.transport import GuardedTransport

PUBLIC = "93.184.216.34"


class Recorder:
    """A MockTransport handler that records every request it is asked to send."""

    def __init__(self, routes: dict[str, httpx.Response] | None = None) -> None:
        self.routes = routes or {}
        self.seen: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(str(request.url))
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return self.routes.get(str(request.url), httpx.Response(200, text="<p>ok</p>"))


def public_resolver(host: str, port: int) -> list[str]:
    if host.endswith(".test"):
        return [PUBLIC]
    raise AssertionError(f"resolver asked for {host}: a literal address was not recognised")


def guarded_fetcher(recorder: Recorder, **changes: object) -> PoliteFetcher:
    settings = FetchSettings(host_delay_s=0.0, **changes)  # type: ignore[arg-type]
    return PoliteFetcher(
        settings, transport=httpx.MockTransport(recorder), resolver=public_resolver
    )


LOOPBACK_FORMS = [
    "http://127.0.0.1/",
    "http://localhost/",
    "http://LOCALHOST./",
    "http://app.localhost/",
    "http://127.1/",
    "http://127.0.1/",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://0x7F.0.0.1/",
    "http://017700000001/",
    "http://127.0.0.1.:8080/",
    "http://[::1]/",
    "http://[0:0:0:0:0:0:0:1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[::127.0.0.1]/",
    "http://[2002:7f00:1::]/",
    "https://127.0.0.1:8443/",
]
OTHER_PRIVATE_FORMS = [
    "http://0.0.0.0/",
    "http://0/",
    "http://10.1.2.3/",
    "http://172.16.0.9/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/",
    "http://224.0.0.1/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://[fe80::1%25eth0]/",
    "http://[fc00::1]/",
    "http://[ff02::1]/",
    "http://[::]/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://[::ffff:10.0.0.1]/",
]


@pytest.mark.parametrize("url", LOOPBACK_FORMS + OTHER_PRIVATE_FORMS)
def test_every_private_address_form_is_refused_before_connecting(url: str) -> None:
    recorder = Recorder()
    with guarded_fetcher(recorder) as web, pytest.raises(BlockedAddress) as refused:
        web.fetch(url)
    assert recorder.seen == []
    message = str(refused.value)
    assert message.startswith("refusing ") and "--allow-private-hosts" in message


def test_forms_httpx_rejects_are_refused_too() -> None:
    # httpx will not parse leading-zero octets; the guard refuses them on its own as well.
    recorder = Recorder()
    with guarded_fetcher(recorder) as web, pytest.raises(FetchError, match="not a valid URL"):
        web.fetch("http://0177.0.0.1/")
    assert recorder.seen == []
    with pytest.raises(BlockedAddress, match="loopback"):
        AddressGuard(resolver=public_resolver).addresses("0177.0.0.1", 80, "http://0177.0.0.1/")


@pytest.mark.parametrize("url", LOOPBACK_FORMS[:8])
def test_redirects_to_private_addresses_are_refused(url: str) -> None:
    recorder = Recorder({"http://news.test/go": httpx.Response(302, headers={"Location": url})})
    with guarded_fetcher(recorder) as web, pytest.raises(BlockedAddress):
        web.fetch("http://news.test/go")
    assert recorder.seen == ["http://news.test/robots.txt", "http://news.test/go"]


def test_names_that_resolve_inward_are_refused() -> None:
    recorder = Recorder()
    answers = {"inward.test": ["10.0.0.7"], "mixed.test": [PUBLIC, "127.0.0.1"]}
    web = PoliteFetcher(
        FetchSettings(host_delay_s=0.0),
        transport=httpx.MockTransport(recorder),
        resolver=lambda host, port: answers[host],
    )
    with web:
        with pytest.raises(BlockedAddress, match=r"inward\.test resolves to 10\.0\.0\.7"):
            web.fetch("http://inward.test/")
        with pytest.raises(BlockedAddress, match="loopback"):
            web.fetch("http://mixed.test/")
    assert recorder.seen == []


def test_unresolvable_name_is_a_fetch_error() -> None:
    def fail(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    web = PoliteFetcher(
        FetchSettings(host_delay_s=0.0),
        transport=httpx.MockTransport(Recorder()),
        resolver=fail,
    )
    with web, pytest.raises(FetchError, match=r"cannot resolve nowhere\.test"):
        web.fetch("http://nowhere.test/")


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://news.test/x", "gopher://x/"])
def test_redirects_off_the_web_are_refused(target: str) -> None:
    recorder = Recorder({"http://news.test/go": httpx.Response(301, headers={"Location": target})})
    with guarded_fetcher(recorder) as web, pytest.raises(FetchError, match="only http and https"):
        web.fetch("http://news.test/go")


def test_private_hosts_are_allowed_with_the_flag() -> None:
    recorder = Recorder()
    with guarded_fetcher(recorder, allow_private_hosts=True) as web:
        assert web.fetch("http://127.1/").status == 200
    assert recorder.seen == ["http://127.1/robots.txt", "http://127.1/"]


# -- property tests over encodings ------------------------------------------------

NON_PUBLIC_V4 = [
    "127.0.0.0/8",
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "169.254.0.0/16",
    "100.64.0.0/10",
    "0.0.0.0/8",
    "224.0.0.0/4",
    "240.0.0.0/4",
]


def _in(network: str) -> st.SearchStrategy[ipaddress.IPv4Address]:
    net = ipaddress.IPv4Network(network)
    return st.integers(int(net.network_address), int(net.broadcast_address)).map(
        ipaddress.IPv4Address
    )


non_public_v4 = st.one_of(*(_in(n) for n in NON_PUBLIC_V4))
public_v4 = st.one_of(_in("8.0.0.0/8"), _in("93.184.0.0/16"), _in("151.101.0.0/16"))


def _part(value: int, style: str) -> str:
    if style == "hex":
        return hex(value)
    if style == "HEX":
        return "0X" + format(value, "X")
    if style == "oct":
        return "0" + format(value, "o")
    return str(value)


@st.composite
def spellings(draw: st.DrawFn, addresses: st.SearchStrategy[ipaddress.IPv4Address]) -> str:
    """One IPv4 address written in any of the forms inet_aton, browsers or IPv6 accept."""
    ip = draw(addresses)
    value = int(ip)
    octets = [value >> 24, (value >> 16) & 255, (value >> 8) & 255, value & 255]
    form = draw(st.sampled_from(["1", "2", "3", "4", "mapped", "mapped-hex", "nat64", "6to4"]))
    if form == "mapped":
        return f"[::ffff:{ip}]"
    if form == "mapped-hex":
        return f"[::ffff:{value >> 16:x}:{value & 0xFFFF:x}]"
    if form == "nat64":
        return f"[64:ff9b::{ip}]"
    if form == "6to4":
        return f"[2002:{value >> 16:x}:{value & 0xFFFF:x}::1]"
    parts_count = int(form)
    head = octets[: parts_count - 1]
    tail = int.from_bytes(bytes(octets[parts_count - 1 :]))
    styles = st.sampled_from(["dec", "hex", "HEX", "oct"])
    text = ".".join(_part(n, draw(styles)) for n in [*head, tail])
    return text + "." if draw(st.booleans()) else text


@settings(max_examples=200, deadline=None)
@given(spellings(non_public_v4))
def test_no_spelling_of_a_non_public_ipv4_address_gets_through(host: str) -> None:
    guard = AddressGuard(resolver=public_resolver)
    with pytest.raises(BlockedAddress):
        guard.addresses(host.strip("[]"), 80, f"http://{host}/")


@settings(max_examples=150, deadline=None)
@given(spellings(non_public_v4))
def test_the_fetcher_refuses_every_spelling_through_httpx(host: str) -> None:
    recorder = Recorder()
    with guarded_fetcher(recorder) as web:
        try:
            web.fetch(f"http://{host}/")
        except BlockedAddress:
            pass
        except FetchError as exc:
            # httpx may reject the spelling as a URL; then nothing is fetched either.
            assert "not a valid URL" in str(exc)
        else:
            pytest.fail(f"{host} was fetched")
    assert recorder.seen == []


@settings(max_examples=100, deadline=None)
@given(spellings(public_v4))
def test_public_addresses_pass_in_every_spelling(host: str) -> None:
    literal = parse_ip_literal(host)
    assert literal is not None
    assert non_public_reason(literal) is None
    assert AddressGuard(resolver=public_resolver).addresses(host.strip("[]"), 80, host)


@given(st.integers(0, 2**32 - 1))
def test_ipv4_number_forms_agree_with_ipaddress(value: int) -> None:
    assert parse_ipv4_any(str(value)) == ipaddress.IPv4Address(value)
    assert parse_ipv4_any(hex(value)) == ipaddress.IPv4Address(value)


def test_names_are_not_mistaken_for_addresses() -> None:
    for name in ["news.test", "1.2.3.4.5", "0x1g", "08.1.1.1", "256.1.1.1", "1..1", "abc"]:
        assert parse_ipv4_any(name) is None, name


# -- the connection itself is pinned to checked addresses --------------------------


class _Counting(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.headers.get("Host", ""))
        body = b"<p>pinned</p>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def counting_server() -> Iterator[int]:
    _Counting.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join()


def test_the_transport_connects_to_the_address_the_guard_resolved(counting_server: int) -> None:
    # news.test exists only in this resolver: reaching the server proves the socket used it.
    guard = AddressGuard(allow_private=True, resolver=lambda host, port: ["127.0.0.1"])
    with httpx.Client(transport=GuardedTransport(guard)) as client:
        response = client.get(f"http://news.test:{counting_server}/")
    assert response.text == "<p>pinned</p>"
    assert _Counting.hits == [f"news.test:{counting_server}"]


def test_dns_rebinding_after_the_check_is_refused_at_connect(counting_server: int) -> None:
    calls: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        # Public for the fetcher's check, loopback by the time the socket opens.
        calls.append(host)
        return [PUBLIC] if len(calls) == 1 else ["127.0.0.1"]

    web = PoliteFetcher(FetchSettings(host_delay_s=0.0, obey_robots=False), resolver=rebinding)
    with web, pytest.raises(BlockedAddress, match="loopback"):
        web.fetch(f"http://rebind.test:{counting_server}/")
    assert len(calls) == 2
    assert _Counting.hits == []
