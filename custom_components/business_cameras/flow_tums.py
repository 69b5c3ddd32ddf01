"""Config flow steps of a TP-Link TUMS application: server, AK/SK, application type."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import voluptuous as vol
from homeassistant.components.webhook import async_generate_id
from homeassistant.config_entries import ConfigFlow, ConfigFlowResult
from homeassistant.helpers import selector
from yarl import URL

from .api.errors import AuthError, CameraError, ClockSkewError, RateLimitedError
from .api.tums.auth import new_terminal_id
from .api.tums.client import DEFAULT_BASE_URL, AppType
from .api.tums.errors import WrongAppTypeError
from .backends import async_create_tums_backend
from .const import (
    APP_TYPE_AUTO,
    CONF_ACCESS_KEY,
    CONF_APP_TYPE,
    CONF_BASE_URL,
    CONF_CA_FILE,
    CONF_CA_PEM,
    CONF_PLATFORM,
    CONF_SECRET_KEY,
    CONF_TERMINAL_ID,
    CONF_WEBHOOK_ID,
    PLATFORM_TUMS,
)
from .flow_common import password_selector
from .tums_tls import read_ca_file

_LOGGER = logging.getLogger(__name__)

APP_TYPES = [APP_TYPE_AUTO, AppType.DEVICE.value, AppType.PROJECT.value]


def normalise_base_url(text: str | None) -> str | None:
    """``https://host[:port]`` from what the user typed; None for the public cloud.

    Raises ValueError for anything that is not an HTTPS server address.
    """
    text = (text or "").strip()
    if not text:
        return None
    if "://" not in text:
        text = f"https://{text}"
    url = URL(text)
    if url.scheme != "https" or not url.host or url.path not in ("", "/") or url.query_string:
        raise ValueError(text)
    return str(url.origin())


def _server_schema(defaults: Mapping[str, Any]) -> dict[vol.Marker, Any]:
    return {
        vol.Optional(CONF_BASE_URL, default=defaults.get(CONF_BASE_URL) or ""): str,
        vol.Optional(CONF_CA_FILE, default=""): str,
    }


def _keys_schema(defaults: Mapping[str, Any]) -> dict[vol.Marker, Any]:
    return {
        vol.Required(CONF_ACCESS_KEY, default=defaults.get(CONF_ACCESS_KEY, "")): str,
        vol.Required(CONF_SECRET_KEY): password_selector(),
    }


class TumsFlow(ConfigFlow):
    """The TUMS steps; mixed into the integration's one config flow."""

    async def async_step_tums(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Server (empty = TP-Link's public cloud), AK/SK and the application type."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data, errors = await self._async_tums_data(user_input, {})
            if not errors:
                errors, found = await self._async_try_tums(data)
                wanted = user_input.get(CONF_APP_TYPE, APP_TYPE_AUTO)
                if not errors and wanted not in (APP_TYPE_AUTO, found):
                    errors = {"base": "wrong_app_type"}
                if not errors:
                    await self.async_set_unique_id(data[CONF_ACCESS_KEY])
                    self._abort_if_unique_id_configured()
                    host = URL(data.get(CONF_BASE_URL) or DEFAULT_BASE_URL).host
                    return self.async_create_entry(
                        title=f"TUMS {host} ({found})",
                        data={
                            **data,
                            CONF_PLATFORM: PLATFORM_TUMS,
                            CONF_APP_TYPE: found,
                            CONF_TERMINAL_ID: new_terminal_id(),
                            CONF_WEBHOOK_ID: async_generate_id(),
                        },
                    )
        schema = {
            **_server_schema(user_input or {}),
            **_keys_schema(user_input or {}),
            vol.Required(
                CONF_APP_TYPE, default=(user_input or {}).get(CONF_APP_TYPE, APP_TYPE_AUTO)
            ): selector.SelectSelector(
                selector.SelectSelectorConfig(options=APP_TYPES, translation_key=CONF_APP_TYPE)
            ),
        }
        return self.async_show_form(
            step_id="tums",
            data_schema=vol.Schema(schema),
            description_placeholders={"cloud": DEFAULT_BASE_URL},
            errors=errors,
        )

    async def _async_tums_data(
        self, user_input: Mapping[str, Any], base: Mapping[str, Any]
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """Entry data from the form: URL normalised, CA file read; form errors."""
        data: dict[str, Any] = {
            key: value
            for key, value in base.items()
            if key not in (CONF_BASE_URL, CONF_CA_PEM, CONF_ACCESS_KEY, CONF_SECRET_KEY)
        }
        try:
            data[CONF_BASE_URL] = normalise_base_url(user_input.get(CONF_BASE_URL))
        except ValueError:
            return data, {CONF_BASE_URL: "invalid_url"}
        ca_file = str(user_input.get(CONF_CA_FILE) or "").strip()
        if ca_file:
            try:
                data[CONF_CA_PEM] = await self.hass.async_add_executor_job(read_ca_file, ca_file)
            except ValueError:
                return data, {CONF_CA_FILE: "invalid_ca_file"}
        elif CONF_CA_PEM in base and data[CONF_BASE_URL] == base.get(CONF_BASE_URL):
            data[CONF_CA_PEM] = base[CONF_CA_PEM]  # same server: keep the CA given before
        data[CONF_ACCESS_KEY] = str(user_input[CONF_ACCESS_KEY]).strip()
        data[CONF_SECRET_KEY] = str(user_input[CONF_SECRET_KEY])
        return data, {}

    async def _async_try_tums(self, data: Mapping[str, Any]) -> tuple[dict[str, str], str]:
        """Sign one request and learn the application type; (form errors, type)."""
        backend = await async_create_tums_backend(self.hass, data, account_id="")
        try:
            await backend.async_connect()
        except ClockSkewError as err:
            _LOGGER.debug("TUMS rejected the request time (skew %s s)", err.skew)
            return {"base": "clock_skew"}, ""
        except AuthError:
            return {"base": "invalid_auth"}, ""
        except WrongAppTypeError:
            return {"base": "wrong_app_type"}, ""
        except RateLimitedError:
            return {"base": "rate_limited"}, ""
        except CameraError as err:
            _LOGGER.debug("Trying TUMS failed: %s", err)
            return {"base": "cannot_connect"}, ""
        finally:
            await backend.async_close()
        found = backend.app_type
        return {}, (found.value if found is not None else AppType.DEVICE.value)

    async def async_step_tums_reauth(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """New AK/SK of the same application (same type)."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {**entry.data, **user_input}
            errors, found = await self._async_try_tums(data)
            if not errors and found != entry.data.get(CONF_APP_TYPE, found):
                errors = {"base": "wrong_app_type"}
            if not errors:
                return self.async_update_reload_and_abort(entry, data_updates=user_input)
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=vol.Schema(_keys_schema(entry.data)),
            description_placeholders={"title": entry.title},
            errors=errors,
        )

    async def async_step_tums_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Another server (on-premise) or keys; the application type must stay the same."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data, errors = await self._async_tums_data(user_input, entry.data)
            if not errors:
                errors, found = await self._async_try_tums(data)
                if not errors and found != entry.data.get(CONF_APP_TYPE, found):
                    errors = {"base": "wrong_app_type"}
            if not errors:
                return self.async_update_reload_and_abort(entry, data=data)
        return self.async_show_form(
            step_id="tums_reconfigure",
            data_schema=vol.Schema({**_server_schema(entry.data), **_keys_schema(entry.data)}),
            description_placeholders={"cloud": DEFAULT_BASE_URL},
            errors=errors,
        )
