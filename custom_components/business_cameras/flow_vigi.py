"""Config flow steps of the TP-Link VIGI NVR: address, certificate pinning, credentials."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import voluptuous as vol
from homeassistant.components.webhook import async_generate_id
from homeassistant.config_entries import SOURCE_RECONFIGURE, ConfigFlow, ConfigFlowResult
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .api.errors import AuthError, CameraError, CertificateMismatchError, LockedError
from .api.vigi.backend import VigiBackend
from .api.vigi.client import VigiClient, fetch_certificate_fingerprint
from .const import (
    CONF_FINGERPRINT,
    CONF_HUB_ID,
    CONF_PLATFORM,
    CONF_WEBHOOK_ID,
    DEFAULT_VIGI_PORT,
    PLATFORM_VIGI,
)
from .flow_common import password_selector, pretty_fingerprint

_LOGGER = logging.getLogger(__name__)


def _vigi_schema(defaults: Mapping[str, Any]) -> vol.Schema:
    return vol.Schema(
        {
            vol.Required(CONF_HOST, default=defaults.get(CONF_HOST, "")): str,
            vol.Required(CONF_PORT, default=defaults.get(CONF_PORT, DEFAULT_VIGI_PORT)): vol.All(
                vol.Coerce(int), vol.Range(min=1, max=65535)
            ),
            vol.Required(CONF_USERNAME, default=defaults.get(CONF_USERNAME, "admin")): str,
            vol.Required(CONF_PASSWORD): password_selector(),
        }
    )


class VigiFlow(ConfigFlow):
    """The VIGI NVR steps; mixed into the integration's one config flow."""

    _input: dict[str, Any]
    _fingerprint: str

    async def async_step_vigi(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Address and credentials of a VIGI NVR."""
        errors: dict[str, str] = {}
        if user_input is not None:
            try:
                self._fingerprint = await fetch_certificate_fingerprint(
                    user_input[CONF_HOST], user_input[CONF_PORT]
                )
            except CameraError as err:
                _LOGGER.debug("No TLS certificate from %s: %s", user_input[CONF_HOST], err)
                errors["base"] = "cannot_connect"
            else:
                self._input = user_input
                return await self.async_step_vigi_certificate()
        return self.async_show_form(
            step_id="vigi",
            data_schema=self.add_suggested_values_to_schema(
                _vigi_schema(self._input), user_input or self._input
            ),
            errors=errors,
        )

    async def async_step_vigi_certificate(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the NVR's certificate fingerprint; confirming pins it."""
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = await self._async_try_vigi(self._input, self._fingerprint)
            if not errors:
                if self.source == SOURCE_RECONFIGURE:
                    entry = self._get_reconfigure_entry()
                    return self.async_update_reload_and_abort(
                        entry,
                        data_updates={**self._input, CONF_FINGERPRINT: self._fingerprint},
                    )
                await self.async_set_unique_id(self._fingerprint)
                self._abort_if_unique_id_configured()
                return self.async_create_entry(
                    title=f"VIGI NVR {self._input[CONF_HOST]}",
                    data={
                        **self._input,
                        CONF_PLATFORM: PLATFORM_VIGI,
                        CONF_FINGERPRINT: self._fingerprint,
                        CONF_HUB_ID: self._fingerprint,
                        CONF_WEBHOOK_ID: async_generate_id(),
                    },
                )
        return self.async_show_form(
            step_id="vigi_certificate",
            data_schema=vol.Schema({}),
            description_placeholders={
                "host": self._input[CONF_HOST],
                "fingerprint": pretty_fingerprint(self._fingerprint),
            },
            errors=errors,
        )

    async def _async_try_vigi(self, data: Mapping[str, Any], fingerprint: str) -> dict[str, str]:
        """Log in once with the pinned certificate; form errors, empty when it worked."""
        client = VigiClient(
            async_get_clientsession(self.hass),
            host=data[CONF_HOST],
            port=data[CONF_PORT],
            username=data[CONF_USERNAME],
            password=data[CONF_PASSWORD],
            fingerprint=fingerprint,
        )
        backend = VigiBackend(client, nvr_id=fingerprint)
        try:
            await backend.async_connect()
            await backend.async_get_devices()
        except LockedError:
            return {"base": "locked"}
        except AuthError:
            return {"base": "invalid_auth"}
        except CertificateMismatchError:
            return {"base": "certificate_changed"}
        except CameraError as err:
            _LOGGER.debug("Trying %s failed: %s", data[CONF_HOST], err)
            return {"base": "cannot_connect"}
        finally:
            await backend.async_close()
        return {}

    async def async_step_vigi_reauth(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the new password (and user name)."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {**entry.data, **user_input}
            errors = await self._async_try_vigi(data, entry.data[CONF_FINGERPRINT])
            if not errors:
                return self.async_update_reload_and_abort(entry, data_updates=user_input)
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=vol.Schema(
                {
                    vol.Required(CONF_USERNAME, default=entry.data[CONF_USERNAME]): str,
                    vol.Required(CONF_PASSWORD): password_selector(),
                }
            ),
            description_placeholders={"title": entry.title},
            errors=errors,
        )

    async def async_step_vigi_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change address or credentials; a new certificate has to be confirmed again."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            try:
                fingerprint = await fetch_certificate_fingerprint(
                    user_input[CONF_HOST], user_input[CONF_PORT]
                )
            except CameraError:
                errors["base"] = "cannot_connect"
            else:
                self._input = user_input
                self._fingerprint = fingerprint
                if fingerprint != entry.data[CONF_FINGERPRINT]:
                    return await self.async_step_vigi_certificate()
                errors = await self._async_try_vigi(user_input, fingerprint)
                if not errors:
                    return self.async_update_reload_and_abort(entry, data_updates=user_input)
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                _vigi_schema(entry.data), {**entry.data, **(user_input or {})}
            ),
            errors=errors,
        )
