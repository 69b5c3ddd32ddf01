"""Home Assistant side of SUNMI discovery: scan at start-up and periodically, start flows.

The scan goes to the broadcast addresses of the host's IPv4 interfaces. Tests and the demo name
their own targets (simulators on 127.0.0.x) in ``hass.data[DATA_DISCOVERY_TARGETS]`` or in the
environment variable BUSINESS_CAMERAS_DISCOVERY_TARGETS (comma-separated), so nothing else is
ever probed.
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import asdict
from datetime import datetime

from homeassistant.config_entries import SOURCE_INTEGRATION_DISCOVERY
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import discovery_flow
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util.hass_dict import HassKey

from .api.errors import CameraError
from .api.sunmi.discovery import DiscoveredCamera, broadcast_targets, discover
from .const import DISCOVERY_INTERVAL, DOMAIN

_LOGGER = logging.getLogger(__name__)

DATA_DISCOVERY_TARGETS: HassKey[list[str]] = HassKey(f"{DOMAIN}_discovery_targets")
DATA_SCAN_TASK: HassKey[asyncio.Task[list[DiscoveredCamera]]] = HassKey(f"{DOMAIN}_scan")
ENV_DISCOVERY_TARGETS = "BUSINESS_CAMERAS_DISCOVERY_TARGETS"


async def async_discovery_targets(hass: HomeAssistant) -> list[str]:
    """Where to send discovery requests."""
    if DATA_DISCOVERY_TARGETS in hass.data:
        return hass.data[DATA_DISCOVERY_TARGETS]
    if configured := os.environ.get(ENV_DISCOVERY_TARGETS):
        return [target.strip() for target in configured.split(",") if target.strip()]
    return await hass.async_add_executor_job(broadcast_targets)


async def async_scan(hass: HomeAssistant) -> list[DiscoveredCamera]:
    """Scan once and start a discovery flow for every camera found."""
    targets = await async_discovery_targets(hass)
    if not targets:
        return []
    try:
        cameras = await discover(targets)
    except (CameraError, OSError) as err:
        _LOGGER.debug("SUNMI discovery failed: %s", err)
        return []
    for camera in cameras:
        discovery_flow.async_create_flow(
            hass,
            DOMAIN,
            context={"source": SOURCE_INTEGRATION_DISCOVERY},
            data=asdict(camera),
            discovery_key=discovery_flow.DiscoveryKey(domain=DOMAIN, key=camera.sn, version=1),
        )
    return cameras


@callback
def async_request_scan(hass: HomeAssistant) -> None:
    """Scan now in the background unless a scan is already running."""
    task = hass.data.get(DATA_SCAN_TASK)
    if task is not None and not task.done():
        return
    hass.data[DATA_SCAN_TASK] = hass.async_create_background_task(
        async_scan(hass), f"{DOMAIN} discovery"
    )


@callback
def async_start_discovery(hass: HomeAssistant) -> None:
    """Scan now in the background, then every DISCOVERY_INTERVAL until shutdown."""

    @callback
    def _scan(_now: datetime | None = None) -> None:
        async_request_scan(hass)

    _scan()
    async_track_time_interval(hass, _scan, DISCOVERY_INTERVAL, cancel_on_shutdown=True)
