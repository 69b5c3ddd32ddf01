"""Config flow: a menu of platforms, then per-platform steps; reauth, reconfigure, options."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import ConfigFlowResult
from homeassistant.core import callback

from . import CamerasConfigEntry
from .const import (
    CONF_PLATFORM,
    DOMAIN,
    PLATFORM_SUNMI,
    PLATFORM_TUMS,
    PLATFORM_VIGI,
)
from .discovery import async_request_scan
from .flow_sunmi import SunmiFlow
from .flow_tums import TumsFlow
from .flow_vigi import VigiFlow
from .options_flow import CamerasOptionsFlow


class CamerasConfigFlow(VigiFlow, SunmiFlow, TumsFlow, domain=DOMAIN):
    """Set up a camera platform."""

    VERSION = 1

    def __init__(self) -> None:
        """Start with nothing entered."""
        self._input: dict[str, Any] = {}
        self._fingerprint = ""
        self._discovered: dict[str, Any] = {}

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: CamerasConfigEntry) -> CamerasOptionsFlow:
        """Options: scan interval, stream choice, event path."""
        return CamerasOptionsFlow()

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose the platform (and look for SUNMI cameras meanwhile)."""
        # Home Assistant loads the integration, and so its periodic scan, only once an entry
        # exists: scan when the user opens the flow, so cameras show up as discovered.
        async_request_scan(self.hass)
        return self.async_show_menu(
            step_id="user", menu_options=[PLATFORM_SUNMI, PLATFORM_VIGI, PLATFORM_TUMS]
        )

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The device rejected the stored credentials."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for new credentials, the way the entry's platform needs them."""
        if self._get_reauth_entry().data[CONF_PLATFORM] == PLATFORM_TUMS:
            return await self.async_step_tums_reauth(user_input)
        if self._get_reauth_entry().data[CONF_PLATFORM] == PLATFORM_SUNMI:
            return await self.async_step_sunmi_reauth(user_input)
        return await self.async_step_vigi_reauth(user_input)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change address or credentials, the way the entry's platform needs them."""
        if self._get_reconfigure_entry().data[CONF_PLATFORM] == PLATFORM_TUMS:
            return await self.async_step_tums_reconfigure(user_input)
        if self._get_reconfigure_entry().data[CONF_PLATFORM] == PLATFORM_SUNMI:
            return await self.async_step_sunmi_reconfigure(user_input)
        return await self.async_step_vigi_reconfigure(user_input)
