"""The config flow over the REST API as the frontend drives it: menu, form, errors, the end."""

from __future__ import annotations

from typing import Any

import pytest

from scripts import demo
from scripts.demo import DOMAIN, HassApi, pretty_fingerprint

from .hass import ws
from .stack import Stack

pytestmark = pytest.mark.e2e

FLOWS = "/api/config/config_entries/flow"


async def open_menu(api: HassApi) -> dict[str, Any]:
    """Add integration -> Business Cameras: the platform menu."""
    menu: dict[str, Any] = await api.call(
        "POST", FLOWS, {"handler": DOMAIN, "show_advanced_options": False}
    )
    assert menu["type"] == "menu", menu
    assert sorted(menu["menu_options"]) == ["sunmi", "tums", "vigi"]
    return menu


async def submit(api: HassApi, flow_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """One step, errors and all."""
    result: dict[str, Any] = await api.call("POST", f"{FLOWS}/{flow_id}", data)
    return result


async def error_texts(api: HassApi) -> dict[str, str]:
    """What the frontend shows for each config flow error key (English)."""
    result = await ws(
        api,
        {
            "type": "frontend/get_translations",
            "language": "en",
            "category": "config",
            "integration": [DOMAIN],
        },
    )
    prefix = f"component.{DOMAIN}.config.error."
    return {
        k.removeprefix(prefix): v for k, v in result["resources"].items() if k.startswith(prefix)
    }


def field_names(form: dict[str, Any]) -> list[str]:
    """The fields of a form step, in order."""
    return [field["name"] for field in form["data_schema"]]


def test_vigi_flow_rejects_a_wrong_password_then_finds_the_nvr_configured(e2e: Stack) -> None:
    vigi = e2e.demo.vigi

    async def attempt(password: str) -> tuple[str, dict[str, Any]]:
        flow_id = (await open_menu(e2e.api))["flow_id"]
        form = await submit(e2e.api, flow_id, {"next_step_id": "vigi"})
        assert (form["type"], form["step_id"]) == ("form", "vigi")
        assert field_names(form) == ["host", "port", "username", "password"]
        credentials = {
            "host": vigi.host,
            "port": vigi.port,
            "username": demo.SIM_USERNAME,
            "password": password,
        }
        certificate = await submit(e2e.api, flow_id, credentials)
        assert certificate["step_id"] == "vigi_certificate", certificate
        shown = certificate["description_placeholders"]["fingerprint"]
        assert shown == pretty_fingerprint(vigi.fingerprint)
        return flow_id, await submit(e2e.api, flow_id, {})

    async def scenario() -> None:
        flow_id, refused = await attempt("not-the-password")
        assert (refused["type"], refused["step_id"]) == ("form", "vigi_certificate")
        assert refused["errors"] == {"base": "invalid_auth"}
        assert (await error_texts(e2e.api))["invalid_auth"] == "Invalid authentication"
        await e2e.api.call("DELETE", f"{FLOWS}/{flow_id}")
        _, done = await attempt(demo.SIM_PASSWORD)
        assert (done["type"], done["reason"]) == ("abort", "already_configured")

    e2e.run(scenario())


def test_sunmi_flow_rejects_a_wrong_certificate_password_and_secret_key(e2e: Stack) -> None:
    camera = demo.SS_CAMERA
    fingerprint = e2e.demo.cameras[camera.sn].fingerprint

    async def form_data(secret_key: str, certificate_password: str) -> dict[str, Any]:
        # Every submit uploads the file again: Home Assistant deletes an upload once read.
        return {
            "host": camera.host,
            "app_id": demo.SUNMI_APP_ID,
            "secret_key": secret_key,
            "certificate": await e2e.api.upload(demo.SUNMI_P12, "application/x-pkcs12"),
            "certificate_password": certificate_password,
        }

    async def sunmi_form() -> str:
        flow_id = str((await open_menu(e2e.api))["flow_id"])
        form = await submit(e2e.api, flow_id, {"next_step_id": "sunmi"})
        assert (form["type"], form["step_id"]) == ("form", "sunmi")
        assert field_names(form) == [
            "host",
            "app_id",
            "secret_key",
            "certificate",
            "certificate_password",
            "activation_code",
        ]
        return flow_id

    async def scenario() -> None:
        texts = await error_texts(e2e.api)
        flow_id = await sunmi_form()
        data = await form_data(demo.SUNMI_SECRET_KEY, "not-the-p12-password")
        refused = await submit(e2e.api, flow_id, data)
        assert refused["step_id"] == "sunmi"
        assert refused["errors"] == {"base": "invalid_certificate"}
        assert texts["invalid_certificate"].startswith("The client certificate could not be opened")

        data = await form_data("not-the-secret-key", demo.SUNMI_CERT_PASSWORD)
        certificate = await submit(e2e.api, flow_id, data)
        assert certificate["step_id"] == "sunmi_certificate", certificate
        assert certificate["description_placeholders"]["fingerprint"] == pretty_fingerprint(
            fingerprint
        )
        refused = await submit(e2e.api, flow_id, {})
        assert refused["step_id"] == "sunmi_certificate"
        assert refused["errors"] == {"base": "invalid_auth"}
        await e2e.api.call("DELETE", f"{FLOWS}/{flow_id}")

        flow_id = await sunmi_form()
        data = await form_data(demo.SUNMI_SECRET_KEY, demo.SUNMI_CERT_PASSWORD)
        assert (await submit(e2e.api, flow_id, data))["step_id"] == "sunmi_certificate"
        done = await submit(e2e.api, flow_id, {})
        assert (done["type"], done["reason"]) == ("abort", "already_configured")

    e2e.run(scenario())


def test_tums_flow_rejects_a_wrong_secret_key_then_finds_the_application_configured(
    e2e: Stack,
) -> None:
    async def attempt(secret_key: str) -> dict[str, Any]:
        flow_id = (await open_menu(e2e.api))["flow_id"]
        form = await submit(e2e.api, flow_id, {"next_step_id": "tums"})
        assert (form["type"], form["step_id"]) == ("form", "tums")
        assert field_names(form) == ["base_url", "ca_file", "access_key", "secret_key", "app_type"]
        return await submit(
            e2e.api,
            flow_id,
            {
                "base_url": f"https://{demo.TUMS_HOST}:{demo.TUMS_PORT}",
                "ca_file": str(demo.TUMS_CERT_DIR / "tums-ca.pem"),
                "access_key": demo.TUMS_ACCESS_KEY,
                "secret_key": secret_key,
                "app_type": "auto",
            },
        )

    async def scenario() -> None:
        refused = await attempt("not-the-secret-key")
        assert (refused["type"], refused["step_id"]) == ("form", "tums")
        assert refused["errors"] == {"base": "invalid_auth"}
        await e2e.api.call("DELETE", f"{FLOWS}/{refused['flow_id']}")
        done = await attempt(demo.TUMS_SECRET_KEY)
        assert (done["type"], done["reason"]) == ("abort", "already_configured")

    e2e.run(scenario())
