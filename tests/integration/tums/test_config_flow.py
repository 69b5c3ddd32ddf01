"""Config flow for a TUMS application, against the simulated cloud: every step and error."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant import config_entries
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.business_cameras.const import DOMAIN
from custom_components.business_cameras.flow_tums import normalise_base_url
from simulators.tums import TumsSimulator

from ..conftest import setup_entry
from .conftest import AK, SK


def form_input(sim: TumsSimulator, **changes: Any) -> dict[str, Any]:
    data = {
        "base_url": sim.url,
        "ca_file": str(sim.ca_path),
        "access_key": AK,
        "secret_key": SK,
        "app_type": "auto",
    }
    data.update(changes)
    return data


async def start_tums_flow(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    assert result["type"] is FlowResultType.MENU
    assert "tums" in result["menu_options"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "tums"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "tums"
    return result["flow_id"]


@pytest.mark.parametrize(
    ("tums_options", "app_type"),
    [({"app_type": "device"}, "device"), ({"app_type": "project"}, "project")],
)
async def test_flow_detects_the_application_type(
    hass: HomeAssistant, tums_sim: TumsSimulator, app_type: str
) -> None:
    flow_id = await start_tums_flow(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, form_input(tums_sim))
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    data = result["data"]
    assert data["platform"] == "tums"
    assert data["app_type"] == app_type
    assert data["base_url"] == tums_sim.url
    assert "BEGIN CERTIFICATE" in data["ca_pem"]
    assert "ca_file" not in data
    assert len(data["terminal_id"]) == 32
    assert len(data["webhook_id"]) >= 32
    assert result["result"].unique_id == AK
    assert result["title"] == f"TUMS {tums_sim.host} ({app_type})"
    # The same application a second time is refused.
    flow_id = await start_tums_flow(hass)
    again = await hass.config_entries.flow.async_configure(flow_id, form_input(tums_sim))
    assert again["type"] is FlowResultType.ABORT
    assert again["reason"] == "already_configured"
    await hass.config_entries.async_unload(result["result"].entry_id)


async def test_wrong_keys(hass: HomeAssistant, tums_sim: TumsSimulator) -> None:
    flow_id = await start_tums_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, form_input(tums_sim, secret_key="wrong")
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, form_input(tums_sim, access_key="unknown")
    )
    assert result["errors"] == {"base": "invalid_auth"}


async def test_clock_skew_is_its_own_error(hass: HomeAssistant, tums_sim: TumsSimulator) -> None:
    tums_sim.set_clock_skew(900)
    flow_id = await start_tums_flow(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, form_input(tums_sim))
    assert result["errors"] == {"base": "clock_skew"}


@pytest.mark.parametrize("tums_options", [{"app_type": "device"}])
async def test_wrong_application_type(hass: HomeAssistant, tums_sim: TumsSimulator) -> None:
    flow_id = await start_tums_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, form_input(tums_sim, app_type="project")
    )
    assert result["errors"] == {"base": "wrong_app_type"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, form_input(tums_sim, app_type="device")
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.config_entries.async_unload(result["result"].entry_id)


async def test_bad_server_inputs(hass: HomeAssistant, tums_sim: TumsSimulator) -> None:
    flow_id = await start_tums_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, form_input(tums_sim, base_url="ftp://127.0.0.85/x")
    )
    assert result["errors"] == {"base_url": "invalid_url"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, form_input(tums_sim, ca_file="/nonexistent/ca.pem")
    )
    assert result["errors"] == {"ca_file": "invalid_ca_file"}
    # Nothing listens on port 1.
    result = await hass.config_entries.flow.async_configure(
        flow_id, form_input(tums_sim, base_url="https://127.0.0.85:1")
    )
    assert result["errors"] == {"base": "cannot_connect"}
    tums_sim.inject_fault("http500")
    result = await hass.config_entries.flow.async_configure(flow_id, form_input(tums_sim))
    assert result["errors"] == {"base": "cannot_connect"}
    tums_sim.inject_fault("malformed_json")
    result = await hass.config_entries.flow.async_configure(flow_id, form_input(tums_sim))
    assert result["errors"] == {"base": "cannot_connect"}
    tums_sim.inject_fault("rate_limit", count=10)
    result = await hass.config_entries.flow.async_configure(flow_id, form_input(tums_sim))
    assert result["errors"] == {"base": "rate_limited"}


def test_base_url_normalisation() -> None:
    assert normalise_base_url("") is None
    assert normalise_base_url("  ") is None
    assert normalise_base_url("tums.example.com") == "https://tums.example.com"
    assert normalise_base_url("https://10.0.0.2:8443/") == "https://10.0.0.2:8443"
    for bad in ("http://tums.example.com", "https://", "https://h/path", "https://h/?q=1"):
        with pytest.raises(ValueError, match="."):
            normalise_base_url(bad)


async def test_reauth(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, tums_entry)
    result = await tums_entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"access_key": AK, "secret_key": "wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    tums_sim.secret_key = "Rotated-Secret-2"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"access_key": AK, "secret_key": "Rotated-Secret-2"}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert tums_entry.data["secret_key"] == "Rotated-Secret-2"


async def test_reconfigure(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, tums_entry)
    result = await tums_entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "tums_reconfigure"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"base_url": "https://127.0.0.85:1", "access_key": AK, "secret_key": SK}
    )
    assert result["errors"] == {"base": "cannot_connect"}
    # Same server: the CA stored in the entry is kept when no new file is given.
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"base_url": tums_sim.url, "access_key": AK, "secret_key": SK}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert "BEGIN CERTIFICATE" in tums_entry.data["ca_pem"]


async def test_options_offer_cloud_push(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, tums_entry)
    result = await hass.config_entries.options.async_init(tums_entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["settings", "local_stream"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "settings"}
    )
    assert result["type"] is FlowResultType.FORM
    schema = result["data_schema"]
    assert schema is not None
    fields = {str(key): key for key in schema.schema}
    assert "push_method" in fields
    assert fields["push_method"].default() == "poll"
