"""SUNMI Device Discovery Protocol: UDP requests to port 10001, unicast replies (seed §4).

The caller names the targets (broadcast addresses in production, see ``broadcast_targets``;
loopback addresses in tests): nothing is hard-coded here. A target is ``host`` (sent to
``port``) or ``host:port``.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from .codec import (
    DISCOVERY_PORT,
    DiscoveryType,
    decode_discovery,
    discovery_request,
    discovery_request_app,
)
from .errors import FrameError

_LOGGER = logging.getLogger(__name__)

DEVICE_TYPE: Final = "IPC"
LIMITED_BROADCAST: Final = "255.255.255.255"


@dataclass(frozen=True, slots=True)
class DiscoveredCamera:
    """One camera that answered (``sn`` is the reply's ``deviceid``)."""

    sn: str
    ip: str
    mac: str | None
    model: str | None
    firmware: str | None
    name: str | None
    network: str | None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def parse_reply(payload: dict[str, Any], source_ip: str) -> DiscoveredCamera | None:
    """A camera from a reply payload; ``None`` if it is not an IPC or lacks its SN."""
    if str(payload.get("type", "")).strip().upper() != DEVICE_TYPE:
        return None
    sn = _text(payload.get("deviceid"))
    if sn is None:
        return None
    mac = _text(payload.get("mac"))
    return DiscoveredCamera(
        sn=sn,
        ip=_text(payload.get("ip")) or source_ip,
        mac=mac.upper() if mac else None,
        model=_text(payload.get("model")),
        firmware=_text(payload.get("firmware")),
        name=_text(payload.get("name")),
        network=_text(payload.get("network")),
    )


def _parse_target(target: str, port: int) -> tuple[str, int]:
    host, sep, port_text = target.strip().rpartition(":")
    if sep and host and port_text.isdigit():
        return host, int(port_text)
    return target.strip(), port


class _Collector(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.cameras: dict[str, DiscoveredCamera] = {}
        self.replies = 0

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        source = str(addr[0])
        try:
            message = decode_discovery(data)
        except FrameError as err:
            _LOGGER.debug("discovery: datagram from %s dropped: %s", source, err)
            return
        if message.type != DiscoveryType.RESPONSE:
            return  # our own broadcast, or another scanner's request
        self.replies += 1
        if message.payload is None:
            _LOGGER.debug("discovery: empty reply from %s", source)
            return
        camera = parse_reply(message.payload, source)
        if camera is None:
            _LOGGER.debug("discovery: %s is no IPC (type %r)", source, message.payload.get("type"))
            return
        if camera.sn not in self.cameras:
            _LOGGER.debug(
                "discovery: %s %s at %s (CRC %s-endian)",
                camera.model,
                camera.sn,
                camera.ip,
                message.crc_byteorder,
            )
        self.cameras[camera.sn] = camera

    def error_received(self, exc: Exception) -> None:
        _LOGGER.debug("discovery: socket error %s", exc)


def _socket(bind_host: str, bind_port: int | None, port: int) -> socket.socket:
    """A UDP socket allowed to broadcast, bound to ``port`` if free (the doc's both-sides port).

    No SO_REUSEADDR: two scans at once must not share the port (unicast replies would reach
    only one of them); the second one falls back to an ephemeral port.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        sock.setblocking(False)
        if bind_port is None:
            try:
                sock.bind((bind_host, port))
            except OSError:
                _LOGGER.debug("discovery: port %s busy; replies go to an ephemeral port", port)
                sock.bind((bind_host, 0))
        else:
            sock.bind((bind_host, bind_port))
    except BaseException:
        sock.close()
        raise
    return sock


async def discover(
    targets: Sequence[str],
    *,
    port: int = DISCOVERY_PORT,
    attempts: int = 3,
    interval: float = 1.0,
    wait: float = 2.0,
    bind_host: str = "0.0.0.0",  # noqa: S104 - replies come from any camera on the LAN
    bind_port: int | None = None,
    app_form_fallback: bool = True,
) -> list[DiscoveredCamera]:
    """Send discovery requests to ``targets`` and collect IPC replies, deduplicated by SN.

    ``attempts`` requests ``interval`` apart go to every target, then replies are collected
    for ``wait`` seconds more (the doc: 3 x 1 s, then 2 s). The first request has the doc's
    form (no payload); later ones add the Sunmi Assistant app's form. ``bind_port=None`` binds
    the doc's port (``port``) when it is free, an ephemeral one otherwise.
    """
    if attempts < 1:
        raise ValueError("attempts is at least 1")
    addresses = [_parse_target(target, port) for target in targets if target.strip()]
    loop = asyncio.get_running_loop()
    sock = _socket(bind_host, bind_port, port)
    transport, collector = await loop.create_datagram_endpoint(_Collector, sock=sock)
    try:
        for attempt in range(attempts):
            if attempt:
                await asyncio.sleep(interval)
            requests = [discovery_request()]
            if app_form_fallback and attempt:
                requests.append(discovery_request_app())
            for host, target_port in addresses:
                for request in requests:
                    try:
                        transport.sendto(request, (host, target_port))
                    except OSError as err:
                        _LOGGER.debug("discovery: cannot send to %s: %s", host, err)
        await asyncio.sleep(wait)
    finally:
        transport.close()
    _LOGGER.debug(
        "discovery: %d replies, %d cameras from %d targets",
        collector.replies,
        len(collector.cameras),
        len(addresses),
    )
    return sorted(collector.cameras.values(), key=lambda camera: camera.sn)


def broadcast_targets() -> list[str]:
    """The broadcast addresses of the host's IPv4 interfaces (blocking: run in an executor).

    Loopback and point-to-point (/31, /32) networks are skipped; with none left the limited
    broadcast address is returned.
    """
    import ifaddr

    found: set[str] = set()
    with contextlib.suppress(OSError):
        for adapter in ifaddr.get_adapters():
            for ip in adapter.ips:
                if not isinstance(ip.ip, str):
                    continue  # IPv6
                try:
                    network = ipaddress.IPv4Network(f"{ip.ip}/{ip.network_prefix}", strict=False)
                except ValueError:
                    continue
                if network.is_loopback or network.prefixlen >= 31:
                    continue
                found.add(str(network.broadcast_address))
    return sorted(found) or [LIMITED_BROADCAST]
