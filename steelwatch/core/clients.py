"""Who is on the other end: the client's address, for login lock-outs and the public channel's allowance.

Behind a reverse proxy every request comes from the proxy, so its `X-Forwarded-For` header names the real
client — but anyone can send that header. It is honoured only when the direct peer is one of
`settings.TRUSTED_PROXIES` (`STEELWATCH_TRUSTED_PROXIES`, CIDRs), and then read from the right: the first
address that is not itself a trusted proxy is the client.
"""

import ipaddress

from django.conf import settings


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip().split("%", 1)[0])
    except ValueError:
        return None


def _trusted(address) -> bool:
    return address is not None and any(address in net for net in settings.TRUSTED_PROXIES)


def peer_is_trusted(request) -> bool:
    """Whether the direct peer is one of the trusted reverse proxies."""
    return _trusted(_address(request.META.get("REMOTE_ADDR", "") or ""))


def client_address(request) -> str:
    """The client's IP address as text ("" when the request carries none)."""
    peer = request.META.get("REMOTE_ADDR", "") or ""
    if not _trusted(_address(peer)):
        return peer
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:  # a garbled hop: nothing left of it can be believed
            return peer
        if not _trusted(address):
            return str(address)
    return str(_address(hops[0])) if hops else peer
