"""Decide which network addresses the fetcher may contact, and connect only to addresses already checked.

A URL chosen by a stranger must never make the fetcher talk to this machine, the private network it sits
on, or a cloud metadata service. Every address a host name resolves to is checked, because a name that
resolves to one public and one private address is an attack, not an accident.
"""

import ipaddress
import socket

import httpcore

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_SHARED_ADDRESS_SPACE = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")
_METADATA_ADDRESSES = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}


class AddressRefused(Exception):
    """The host is, or resolves to, an address the fetcher must not contact."""


class HostUnresolvable(Exception):
    """The host name could not be resolved; `temporary` says whether asking again may help."""

    def __init__(self, message: str, *, temporary: bool) -> None:
        super().__init__(message)
        self.temporary = temporary


def literal_address(host: str) -> IPAddress | None:
    """The address a host written as a number stands for, including legacy forms like 2130706433 or 0x7f.1."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    if not host or not all(char.isalnum() or char == "." for char in host):
        return None
    try:
        # inet_aton accepts the decimal, octal, hex and shortened forms that browsers and resolvers
        # also accept, so it tells us which address such a host really means.
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def address_problem(address: IPAddress) -> str | None:
    """Why this address must not be contacted, or None when it is a public unicast address."""
    embedded = _embedded_ipv4(address)
    if embedded is not None and (problem := address_problem(embedded)):
        return f"an IPv6 address wrapping {embedded}, {problem}"
    if address in _METADATA_ADDRESSES:
        return "a link-local address (cloud metadata service)"
    for test, description in _ADDRESS_CHECKS:
        if test(address):
            return description
    return None


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64_PREFIX:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


_ADDRESS_CHECKS = (
    (lambda a: a.is_unspecified, "an unspecified address"),
    (lambda a: a.is_loopback, "a loopback address"),
    (lambda a: a.is_link_local, "a link-local address"),
    (lambda a: a.is_multicast, "a multicast address"),
    (lambda a: a in _SHARED_ADDRESS_SPACE, "a shared (carrier-grade NAT) address"),
    (lambda a: a.is_private, "a private address"),
    (lambda a: a.is_reserved, "a reserved address"),
    (lambda a: not a.is_global, "a non-global address"),
)


def is_allowed(address: IPAddress, *, allow_loopback: bool) -> bool:
    """Whether the fetcher may connect to this address."""
    if allow_loopback and address.is_loopback:
        return True
    return address_problem(address) is None


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the host stands for: itself when it is numeric, otherwise what the resolver answers."""
    literal = literal_address(host)
    if literal is not None:
        return [literal]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        temporary = exc.errno in (socket.EAI_AGAIN, getattr(socket, "EAI_SYSTEM", None))
        raise HostUnresolvable(f"could not resolve {host}: {exc.strerror}", temporary=temporary) from None
    except UnicodeError:
        raise HostUnresolvable(f"could not resolve {host}: not a valid host name", temporary=False) from None
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    return list(dict.fromkeys(addresses))


def vetted_addresses(host: str, port: int, *, allow_loopback: bool) -> list[IPAddress]:
    """The host's addresses, refusing the host when any one of them must not be contacted."""
    addresses = resolve(host, port)
    for address in addresses:
        if not is_allowed(address, allow_loopback=allow_loopback):
            raise AddressRefused(_refusal_message(host, address))
    return addresses


def _refusal_message(host: str, address: IPAddress) -> str:
    problem = address_problem(address)
    if host.strip("[]") == str(address):
        return f"refused: {address} is {problem}"
    return f"refused: {host} resolves to {address}, {problem}"


class PinnedNetworkBackend(httpcore.NetworkBackend):
    """Opens TCP connections only to addresses vetted for the host, never resolving a name again.

    The fetcher vets each URL's host before sending a request and records the vetted addresses here;
    connecting to those exact addresses closes the window in which a short-lived DNS answer could swap
    a public address for a private one (DNS rebinding). The host name itself still travels in the Host
    header and in TLS SNI and certificate checks, because httpcore passes it separately to start_tls.
    """

    def __init__(self, pins: dict[str, list[IPAddress]], *, allow_loopback: bool) -> None:
        self._pins = pins
        self._allow_loopback = allow_loopback
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        """Connect to the first reachable vetted address of the host."""
        addresses = self._pins.get(host.lower())
        if addresses is None:
            addresses = vetted_addresses(host, port, allow_loopback=self._allow_loopback)
        last_error: Exception | None = None
        for address in addresses:
            if not is_allowed(address, allow_loopback=self._allow_loopback):
                raise AddressRefused(_refusal_message(host, address))
            try:
                return self._inner.connect_tcp(str(address), port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        raise last_error or httpcore.ConnectError(f"no address to connect to for {host}")

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        """Refuse: the fetcher only speaks TCP."""
        raise AddressRefused("refused: unix sockets are never used for fetching")

    def sleep(self, seconds: float) -> None:
        """Pause between connection retries."""
        self._inner.sleep(seconds)
