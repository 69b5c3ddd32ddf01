"""TUMS options: the menu, temporary keys, local RTSP streams; picture settings."""

from __future__ import annotations

import pytest
from homeassistant.components.camera import async_get_stream_source
from homeassistant.components.number.const import ATTR_VALUE, SERVICE_SET_VALUE
from homeassistant.components.select import ATTR_OPTION, SERVICE_SELECT_OPTION
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant, State
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.business_cameras.const import DOMAIN
from custom_components.business_cameras.diagnostics import async_get_config_entry_diagnostics
from simulators.tums import TumsSimulator

from ..conftest import setup_entry
from .conftest import AK, IPC2, NVR0, SK

CREATE_TEMP = "/tums/open/credentialManager/v1/createTempApplicationApiCredential"
RTSP = "rtsp://viewer:s3cret-pass@192.0.2.20:554/stream1"


async def open_step(hass: HomeAssistant, entry: MockConfigEntry, step: str) -> dict[str, object]:
    """The options menu, then one of its steps."""
    menu = await hass.config_entries.options.async_init(entry.entry_id)
    assert menu["type"] is FlowResultType.MENU
    assert menu["menu_options"] == ["settings", "local_stream"]
    result = await hass.config_entries.options.async_configure(
        menu["flow_id"], {"next_step_id": step}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == step
    return dict(result)


def current(hass: HomeAssistant, entity_id: str) -> State:
    found = hass.states.get(entity_id)
    assert found is not None, entity_id
    return found


async def reloaded(hass: HomeAssistant) -> None:
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_settings_form_and_temporary_keys_renewed_without_a_reauth(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, tums_entry)
    assert tums_sim.requests[CREATE_TEMP] == 0
    form = await open_step(hass, tums_entry, "settings")
    schema = form["data_schema"]
    fields = [str(key) for key in schema.schema]  # type: ignore[attr-defined]
    # One stream per cloud camera (its local URL): no main/sub choice.
    assert fields == ["scan_interval", "push_method", "temporary_credentials"]
    done = await hass.config_entries.options.async_configure(
        str(form["flow_id"]),
        {"scan_interval": 60, "push_method": "poll", "temporary_credentials": True},
    )
    assert done["type"] is FlowResultType.CREATE_ENTRY
    await reloaded(hass)
    assert tums_entry.options["temporary_credentials"] is True
    assert tums_sim.requests[CREATE_TEMP] == 1
    # The cloud signs with the temporary pair: its AK is not the long-term one.
    assert tums_sim.state.temp_credentials
    assert AK not in tums_sim.state.temp_credentials

    # The temporary pair expires: a new one is minted, no reauth, entities stay available.
    assert tums_sim.expire_temporary_credentials() == 1
    await tums_entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    assert tums_entry.runtime_data.coordinator.last_update_success
    assert tums_sim.requests[CREATE_TEMP] == 2
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)


async def test_local_stream_gives_a_cloud_camera_a_live_view(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, tums_entry)
    registry = er.async_get(hass)
    assert registry.async_get_entity_id("camera", DOMAIN, f"{AK}_{IPC2}_camera") is None

    form = await open_step(hass, tums_entry, "local_stream")
    device_field = next(k for k in form["data_schema"].schema if str(k) == "device")  # type: ignore[attr-defined]
    offered = form["data_schema"].schema[device_field].config["options"]  # type: ignore[attr-defined]
    values = {option["value"] for option in offered}
    assert IPC2 in values
    assert f"{NVR0}:ch1" in values
    assert NVR0 not in values  # the recorder itself has no lens

    refused = await hass.config_entries.options.async_configure(
        str(form["flow_id"]), {"device": IPC2, "stream_url": "http://192.0.2.20/stream"}
    )
    assert refused["type"] is FlowResultType.FORM
    assert refused["errors"] == {"stream_url": "invalid_stream_url"}
    done = await hass.config_entries.options.async_configure(
        refused["flow_id"], {"device": IPC2, "stream_url": RTSP}
    )
    assert done["type"] is FlowResultType.CREATE_ENTRY
    await reloaded(hass)
    assert tums_entry.options["local_streams"] == {IPC2: RTSP}

    camera = registry.async_get_entity_id("camera", DOMAIN, f"{AK}_{IPC2}_camera")
    assert camera is not None
    assert await async_get_stream_source(hass, camera) == RTSP
    assert current(hass, camera).attributes["supported_features"] == 2  # STREAM
    # Diagnostics never show the URL (it holds the camera's password).
    diagnostics = await async_get_config_entry_diagnostics(hass, tums_entry)
    assert "s3cret-pass" not in str(diagnostics)
    for secret in (AK, SK, IPC2):
        assert secret not in str(diagnostics)
    assert diagnostics["backend"]["app_type"] == "device"
    assert diagnostics["backend"]["cameras_with_local_stream"] == 1
    assert diagnostics["backend"]["push_subscribed"] is False
    assert diagnostics["backend"]["unlicensed_devices"] == 0

    # An empty address removes it again.
    form = await open_step(hass, tums_entry, "local_stream")
    done = await hass.config_entries.options.async_configure(
        str(form["flow_id"]), {"device": IPC2, "stream_url": ""}
    )
    assert done["type"] is FlowResultType.CREATE_ENTRY
    await reloaded(hass)
    assert tums_entry.options["local_streams"] == {}
    gone = hass.states.get(camera)
    assert gone is None or gone.state == "unavailable"


@pytest.mark.parametrize(
    ("key", "field", "value"),
    [("brightness", "luma", 72), ("contrast", "contrast", 31), ("sharpness", "sharpness", 90)],
)
async def test_picture_adjustments_reach_the_camera(
    hass: HomeAssistant,
    tums_sim: TumsSimulator,
    tums_entry: MockConfigEntry,
    key: str,
    field: str,
    value: int,
) -> None:
    registry = er.async_get(hass)
    unique_id = f"{AK}_{IPC2}_{key}"
    await setup_entry(hass, tums_entry)
    entity_id = registry.async_get_entity_id("number", DOMAIN, unique_id)
    assert entity_id is not None
    assert registry.async_get(entity_id).disabled_by is er.RegistryEntryDisabler.INTEGRATION  # type: ignore[union-attr]
    registry.async_update_entity(entity_id, disabled_by=None)
    await hass.config_entries.async_reload(tums_entry.entry_id)
    await hass.async_block_till_done()
    assert float(current(hass, entity_id).state) == 50

    await hass.services.async_call(
        "number", SERVICE_SET_VALUE, {ATTR_ENTITY_ID: entity_id, ATTR_VALUE: value}, blocking=True
    )
    camera = tums_sim.state.find(IPC2)
    assert camera is not None
    assert camera.settings["image"][field] == value
    assert float(current(hass, entity_id).state) == value


async def test_flip_select_on_a_channel(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, tums_entry)
    entity_id = er.async_get(hass).async_get_entity_id(
        "select", DOMAIN, f"{AK}_{NVR0}:ch1_image_flip"
    )
    assert entity_id is not None
    state = current(hass, entity_id)
    assert state.state == "off"
    assert state.attributes["options"] == ["off", "left_and_right", "up_and_down", "center"]
    await hass.services.async_call(
        "select",
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: entity_id, ATTR_OPTION: "up_and_down"},
        blocking=True,
    )
    channel = tums_sim.state.find(NVR0)
    assert channel is not None
    assert channel.channels[1].settings["image"]["flip"] == "up_and_down"
    assert current(hass, entity_id).state == "up_and_down"


def main_stream(sim: TumsSimulator, key: str) -> dict[str, object]:
    camera = sim.state.find(key)
    assert camera is not None
    return next(s for s in camera.settings["streams"] if s["type"] == "main")


async def test_main_stream_encoding_frame_rate_bitrate(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    registry = er.async_get(hass)
    await setup_entry(hass, tums_entry)

    def select(key: str) -> str:
        found = registry.async_get_entity_id("select", DOMAIN, f"{AK}_{IPC2}_{key}")
        assert found is not None, key
        return found

    encoding = select("main_encoding")
    assert current(hass, encoding).state == "H265"
    assert current(hass, encoding).attributes["options"] == ["H264", "H265"]
    hidden = [select(k) for k in ("main_frame_rate", "main_bitrate", "main_bitrate_type")]
    for entity_id in hidden:
        entry = registry.async_get(entity_id)
        assert entry is not None
        assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
        registry.async_update_entity(entity_id, disabled_by=None)
    await hass.config_entries.async_reload(tums_entry.entry_id)
    await hass.async_block_till_done()
    frame_rate, bitrate, bitrate_type = hidden
    assert current(hass, frame_rate).state == "25"
    assert current(hass, frame_rate).attributes["options"] == [
        "1",
        "5",
        "10",
        "15",
        "20",
        "25",
        "30",
    ]
    assert current(hass, bitrate).state == "3072"
    assert current(hass, bitrate_type).state == "vbr"

    for entity_id, option in (
        (encoding, "H264"),
        (frame_rate, "15"),
        (bitrate, "2048"),
        (bitrate_type, "cbr"),
    ):
        await hass.services.async_call(
            "select",
            SERVICE_SELECT_OPTION,
            {ATTR_ENTITY_ID: entity_id, ATTR_OPTION: option},
            blocking=True,
        )
        assert current(hass, entity_id).state == option
    stream = main_stream(tums_sim, IPC2)
    assert (stream["encodeType"], stream["frameRate"]) == ("H264", 65551)
    assert (stream["bitrate"], stream["bitrateType"]) == (2048, "cbr")
