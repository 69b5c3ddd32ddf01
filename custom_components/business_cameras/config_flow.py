"""Config flow: a menu of platforms, then per-platform steps; reauth, reconfigure, options."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.core import callback
from homeassistant.helpers import selector

from . import CamerasConfigEntry
from .api.backend import PushMethod
from .const import (
    CLOUD_PUSH_PLATFORMS,
    CONF_PLATFORM,
    CONF_PUSH_METHOD,
    CONF_SCAN_INTERVAL,
    CONF_STREAM,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    MAX_SCAN_INTERVAL,
    MIN_SCAN_INTERVAL,
    PLATFORM_SUNMI,
    PLATFORM_TUMS,
    PLATFORM_VIGI,
    STREAM_MAIN,
    STREAM_SUB,
)
from .discovery import async_request_scan
from .flow_sunmi import SunmiFlow
from .flow_tums import TumsFlow
from .flow_vigi import VigiFlow

# Platforms whose devices offer a push channel besides the HTTP callback.
CHANNEL_PLATFORMS = {PLATFORM_SUNMI}


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


class CamerasOptionsFlow(OptionsFlow):
    """How often to poll, which stream to show and how events arrive."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """One form with every option the entry's platform has."""
        if user_input is not None:
            # Reload here rather than from an update listener: newer Home Assistant releases
            # report integrations that keep one (reauth and reconfigure reload by themselves).
            if dict(self.config_entry.options) != user_input:
                self.hass.config_entries.async_update_entry(self.config_entry, options=user_input)
                self.hass.config_entries.async_schedule_reload(self.config_entry.entry_id)
            return self.async_create_entry(data=user_input)
        options = self.config_entry.options
        fields: dict[vol.Marker, Any] = {
            vol.Required(
                CONF_SCAN_INTERVAL,
                default=options.get(CONF_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL),
            ): vol.All(vol.Coerce(int), vol.Range(min=MIN_SCAN_INTERVAL, max=MAX_SCAN_INTERVAL)),
            vol.Required(
                CONF_STREAM, default=options.get(CONF_STREAM, STREAM_MAIN)
            ): selector.SelectSelector(
                selector.SelectSelectorConfig(
                    options=[STREAM_MAIN, STREAM_SUB], translation_key=CONF_STREAM
                )
            ),
        }
        if self.config_entry.data[CONF_PLATFORM] in CHANNEL_PLATFORMS:
            fields[
                vol.Required(
                    CONF_PUSH_METHOD,
                    default=options.get(CONF_PUSH_METHOD, PushMethod.CHANNEL.value),
                )
            ] = selector.SelectSelector(
                selector.SelectSelectorConfig(
                    options=[PushMethod.CHANNEL.value, PushMethod.WEBHOOK.value],
                    translation_key=CONF_PUSH_METHOD,
                )
            )
        if self.config_entry.data[CONF_PLATFORM] in CLOUD_PUSH_PLATFORMS:
            fields.update(_cloud_push_field(options))
        return self.async_show_form(step_id="init", data_schema=vol.Schema(fields))


def _cloud_push_field(options: Mapping[str, Any]) -> dict[vol.Marker, Any]:
    """Cloud push is opt-in: the cloud must reach Home Assistant from the internet."""
    return {
        vol.Required(
            CONF_PUSH_METHOD, default=options.get(CONF_PUSH_METHOD, PushMethod.POLL.value)
        ): selector.SelectSelector(
            selector.SelectSelectorConfig(
                options=[PushMethod.POLL.value, PushMethod.WEBHOOK.value],
                translation_key=CONF_PUSH_METHOD,
            )
        )
    }
