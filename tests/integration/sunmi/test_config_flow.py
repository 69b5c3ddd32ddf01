"""SUNMI config flow against real simulators: discovery, manual entry, upload, activation."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from homeassistant import config_entries
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.business_cameras.const import DOMAIN
from custom_components.business_cameras.discovery import DATA_DISCOVERY_TARGETS, async_scan
from simulators.sunmi import SunmiSimulator

from ..conftest import setup_entry
from .conftest import (
    ACTIVATION_CODE,
    APP_ID,
    CERT_PASSWORD,
    FS_HOST,
    FS_SN,
    SECRET_KEY,
    SS_HOST,
    SS_SN,
    sunmi_entry_data,
)

pytestmark = pytest.mark.usefixtures("routes_ready")


async def upload(hass_client: ClientSessionGenerator, path: str | Path) -> str:
    """Upload a file the way the frontend's file selector does; returns its id."""
    client = await hass_client()
    with open(path, "rb") as handle:
        response = await client.post("/api/file_upload", data={"file": handle})
    assert response.status == 200
    return str((await response.json())["file_id"])


async def credentials(
    hass_client: ClientSessionGenerator, sim: SunmiSimulator, **overrides: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "app_id": APP_ID,
        "secret_key": SECRET_KEY,
        "certificate": await upload(hass_client, sim.p12_path),
        "certificate_password": CERT_PASSWORD,
    }
    data.update(overrides)
    return data


async def start_manual_flow(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    assert result["type"] is FlowResultType.MENU
    assert "sunmi" in result["menu_options"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "sunmi"}
    )
    assert result["step_id"] == "sunmi"
    return result["flow_id"]


async def test_discovery_starts_a_flow_per_new_camera(
    hass: HomeAssistant,
    fs_sim: SunmiSimulator,
    ss_sim: SunmiSimulator,
    hass_client: ClientSessionGenerator,
) -> None:
    hass.data[DATA_DISCOVERY_TARGETS] = [FS_HOST, SS_HOST]
    cameras = await async_scan(hass)
    assert sorted(camera.sn for camera in cameras) == [FS_SN, SS_SN]
    await hass.async_block_till_done(wait_background_tasks=True)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert sorted(str(flow["context"].get("unique_id")) for flow in flows) == [FS_SN, SS_SN]
    fs_flow = next(flow for flow in flows if flow["context"]["unique_id"] == FS_SN)
    assert fs_flow["step_id"] == "sunmi_discovered"

    result = await hass.config_entries.flow.async_configure(fs_flow["flow_id"], {})
    assert result["step_id"] == "sunmi"
    result = await hass.config_entries.flow.async_configure(
        fs_flow["flow_id"], await credentials(hass_client, fs_sim)
    )
    assert result["step_id"] == "sunmi_certificate"
    placeholders = result["description_placeholders"]
    assert placeholders is not None
    assert placeholders["fingerprint"].replace(":", "").lower() == fs_sim.server_fingerprint
    result = await hass.config_entries.flow.async_configure(fs_flow["flow_id"], {})
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    assert entry.unique_id == FS_SN
    assert entry.data["host"] == FS_HOST
    assert entry.data["model"] in ("FS", "FM020")
    assert "activation_code" not in entry.data
    assert SECRET_KEY not in str(result["title"])
    await hass.config_entries.async_unload(entry.entry_id)


async def test_known_camera_at_a_new_address_updates_its_entry(
    hass: HomeAssistant, fs_sim: SunmiSimulator
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN, unique_id=FS_SN, data={"platform": "sunmi", "host": "127.0.0.99"}
    )
    entry.add_to_hass(hass)
    hass.data[DATA_DISCOVERY_TARGETS] = [FS_HOST]
    await async_scan(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.data["host"] == FS_HOST
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)


async def test_other_serial_at_a_known_address_is_a_new_camera(
    hass: HomeAssistant, fs_sim: SunmiSimulator
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN, unique_id="SS000000000000", data={"platform": "sunmi", "host": FS_HOST}
    )
    entry.add_to_hass(hass)
    hass.data[DATA_DISCOVERY_TARGETS] = [FS_HOST]
    await async_scan(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.data["host"] == FS_HOST
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["unique_id"] for flow in flows] == [FS_SN]


async def test_manual_entry_errors_then_success(
    hass: HomeAssistant, fs_sim: SunmiSimulator, hass_client: ClientSessionGenerator
) -> None:
    flow_id = await start_manual_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id,
        {"host": FS_HOST, **await credentials(hass_client, fs_sim, certificate_password="nope")},
    )
    assert result["errors"] == {"base": "invalid_certificate"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, {"host": "127.0.0.49", **await credentials(hass_client, fs_sim)}
    )
    assert result["errors"] == {"base": "cannot_connect"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, {"host": FS_HOST, **await credentials(hass_client, fs_sim, secret_key="wrong")}
    )
    assert result["step_id"] == "sunmi_certificate"
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["errors"] == {"base": "invalid_auth"}


@pytest.mark.parametrize("sunmi_options", [{"activated": False}])
async def test_activation(
    hass: HomeAssistant, fs_sim: SunmiSimulator, hass_client: ClientSessionGenerator
) -> None:
    flow_id = await start_manual_flow(hass)
    await hass.config_entries.flow.async_configure(
        flow_id, {"host": FS_HOST, **await credentials(hass_client, fs_sim)}
    )
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["errors"] == {"base": "not_activated"}

    flow_id = await start_manual_flow(hass)
    await hass.config_entries.flow.async_configure(
        flow_id,
        {
            "host": FS_HOST,
            **await credentials(hass_client, fs_sim, activation_code="wrong-code"),
        },
    )
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["errors"] == {"base": "activation_failed"}

    flow_id = await start_manual_flow(hass)
    await hass.config_entries.flow.async_configure(
        flow_id,
        {
            "host": FS_HOST,
            **await credentials(hass_client, fs_sim, activation_code=ACTIVATION_CODE),
        },
    )
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == FS_SN
    await hass.config_entries.async_unload(result["result"].entry_id)


async def test_reauth_with_a_new_secret(
    hass: HomeAssistant, fs_sim: SunmiSimulator, fs_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, fs_entry)
    result = await fs_entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"app_id": APP_ID, "secret_key": "wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"app_id": APP_ID, "secret_key": SECRET_KEY}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"


async def test_reconfigure(
    hass: HomeAssistant,
    fs_sim: SunmiSimulator,
    ss_sim: SunmiSimulator,
    fs_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, fs_entry)
    result = await fs_entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"host": "127.0.0.49"}
    )
    assert result["errors"] == {"base": "cannot_connect"}
    # Another camera (same vendor CA, another certificate) must be confirmed, then is refused.
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"host": SS_HOST})
    assert result["step_id"] == "sunmi_certificate"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["errors"] == {"base": "wrong_device"}
    result = await fs_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"host": FS_HOST})
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"


async def test_already_configured_camera_aborts(
    hass: HomeAssistant,
    fs_sim: SunmiSimulator,
    fs_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    flow_id = await start_manual_flow(hass)
    await hass.config_entries.flow.async_configure(
        flow_id, {"host": FS_HOST, **await credentials(hass_client, fs_sim)}
    )
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


@pytest.mark.parametrize("sunmi_options", [{"activated": False}])
async def test_activation_of_a_discovered_camera_uses_its_serial(
    hass: HomeAssistant, fs_sim: SunmiSimulator, hass_client: ClientSessionGenerator
) -> None:
    hass.data[DATA_DISCOVERY_TARGETS] = [FS_HOST]
    await async_scan(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    (flow,) = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    await hass.config_entries.flow.async_configure(flow["flow_id"], {})
    await hass.config_entries.flow.async_configure(
        flow["flow_id"], await credentials(hass_client, fs_sim, activation_code=ACTIVATION_CODE)
    )
    result = await hass.config_entries.flow.async_configure(flow["flow_id"], {})
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.config_entries.async_unload(result["result"].entry_id)


async def test_opening_the_flow_scans_for_cameras(
    hass: HomeAssistant, fs_sim: SunmiSimulator
) -> None:
    hass.data[DATA_DISCOVERY_TARGETS] = [FS_HOST]
    await start_manual_flow(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"].get("unique_id") for flow in flows if flow["step_id"] != "sunmi"] == [
        FS_SN
    ]


async def test_reconfigure_to_a_new_address_with_a_new_certificate(
    hass: HomeAssistant, fs_sim: SunmiSimulator, fs_entry: MockConfigEntry, tmp_path: Path
) -> None:
    moved = SunmiSimulator(
        host="127.0.0.43", app_id=APP_ID, secret_key=SECRET_KEY,
        activation_code=ACTIVATION_CODE, model="FS", sn=FS_SN, activated=True,
        cert_dir=tmp_path / "vendor", cert_password=CERT_PASSWORD,
        https_port=443, channel_port=10021, discovery_port=10001,
    )  # fmt: skip
    await moved.start()
    try:
        result = await fs_entry.start_reconfigure_flow(hass)
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {"host": moved.host}
        )
        assert result["step_id"] == "sunmi_certificate"
        result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
        await hass.async_block_till_done()
        assert result["reason"] == "reconfigure_successful"
        assert fs_entry.data["host"] == moved.host
        assert fs_entry.data["fingerprint"] == moved.server_fingerprint
        await hass.config_entries.async_unload(fs_entry.entry_id)
    finally:
        await moved.stop()


async def test_reconfigure_refuses_another_camera_with_the_pinned_certificate(
    hass: HomeAssistant, fs_sim: SunmiSimulator
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id="FS000000000001",
        data={**sunmi_entry_data(fs_sim, "FS"), "host": "127.0.0.49", "sn": "FS000000000001"},
    )
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"host": FS_HOST})
    assert result["errors"] == {"base": "wrong_device"}


async def test_reauth_with_an_unreadable_stored_certificate(
    hass: HomeAssistant, fs_sim: SunmiSimulator
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=FS_SN,
        data={**sunmi_entry_data(fs_sim, "FS"), "certificate_password": "not-it"},
    )
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"app_id": APP_ID, "secret_key": SECRET_KEY}
    )
    assert result["errors"] == {"base": "invalid_certificate"}


@pytest.mark.parametrize("sunmi_options", [{"activated": False, "discovery_port": 10002}])
async def test_activation_needs_the_serial_number(
    hass: HomeAssistant, fs_sim: SunmiSimulator, hass_client: ClientSessionGenerator
) -> None:
    """A manual entry learns the SN by a unicast discovery probe; no answer, no activation."""
    flow_id = await start_manual_flow(hass)
    await hass.config_entries.flow.async_configure(
        flow_id,
        {
            "host": FS_HOST,
            **await credentials(hass_client, fs_sim, activation_code=ACTIVATION_CODE),
        },
    )
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["errors"] == {"base": "activation_failed"}


@pytest.mark.parametrize("sunmi_options", [{"activated": False}])
async def test_activation_with_a_serial_the_camera_does_not_have(
    hass: HomeAssistant, fs_sim: SunmiSimulator, hass_client: ClientSessionGenerator
) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": config_entries.SOURCE_INTEGRATION_DISCOVERY},
        data={"sn": "FS999999999999", "ip": FS_HOST, "model": "FM020"},
    )
    await hass.config_entries.flow.async_configure(result["flow_id"], {})
    await hass.config_entries.flow.async_configure(
        result["flow_id"], await credentials(hass_client, fs_sim, activation_code=ACTIVATION_CODE)
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["errors"] == {"base": "activation_failed"}


async def test_camera_changes_or_vanishes_before_confirmation(
    hass: HomeAssistant, fs_sim: SunmiSimulator, hass_client: ClientSessionGenerator,
    tmp_path: Path,
) -> None:  # fmt: skip
    flow_id = await start_manual_flow(hass)
    await hass.config_entries.flow.async_configure(
        flow_id, {"host": FS_HOST, **await credentials(hass_client, fs_sim)}
    )
    await fs_sim.stop()
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["errors"] == {"base": "cannot_connect"}
    # The same vendor CA, but a new server certificate (after a factory reset, say).
    vendor = tmp_path / "vendor-copy"
    shutil.copytree(tmp_path / "vendor", vendor)
    for stale in vendor.glob(f"sunmi-server-{FS_HOST}*"):
        stale.unlink()
    replaced = SunmiSimulator(
        host=FS_HOST, app_id=APP_ID, secret_key=SECRET_KEY, activation_code=ACTIVATION_CODE,
        model="FS", sn=FS_SN, activated=True, cert_dir=vendor,
        cert_password=CERT_PASSWORD, https_port=443, channel_port=10021, discovery_port=10001,
    )  # fmt: skip
    await replaced.start()
    try:
        assert replaced.server_fingerprint != fs_sim.server_fingerprint
        result = await hass.config_entries.flow.async_configure(flow_id, {})
        assert result["errors"] == {"base": "certificate_changed"}
    finally:
        await replaced.stop()
