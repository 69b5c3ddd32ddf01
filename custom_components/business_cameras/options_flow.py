"""Options: poll interval, stream, how events arrive; for TUMS also keys and local streams."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.helpers import selector
from yarl import URL

from .api.backend import PushMethod
from .api.model import Capability
from .const import (
    CLOUD_PUSH_PLATFORMS,
    CONF_DEVICE,
    CONF_LOCAL_STREAMS,
    CONF_PLATFORM,
    CONF_PUSH_METHOD,
    CONF_SCAN_INTERVAL,
    CONF_STREAM,
    CONF_STREAM_URL,
    CONF_TEMPORARY_CREDENTIALS,
    DEFAULT_SCAN_INTERVAL,
    LOCAL_STREAM_SCHEMES,
    MAX_SCAN_INTERVAL,
    MIN_SCAN_INTERVAL,
    PLATFORM_SUNMI,
    PLATFORM_TUMS,
    STREAM_MAIN,
    STREAM_SUB,
)

# Platforms whose devices offer a push channel besides the HTTP callback.
CHANNEL_PLATFORMS = frozenset({PLATFORM_SUNMI})
STEP_SETTINGS = "settings"
STEP_LOCAL_STREAM = "local_stream"
# A device with any of these has a lens (a hub or a solar controller has none).
_CAMERA_CAPABILITIES = frozenset(
    {Capability.STREAM_SETTINGS, Capability.LIVE_STREAM, Capability.SNAPSHOT}
)


def local_stream_url(text: str) -> str | None:
    """A camera's RTSP URL as typed, checked; None for an empty field.

    Raises ValueError for anything but rtsp:// or rtsps:// with a host.
    """
    text = text.strip()
    if not text:
        return None
    url = URL(text)
    if url.scheme not in LOCAL_STREAM_SCHEMES or not url.host:
        raise ValueError(text)
    return text


class CamerasOptionsFlow(OptionsFlow):
    """How often to poll, which stream to show and how events arrive."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """One form with every option; a TUMS entry first chooses settings or a stream."""
        if self.config_entry.data[CONF_PLATFORM] == PLATFORM_TUMS:
            return self.async_show_menu(
                step_id="init", menu_options=[STEP_SETTINGS, STEP_LOCAL_STREAM]
            )
        return await self._async_form("init", user_input)

    async def async_step_settings(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The TUMS settings form."""
        return await self._async_form(STEP_SETTINGS, user_input)

    async def _async_form(
        self, step_id: str, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        if user_input is not None:
            return self._save({**self.config_entry.options, **user_input})
        options = self.config_entry.options
        platform = self.config_entry.data[CONF_PLATFORM]
        fields: dict[vol.Marker, Any] = {
            vol.Required(
                CONF_SCAN_INTERVAL,
                default=options.get(CONF_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL),
            ): vol.All(vol.Coerce(int), vol.Range(min=MIN_SCAN_INTERVAL, max=MAX_SCAN_INTERVAL)),
        }
        if platform != PLATFORM_TUMS:
            # A TUMS camera streams only from the local URL given for it: one stream.
            fields[vol.Required(CONF_STREAM, default=options.get(CONF_STREAM, STREAM_MAIN))] = (
                selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=[STREAM_MAIN, STREAM_SUB], translation_key=CONF_STREAM
                    )
                )
            )
        if platform in CHANNEL_PLATFORMS:
            fields[
                vol.Required(
                    CONF_PUSH_METHOD,
                    default=options.get(CONF_PUSH_METHOD, PushMethod.CHANNEL.value),
                )
            ] = _push_selector([PushMethod.CHANNEL, PushMethod.WEBHOOK])
        if platform in CLOUD_PUSH_PLATFORMS:
            # Cloud push is opt-in: the cloud must reach Home Assistant from the internet.
            fields[
                vol.Required(
                    CONF_PUSH_METHOD, default=options.get(CONF_PUSH_METHOD, PushMethod.POLL.value)
                )
            ] = _push_selector([PushMethod.POLL, PushMethod.WEBHOOK])
        if platform == PLATFORM_TUMS:
            fields[
                vol.Required(
                    CONF_TEMPORARY_CREDENTIALS,
                    default=options.get(CONF_TEMPORARY_CREDENTIALS, False),
                )
            ] = selector.BooleanSelector()
        return self.async_show_form(step_id=step_id, data_schema=vol.Schema(fields))

    async def async_step_local_stream(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Point one cloud camera at its RTSP URL on the local network (empty removes it)."""
        streams: dict[str, str] = dict(self.config_entry.options.get(CONF_LOCAL_STREAMS, {}))
        cameras = _cameras(self.config_entry)
        errors: dict[str, str] = {}
        if user_input is not None:
            key = str(user_input[CONF_DEVICE])
            try:
                url = local_stream_url(str(user_input.get(CONF_STREAM_URL) or ""))
            except ValueError:
                errors[CONF_STREAM_URL] = "invalid_stream_url"
            else:
                if key not in cameras:
                    errors[CONF_DEVICE] = "unknown_device"
                elif url is None:
                    streams.pop(key, None)
                else:
                    streams[key] = url
            if not errors:
                return self._save({**self.config_entry.options, CONF_LOCAL_STREAMS: streams})
        if not cameras:
            return self.async_abort(reason="no_cameras")
        options = [
            selector.SelectOptionDict(value=key, label=name)
            for key, name in sorted(cameras.items(), key=lambda item: item[1].casefold())
        ]
        schema = {
            vol.Required(CONF_DEVICE): selector.SelectSelector(
                selector.SelectSelectorConfig(
                    options=options, mode=selector.SelectSelectorMode.DROPDOWN
                )
            ),
            vol.Optional(CONF_STREAM_URL, default=""): selector.TextSelector(
                selector.TextSelectorConfig(type=selector.TextSelectorType.URL)
            ),
        }
        return self.async_show_form(
            step_id=STEP_LOCAL_STREAM,
            data_schema=vol.Schema(schema),
            description_placeholders={"configured": str(len(streams))},
            errors=errors,
        )

    def _save(self, options: Mapping[str, Any]) -> ConfigFlowResult:
        """Store the options and reload the entry if they changed."""
        # Reload here rather than from an update listener: newer Home Assistant releases
        # report integrations that keep one (reauth and reconfigure reload by themselves).
        if dict(self.config_entry.options) != dict(options):
            self.hass.config_entries.async_update_entry(self.config_entry, options=dict(options))
            self.hass.config_entries.async_schedule_reload(self.config_entry.entry_id)
        return self.async_create_entry(data=dict(options))


def _push_selector(methods: list[PushMethod]) -> selector.SelectSelector:
    return selector.SelectSelector(
        selector.SelectSelectorConfig(
            options=[method.value for method in methods], translation_key=CONF_PUSH_METHOD
        )
    )


def _cameras(entry: Any) -> dict[str, str]:
    """Device key -> name of the entry's cameras (a loaded entry knows them)."""
    runtime = getattr(entry, "runtime_data", None)
    if runtime is None:
        return {}
    devices = runtime.coordinator.devices
    return {
        key: device.name
        for key, device in devices.items()
        if _CAMERA_CAPABILITIES & device.capabilities
    }
