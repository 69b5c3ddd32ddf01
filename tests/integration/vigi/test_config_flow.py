"""Config flow for a VIGI NVR, driven against the real simulator: every step and error."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant import config_entries
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.business_cameras.const import DOMAIN
from simulators.vigi import VigiSimulator

from ..conftest import HUB_ID, VIGI_PASSWORD, setup_entry


def form_input(sim: VigiSimulator, password: str = VIGI_PASSWORD) -> dict[str, Any]:
    return {"host": sim.host, "port": sim.port, "username": "admin", "password": password}


async def start_vigi_flow(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    assert result["type"] is FlowResultType.MENU
    assert "vigi" in result["menu_options"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "vigi"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "vigi"
    return result["flow_id"]


async def test_full_flow_pins_the_certificate(hass: HomeAssistant, vigi_sim: VigiSimulator) -> None:
    flow_id = await start_vigi_flow(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, form_input(vigi_sim))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "vigi_certificate"
    placeholders = result["description_placeholders"]
    assert placeholders is not None
    shown = placeholders["fingerprint"]
    assert shown.replace(":", "").lower() == vigi_sim.fingerprint
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    data = result["data"]
    assert data["fingerprint"] == vigi_sim.fingerprint
    assert data["hub_id"] == vigi_sim.fingerprint
    assert data["platform"] == "vigi"
    assert len(data["webhook_id"]) >= 32
    assert result["result"].unique_id == vigi_sim.fingerprint
    await hass.config_entries.async_unload(result["result"].entry_id)


async def test_unreachable_host(hass: HomeAssistant) -> None:
    flow_id = await start_vigi_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {"host": "127.0.0.3", "port": 1, "username": "admin", "password": "x"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}


async def test_wrong_password_then_right(hass: HomeAssistant, vigi_sim: VigiSimulator) -> None:
    flow_id = await start_vigi_flow(hass)
    await hass.config_entries.flow.async_configure(flow_id, form_input(vigi_sim, "wrong"))
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["step_id"] == "vigi_certificate"
    assert result["errors"] == {"base": "invalid_auth"}
    assert vigi_sim.requests["GET /openapi/token"] == 2


async def test_nvr_error_after_login(hass: HomeAssistant, vigi_sim: VigiSimulator) -> None:
    flow_id = await start_vigi_flow(hass)
    await hass.config_entries.flow.async_configure(flow_id, form_input(vigi_sim))
    vigi_sim.inject_fault("http500", count=5, path="/openapi/added_devices")
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["errors"] == {"base": "cannot_connect"}


@pytest.mark.parametrize("sim_options", [{"max_failures": 1}])
async def test_locked_account(hass: HomeAssistant, vigi_sim: VigiSimulator) -> None:
    flow_id = await start_vigi_flow(hass)
    await hass.config_entries.flow.async_configure(flow_id, form_input(vigi_sim, "wrong"))
    errors = set()
    for _ in range(2):
        result = await hass.config_entries.flow.async_configure(flow_id, {})
        assert result["errors"] is not None
        errors.add(result["errors"]["base"])
    assert "locked" in errors


async def test_certificate_changed_between_steps(
    hass: HomeAssistant, vigi_sim: VigiSimulator
) -> None:
    flow_id = await start_vigi_flow(hass)
    await hass.config_entries.flow.async_configure(flow_id, form_input(vigi_sim))
    # Another NVR (another certificate) answers on the same address before confirmation.
    port = vigi_sim.port
    await vigi_sim.stop()
    impostor = VigiSimulator(host=vigi_sim.host, port=port, password=VIGI_PASSWORD, channels=1)
    await impostor.start()
    try:
        result = await hass.config_entries.flow.async_configure(flow_id, {})
        assert result["errors"] == {"base": "certificate_changed"}
    finally:
        await impostor.stop()


async def test_already_configured(
    hass: HomeAssistant, vigi_sim: VigiSimulator, vigi_entry: MockConfigEntry
) -> None:
    flow_id = await start_vigi_flow(hass)
    await hass.config_entries.flow.async_configure(flow_id, form_input(vigi_sim))
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_reauth(
    hass: HomeAssistant, vigi_sim: VigiSimulator, vigi_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, vigi_entry)
    result = await vigi_entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"username": "admin", "password": "wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    vigi_sim.auth.password = "New-Password-2"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"username": "admin", "password": "New-Password-2"}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert vigi_entry.data["password"] == "New-Password-2"


async def test_reconfigure_same_certificate(
    hass: HomeAssistant, vigi_sim: VigiSimulator, vigi_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, vigi_entry)
    result = await vigi_entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**form_input(vigi_sim), "port": 1, "host": "127.0.0.3"}
    )
    assert result["errors"] == {"base": "cannot_connect"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], form_input(vigi_sim, "wrong")
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], form_input(vigi_sim))
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"


async def test_reconfigure_new_certificate_needs_confirmation(
    hass: HomeAssistant, vigi_sim: VigiSimulator, vigi_entry: MockConfigEntry
) -> None:
    other = VigiSimulator(host="127.0.0.5", port=0, password=VIGI_PASSWORD, channels=1)
    await other.start()
    try:
        result = await vigi_entry.start_reconfigure_flow(hass)
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], form_input(other)
        )
        assert result["step_id"] == "vigi_certificate"
        result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
        await hass.async_block_till_done()
        assert result["type"] is FlowResultType.ABORT
        assert result["reason"] == "reconfigure_successful"
        assert vigi_entry.data["fingerprint"] == other.fingerprint
        assert vigi_entry.data["hub_id"] == HUB_ID
        await hass.config_entries.async_unload(vigi_entry.entry_id)
    finally:
        await other.stop()


async def test_options(
    hass: HomeAssistant, vigi_sim: VigiSimulator, vigi_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, vigi_entry)
    result = await hass.config_entries.options.async_init(vigi_entry.entry_id)
    assert result["step_id"] == "init"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"scan_interval": 30, "stream": "sub"}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert vigi_entry.options == {"scan_interval": 30, "stream": "sub"}
    coordinator = vigi_entry.runtime_data.coordinator
    assert coordinator.update_interval is not None
    assert coordinator.update_interval.total_seconds() == 30
