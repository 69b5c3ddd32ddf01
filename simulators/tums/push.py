"""Outbound push messages (source 1.4.6.3) to the subscribed serverUrl, loopback only."""

from __future__ import annotations

import ipaddress
import json
from typing import Any
from urllib.parse import urlsplit

import aiohttp

MONITOR_KINDS = frozenset(
    {
        "timing",
        "movementDetected",
        "shadeDetected",
        "overstepingBoundaryDetected",
        "areaIntruded",
        "enterArea",
        "leaveArea",
        "defocusDetected",
        "faceDetected",
        "videoLost",
        "humanDetected",
        "itemsLeftAndTaken",
        "highAltitudeThrowing",
        "someBodyPass",
        "wanderingDetected",
        "crowdDetected",
        "fastMoving",
        "parkingDetected",
        "itemsLeftBehind",
        "itemsTaken",
        "audioAbnormal",
        "sceneChanged",
        "externalDeviceAlarm",
        "videoMessage",
        "vehicleDetected",
        "cryDetected",
        "electromobileDetected",
        "videoRecover",
    }
)
VMS_KINDS = frozenset(
    {
        "nvrDeviceOnline",
        "nvrDeviceOffline",
        "ipcDeviceOnline",
        "ipcDeviceOffline",
        "vpsDeviceOnline",
        "vpsDeviceOffline",
        "decoderDeviceOnline",
        "decoderDeviceOffline",
        "nbsSpeakerDeviceOnline",
        "nbsSpeakerDeviceOffline",
        "SDCardLost",
        "SDCardFull",
        "NVRHardDiskLost",
        "NVRHardDiskFull",
        "SDCardAbnormal",
        "NVRHardDiskAbnormal",
        "abnormalLogin",
        "PoEPortAbnormal",
        "PoEPortPowerOverLimit",
        "PoEChipTemperatureAbnormal",
        "PoETotalPowerOverLimit",
        "flowExceedsThreshold",
    }
)


SOLAR_KINDS = frozenset({"solarPowerDeviceOnline", "solarPowerDeviceOffline"})


def msg_type_for(kind: str) -> str:
    """msgType (1.4.6.4) of a msgContentType (1.4.6.5) used by the devices simulated."""
    if kind in MONITOR_KINDS:
        return "monitorAlarm"
    if kind in VMS_KINDS:
        return "vmsDeviceAlarm"
    if kind in SOLAR_KINDS:
        return "chargingStationDeviceAlarm"
    raise ValueError(f"unknown or unsimulated msgContentType {kind!r}")


def check_loopback(url: str) -> None:
    """Refuse to push anywhere but 127.0.0.0/8 (or localhost)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise ValueError(f"refusing to push to non-loopback URL {url!r}")


PUSH_TIMEOUT = 5.0
_HEADERS = {"Content-Type": "application/json;charset=UTF-8"}


async def deliver(url: str, body: dict[str, Any]) -> int:
    """POST the JSON body; the HTTP status (the document defines no expected reply)."""
    check_loopback(url)
    data = json.dumps(body, ensure_ascii=False).encode()
    client_timeout = aiohttp.ClientTimeout(total=PUSH_TIMEOUT)
    async with (
        aiohttp.ClientSession(timeout=client_timeout) as session,
        session.post(url, data=data, headers=_HEADERS) as resp,
    ):
        await resp.read()
        return resp.status
