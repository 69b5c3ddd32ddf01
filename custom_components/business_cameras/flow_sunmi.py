"""Config flow steps of SUNMI cameras: UDP discovery, certificate upload, activation."""

from __future__ import annotations

import base64
import logging
import ssl
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import voluptuous as vol
from homeassistant.components.file_upload import process_uploaded_file
from homeassistant.components.webhook import async_generate_id
from homeassistant.config_entries import SOURCE_RECONFIGURE, ConfigFlow, ConfigFlowResult
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.helpers import selector
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.typing import DiscoveryInfoType

from .api.errors import (
    ApiError,
    AuthError,
    CameraError,
    CertificateMismatchError,
)
from .api.sunmi.backend import model_label
from .api.sunmi.client import SunmiClient
from .api.sunmi.discovery import discover
from .api.sunmi.errors import CertificateError, NotActivatedError
from .api.sunmi.tls import build_ssl_context, fetch_server_fingerprint
from .const import (
    CONF_ACTIVATION_CODE,
    CONF_APP_ID,
    CONF_CERTIFICATE,
    CONF_CERTIFICATE_DATA,
    CONF_CERTIFICATE_PASSWORD,
    CONF_FINGERPRINT,
    CONF_HUB_ID,
    CONF_MODEL,
    CONF_PLATFORM,
    CONF_SECRET_KEY,
    CONF_SN,
    CONF_WEBHOOK_ID,
    DEFAULT_SUNMI_PORT,
    PLATFORM_SUNMI,
)
from .flow_common import password_selector, pretty_fingerprint

_LOGGER = logging.getLogger(__name__)

# Discovery replies to a unicast probe of a manually entered address come within this time.
MANUAL_DISCOVERY_WAIT = 2.0


def _credentials_schema(defaults: Mapping[str, Any], *, with_host: bool) -> vol.Schema:
    fields: dict[vol.Marker, Any] = {}
    if with_host:
        fields[vol.Required(CONF_HOST, default=defaults.get(CONF_HOST, ""))] = str
    fields.update(
        {
            vol.Required(CONF_APP_ID, default=defaults.get(CONF_APP_ID, "")): str,
            vol.Required(CONF_SECRET_KEY): password_selector(),
            vol.Required(CONF_CERTIFICATE): selector.FileSelector(
                selector.FileSelectorConfig(accept=".p12,.pfx,application/x-pkcs12")
            ),
            vol.Required(CONF_CERTIFICATE_PASSWORD): password_selector(),
            vol.Optional(CONF_ACTIVATION_CODE): password_selector(),
        }
    )
    return vol.Schema(fields)


def _read_upload(hass: Any, file_id: str) -> bytes:
    """Read an uploaded file (runs in the executor: it is file I/O)."""
    with process_uploaded_file(hass, file_id) as path:
        return Path(path).read_bytes()


class SunmiFlow(ConfigFlow):
    """The SUNMI camera steps; mixed into the integration's one config flow."""

    _input: dict[str, Any]
    _fingerprint: str
    _discovered: dict[str, Any]
    _ssl_context: ssl.SSLContext | None = None

    async def async_step_integration_discovery(
        self, discovery_info: DiscoveryInfoType
    ) -> ConfigFlowResult:
        """A camera answered the UDP scan; a known SN at a new address only updates the entry."""
        sn = str(discovery_info[CONF_SN])
        await self.async_set_unique_id(sn)
        self._abort_if_unique_id_configured(updates={CONF_HOST: discovery_info["ip"]})
        self._discovered = dict(discovery_info)
        self.context["title_placeholders"] = {
            "model": model_label(str(discovery_info.get("model", ""))),
            "sn": sn,
        }
        return await self.async_step_sunmi_discovered()

    async def async_step_sunmi_discovered(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show what was found; confirming asks for the credentials."""
        if user_input is not None:
            return await self.async_step_sunmi()
        found = self._discovered
        return self.async_show_form(
            step_id="sunmi_discovered",
            description_placeholders={
                "model": model_label(str(found.get("model", ""))),
                "sn": str(found[CONF_SN]),
                "ip": str(found["ip"]),
            },
        )

    async def async_step_sunmi(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """App id, secret key and the vendor's client certificate (and activation code)."""
        errors: dict[str, str] = {}
        discovered_host = self._discovered.get("ip")
        if user_input is not None:
            host = str(user_input.get(CONF_HOST, discovered_host))
            errors = await self._async_load_certificate(
                host,
                user_input[CONF_CERTIFICATE],
                user_input[CONF_CERTIFICATE_PASSWORD],
            )
            if not errors:
                self._input[CONF_HOST] = host
                self._input.update(
                    {
                        key: user_input[key]
                        for key in (CONF_APP_ID, CONF_SECRET_KEY, CONF_ACTIVATION_CODE)
                        if key in user_input
                    }
                )
                return await self.async_step_sunmi_certificate()
        defaults = {**self._input, **(user_input or {})}
        return self.async_show_form(
            step_id="sunmi",
            data_schema=self.add_suggested_values_to_schema(
                _credentials_schema(defaults, with_host=discovered_host is None),
                {k: v for k, v in defaults.items() if k in (CONF_HOST, CONF_APP_ID)},
            ),
            errors=errors,
        )

    async def _async_load_certificate(
        self, host: str, file_id: str, password: str
    ) -> dict[str, str]:
        """Read the uploaded p12, build the TLS context and fetch the camera's fingerprint."""
        try:
            p12 = await self.hass.async_add_executor_job(_read_upload, self.hass, file_id)
            context = await self.hass.async_add_executor_job(build_ssl_context, p12, password)
        except (ValueError, OSError, CertificateError) as err:
            _LOGGER.debug("The uploaded client certificate is unusable: %s", type(err).__name__)
            return {"base": "invalid_certificate"}
        try:
            self._fingerprint = await fetch_server_fingerprint(host, DEFAULT_SUNMI_PORT, context)
        except CameraError as err:
            _LOGGER.debug("No TLS certificate from %s: %s", host, err)
            return {"base": "cannot_connect"}
        self._ssl_context = context
        self._input[CONF_CERTIFICATE_DATA] = base64.b64encode(p12).decode()
        self._input[CONF_CERTIFICATE_PASSWORD] = password
        return {}

    async def async_step_sunmi_certificate(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the camera's certificate fingerprint; confirming pins it and signs in."""
        errors: dict[str, str] = {}
        if user_input is not None:
            errors, info = await self._async_try_sunmi(self._input, self._fingerprint)
            reconfiguring = self.source == SOURCE_RECONFIGURE
            if (
                reconfiguring
                and info is not None
                and info.sn != self._get_reconfigure_entry().unique_id
            ):
                errors = {"base": "wrong_device"}
                info = None
            if info is not None:
                if self.source == SOURCE_RECONFIGURE:
                    return self.async_update_reload_and_abort(
                        self._get_reconfigure_entry(),
                        data_updates={**self._entry_data(), CONF_FINGERPRINT: self._fingerprint},
                    )
                await self.async_set_unique_id(info.sn)
                self._abort_if_unique_id_configured(updates={CONF_HOST: self._input[CONF_HOST]})
                return self.async_create_entry(
                    title=f"SUNMI {model_label(info.model)} {info.sn}",
                    data={
                        **self._entry_data(),
                        CONF_PLATFORM: PLATFORM_SUNMI,
                        CONF_PORT: DEFAULT_SUNMI_PORT,
                        CONF_FINGERPRINT: self._fingerprint,
                        CONF_HUB_ID: info.sn,
                        CONF_SN: info.sn,
                        CONF_MODEL: info.model,
                        CONF_WEBHOOK_ID: async_generate_id(),
                    },
                )
        return self.async_show_form(
            step_id="sunmi_certificate",
            data_schema=vol.Schema({}),
            description_placeholders={
                "host": self._input[CONF_HOST],
                "fingerprint": pretty_fingerprint(self._fingerprint),
            },
            errors=errors,
        )

    def _entry_data(self) -> dict[str, Any]:
        """What the entry keeps of the form (never the one-time activation code)."""
        keys = (CONF_HOST, CONF_APP_ID, CONF_SECRET_KEY, CONF_CERTIFICATE_DATA)
        data = {key: self._input[key] for key in keys}
        data[CONF_CERTIFICATE_PASSWORD] = self._input[CONF_CERTIFICATE_PASSWORD]
        return data

    async def _async_try_sunmi(
        self, data: Mapping[str, Any], fingerprint: str
    ) -> tuple[dict[str, str], Any]:
        """Sign in once (activating first when the camera asks for it)."""
        context = self._ssl_context
        assert context is not None
        client = SunmiClient(
            async_get_clientsession(self.hass),
            data[CONF_HOST],
            app_id=data[CONF_APP_ID],
            secret_key=data[CONF_SECRET_KEY],
            ssl_context=context,
            fingerprint=fingerprint,
        )
        code = data.get(CONF_ACTIVATION_CODE)
        try:
            try:
                return {}, await client.get_info()
            except NotActivatedError:
                if not code:
                    return {"base": "not_activated"}, None
                sn = self._discovered.get(CONF_SN) or await self._async_sn_of(data[CONF_HOST])
                if sn is None:
                    return {"base": "activation_failed"}, None
                try:
                    await client.activate(code, sn)
                except AuthError:
                    # Activation is signed with the activation code: a rejected signature
                    # means a wrong code, not a wrong secret key.
                    return {"base": "activation_failed"}, None
                return {}, await client.get_info()
        except AuthError:
            return {"base": "invalid_auth"}, None
        except CertificateMismatchError:
            return {"base": "certificate_changed"}, None
        except ApiError as err:
            _LOGGER.debug("Signing in to %s failed: %s", data[CONF_HOST], err)
            return {"base": "activation_failed" if code else "cannot_connect"}, None
        except CameraError as err:
            _LOGGER.debug("Signing in to %s failed: %s", data[CONF_HOST], err)
            return {"base": "cannot_connect"}, None

    async def _async_sn_of(self, host: str) -> str | None:
        """Ask the camera at ``host`` for its serial number with a unicast discovery probe."""
        cameras = await discover([host], wait=MANUAL_DISCOVERY_WAIT)
        return next((camera.sn for camera in cameras if camera.ip == host), None)

    async def async_step_sunmi_reauth(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """New app id / secret key for a camera that rejected the stored ones."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {**entry.data, **user_input}
            errors = await self._async_restore_context(entry.data)
            if not errors:
                errors, _info = await self._async_try_sunmi(data, entry.data[CONF_FINGERPRINT])
            if not errors:
                return self.async_update_reload_and_abort(entry, data_updates=user_input)
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=vol.Schema(
                {
                    vol.Required(CONF_APP_ID, default=entry.data[CONF_APP_ID]): str,
                    vol.Required(CONF_SECRET_KEY): password_selector(),
                }
            ),
            description_placeholders={"title": entry.title},
            errors=errors,
        )

    async def _async_restore_context(self, data: Mapping[str, Any]) -> dict[str, str]:
        """The TLS context from the certificate stored in an entry."""
        p12 = base64.b64decode(data[CONF_CERTIFICATE_DATA])
        try:
            self._ssl_context = await self.hass.async_add_executor_job(
                build_ssl_context, p12, data[CONF_CERTIFICATE_PASSWORD]
            )
        except CertificateError:
            return {"base": "invalid_certificate"}
        return {}

    async def async_step_sunmi_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """A new address; a new certificate there has to be confirmed again."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            self._input = {**entry.data, CONF_HOST: user_input[CONF_HOST]}
            errors = await self._async_restore_context(entry.data)
            if not errors and self._ssl_context is not None:
                try:
                    self._fingerprint = await fetch_server_fingerprint(
                        user_input[CONF_HOST], DEFAULT_SUNMI_PORT, self._ssl_context
                    )
                except CameraError:
                    errors = {"base": "cannot_connect"}
            if not errors:
                if self._fingerprint != entry.data[CONF_FINGERPRINT]:
                    return await self.async_step_sunmi_certificate()
                errors, info = await self._async_try_sunmi(self._input, self._fingerprint)
                if info is not None and info.sn != entry.unique_id:
                    errors = {"base": "wrong_device"}
                if not errors:
                    return self.async_update_reload_and_abort(
                        entry, data_updates={CONF_HOST: user_input[CONF_HOST]}
                    )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=vol.Schema({vol.Required(CONF_HOST, default=entry.data[CONF_HOST]): str}),
            errors=errors,
        )
