"""Build the Backend of a config entry: the only place that knows the platforms by name."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .api.backend import Backend
from .api.sunmi.backend import SunmiBackend
from .api.sunmi.client import SunmiClient
from .api.sunmi.tls import build_ssl_context
from .api.tums.backend import TumsBackend
from .api.tums.capability_cache import CapabilityCache
from .api.tums.client import DEFAULT_BASE_URL, TumsClient
from .api.vigi.backend import VigiBackend
from .api.vigi.client import VigiClient
from .const import (
    CONF_ACCESS_KEY,
    CONF_APP_ID,
    CONF_BASE_URL,
    CONF_CA_PEM,
    CONF_CERTIFICATE_DATA,
    CONF_CERTIFICATE_PASSWORD,
    CONF_FINGERPRINT,
    CONF_HUB_ID,
    CONF_LOCAL_STREAMS,
    CONF_MODEL,
    CONF_PLATFORM,
    CONF_SECRET_KEY,
    CONF_SN,
    CONF_TEMPORARY_CREDENTIALS,
    CONF_TERMINAL_ID,
    PLATFORM_SUNMI,
    PLATFORM_TUMS,
    PLATFORM_VIGI,
)
from .tums_tls import build_context

if TYPE_CHECKING:
    from . import CamerasConfigEntry


async def async_create_backend(
    hass: HomeAssistant,
    entry: CamerasConfigEntry,
    *,
    capability_cache: CapabilityCache | None = None,
) -> Backend:
    """The Backend for ``entry``, sharing Home Assistant's HTTP session.

    ``capability_cache`` is used by a TUMS application only.
    """
    data = entry.data
    platform = data[CONF_PLATFORM]
    session = async_get_clientsession(hass)
    if platform == PLATFORM_VIGI:
        client = VigiClient(
            session,
            host=data[CONF_HOST],
            port=data[CONF_PORT],
            username=data[CONF_USERNAME],
            password=data[CONF_PASSWORD],
            fingerprint=data[CONF_FINGERPRINT],
        )
        return VigiBackend(client, nvr_id=data[CONF_HUB_ID], name=entry.title)
    if platform == PLATFORM_SUNMI:
        # Loading a certificate chain reads files: not in the event loop.
        context = await hass.async_add_executor_job(
            build_ssl_context,
            base64.b64decode(data[CONF_CERTIFICATE_DATA]),
            data[CONF_CERTIFICATE_PASSWORD],
        )
        sunmi = SunmiClient(
            session,
            data[CONF_HOST],
            app_id=data[CONF_APP_ID],
            secret_key=data[CONF_SECRET_KEY],
            ssl_context=context,
            fingerprint=data[CONF_FINGERPRINT],
            port=data[CONF_PORT],
        )
        return SunmiBackend(sunmi, sn=data[CONF_SN], model=data[CONF_MODEL], name=entry.title)
    if platform == PLATFORM_TUMS:
        return await async_create_tums_backend(
            hass,
            data,
            account_id=entry.unique_id or "",
            options=entry.options,
            capability_cache=capability_cache,
        )
    raise ValueError(f"unknown platform {platform}")


async def async_create_tums_backend(
    hass: HomeAssistant,
    data: Mapping[str, Any],
    *,
    account_id: str,
    options: Mapping[str, Any] | None = None,
    capability_cache: CapabilityCache | None = None,
) -> TumsBackend:
    """A TUMS application: the public cloud unless an on-premise base URL was given.

    Without ``capability_cache`` (the config flow's trial) every setup reads the capabilities.
    """
    options = options or {}
    context = await hass.async_add_executor_job(build_context, data.get(CONF_CA_PEM))
    client = TumsClient(
        async_get_clientsession(hass),
        data.get(CONF_BASE_URL) or DEFAULT_BASE_URL,
        access_key=data[CONF_ACCESS_KEY],
        secret_key=data[CONF_SECRET_KEY],
        terminal_id=data.get(CONF_TERMINAL_ID),
        ssl_context=context,
        use_temporary_credentials=bool(options.get(CONF_TEMPORARY_CREDENTIALS, False)),
    )
    return TumsBackend(
        client,
        account_id=account_id or data[CONF_ACCESS_KEY],
        local_streams=options.get(CONF_LOCAL_STREAMS) or {},
        capability_cache=capability_cache,
    )
