"""SunmiBackend against the simulator: devices, every state group, settings, actions, media."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from custom_components.business_cameras.api.backend import (
    Action,
    Backend,
    ChannelPushBackend,
    Setting,
    WebhookPushBackend,
)
from custom_components.business_cameras.api.errors import (
    AuthError,
    ConnectError,
    UnsupportedError,
)
from custom_components.business_cameras.api.model import (
    CameraEvent,
    Capability,
    Device,
    EventType,
    StateGroup,
)
from custom_components.business_cameras.api.sunmi import backend as backend_module
from custom_components.business_cameras.api.sunmi.backend import (
    SunmiBackend,
    model_family,
    model_label,
)

from .conftest import BackendFactory, SimFactory, wait_for

HOST = "127.0.0.37"
FS_ONLY = {
    Capability.FACE_EVENTS,
    Capability.FACE_RECOGNITION,
    Capability.ZOOM,
    Capability.FOCUS,
    Capability.AUTO_FOCUS,
    Capability.PEOPLE_FLOW,
}


async def camera(backend: SunmiBackend) -> Device:
    [device] = await backend.async_get_devices()
    return device


def test_models() -> None:
    assert model_family("FM020") == model_family("fs") == model_family("FS1") == "FS"
    assert model_family("FM010") == model_family("SS") == "SS"
    assert model_family(None, "FS101D8BS00106") == "FS"
    assert model_family("X9") is None
    assert model_label("FM020") == "Face Sense Camera"
    assert model_label("SS") == "Store Sense Camera"
    assert model_label("X9") == "X9"
    assert model_label("") == "IP Camera"


async def test_face_sense_device(make_sim: SimFactory, make_backend: BackendFactory) -> None:
    sim = await make_sim(HOST)
    backend = make_backend(sim, model="FM020")
    assert isinstance(backend, Backend)
    assert isinstance(backend, WebhookPushBackend)
    assert isinstance(backend, ChannelPushBackend)
    assert backend.unique_id == sim.sn
    await backend.async_connect()
    device = await camera(backend)
    assert device.key == "camera"
    assert device.parent is None
    assert (device.manufacturer, device.model) == ("SUNMI", "Face Sense Camera")
    assert (device.serial, device.sw_version, device.hw_version) == (sim.sn, "1.2.3", "1.0.0")
    assert device.mac == sim.device.mac
    assert device.ip == HOST
    assert device.capabilities >= FS_ONLY
    assert Capability.PTZ_RESET not in device.capabilities
    assert device.rotation_options == (0, 180)
    assert device.ir_modes == ("off", "on", "auto")
    assert (device.zoom_max, device.focus_max) == (500, 780)


async def test_store_sense_device(make_sim: SimFactory, make_backend: BackendFactory) -> None:
    sim = await make_sim(HOST, model="SS")
    backend = make_backend(sim, model="FM010")
    device = await camera(backend)
    assert device.model == "Store Sense Camera"
    assert not FS_ONLY & device.capabilities
    assert {Capability.STATUS_LED, Capability.MOTION_EVENTS, Capability.MEMORY_CARD} <= (
        device.capabilities
    )
    assert device.rotation_options == (0, 90, 180, 270)
    assert (device.zoom_max, device.focus_max) == (None, None)
    assert backend.events == ["dynamic_detect_event"]


async def test_wrong_camera_at_the_address(
    make_sim: SimFactory, make_backend: BackendFactory
) -> None:
    sim = await make_sim(HOST)
    backend = make_backend(sim, sn="FS101D8BS99999")
    with pytest.raises(ConnectError, match="FS101D8BS99999"):
        await backend.async_connect()


async def test_every_state_group(make_sim: SimFactory, make_backend: BackendFactory) -> None:
    sim = await make_sim(HOST)
    sim.people_flow_add(entered=4, exited=2, passed=9)
    backend = make_backend(sim)
    device = await camera(backend)
    before = sum(sim.requests.values())
    states = await backend.async_get_state({"camera": device}, list(StateGroup))
    state = states["camera"]
    assert state.firmware == "1.2.3"
    assert state.status_led is True
    assert state.motion_detection is True
    assert state.extra["motion_level"] == 2
    assert state.face_optimize_seconds == 2
    assert state.ir_mode == "auto"
    assert state.rotation == 0
    assert (state.zoom, state.focus) == (0, 0)
    assert state.memory_card is not None
    assert (state.memory_card.status, state.memory_card.writable) == ("normal", True)
    assert state.people_flow is not None
    assert (state.people_flow.entered, state.people_flow.exited) == (4, 2)
    assert state.people_flow.passed == 9
    # 1 getInfo, LED, detect, face config + people config, IR, rotation, zoom/focus, card,
    # three statistics.
    assert sum(sim.requests.values()) - before == 12


async def test_only_the_groups_asked_for(
    make_sim: SimFactory, make_backend: BackendFactory
) -> None:
    sim = await make_sim(HOST)
    backend = make_backend(sim)
    device = await camera(backend)
    sim.requests.clear()
    state = (await backend.async_get_state({"camera": device}, [StateGroup.LED]))["camera"]
    assert state.status_led is True
    assert state.firmware is None
    assert dict(sim.requests) == {"/openapi/config/getLedSwitch": 1}
    # Groups of another platform, or a device key that is not ours, read nothing.
    states = await backend.async_get_state({"camera": device}, [StateGroup.POE])
    assert states["camera"].status_led is None
    assert dict(sim.requests) == {"/openapi/config/getLedSwitch": 1}


async def test_store_sense_skips_face_sense_groups(
    make_sim: SimFactory, make_backend: BackendFactory
) -> None:
    sim = await make_sim(HOST, model="SS")
    backend = make_backend(sim)
    device = await camera(backend)
    sim.requests.clear()
    state = (await backend.async_get_state({"camera": device}, list(StateGroup)))["camera"]
    assert state.people_flow is None
    assert state.zoom is None
    assert state.face_optimize_seconds is None
    assert not any("peopleFlow" in path or "Zoom" in path for path in sim.requests)


async def test_rejected_credentials_end_the_poll(
    make_sim: SimFactory, make_backend: BackendFactory
) -> None:
    sim = await make_sim(HOST)
    device = await camera(make_backend(sim))
    wrong = make_backend(sim, client_options={"secret_key": "wrong"})
    with pytest.raises(AuthError):
        await wrong.async_get_state({"camera": device}, list(StateGroup))


async def test_settings_round_trip(make_sim: SimFactory, make_backend: BackendFactory) -> None:
    sim = await make_sim(HOST)
    backend = make_backend(sim)
    device = await camera(backend)
    groups = [StateGroup.LED, StateGroup.DETECTION, StateGroup.IMAGE, StateGroup.ZOOM_FOCUS]

    await backend.async_set(device, Setting.STATUS_LED, False)
    sim.state.dynamic_detect.motion_level = 3
    await backend.async_set(device, Setting.MOTION_DETECTION, False)
    assert sim.state.dynamic_detect.motion_level == 0
    assert sim.state.dynamic_detect.audio_level == 2  # the rest of the config is kept
    await backend.async_set(device, Setting.IR_MODE, "off")
    await backend.async_set(device, Setting.ROTATION, 180)
    await backend.async_set(device, Setting.ZOOM, 250)
    await backend.async_set(device, Setting.FOCUS, 400)
    await backend.async_set(device, Setting.FACE_OPTIMIZE_SECONDS, 5)
    state = (await backend.async_get_state({"camera": device}, groups))["camera"]
    assert state.status_led is False
    assert state.motion_detection is False
    assert (state.ir_mode, state.rotation, state.zoom, state.focus) == ("off", 180, 250, 400)
    assert sim.state.optimize_seconds == 5

    await backend.async_set(device, Setting.MOTION_DETECTION, True)
    assert sim.state.dynamic_detect.motion_level == 3  # the level it had before
    await backend.async_set(device, Setting.IR_MODE, "auto")
    assert sim.state.irmode == 2


async def test_invalid_and_unsupported_settings(
    make_sim: SimFactory, make_backend: BackendFactory
) -> None:
    sim = await make_sim(HOST, model="SS")
    backend = make_backend(sim)
    device = await camera(backend)
    with pytest.raises(UnsupportedError):
        await backend.async_set(device, Setting.ZOOM, 10)
    with pytest.raises(UnsupportedError):
        await backend.async_set(device, Setting.SPEAKER_VOLUME, 10)
    with pytest.raises(ValueError, match="rotation"):
        await backend.async_set(device, Setting.ROTATION, 45)
    with pytest.raises(ValueError, match="IR mode"):
        await backend.async_set(device, Setting.IR_MODE, "disco")
    fs_device = replace(device, capabilities=device.capabilities | {Capability.FACE_RECOGNITION})
    with pytest.raises(ValueError, match="1..6"):
        await backend.async_set(fs_device, Setting.FACE_OPTIMIZE_SECONDS, 9)
    with pytest.raises(UnsupportedError):
        await backend.async_action(device, Action.PTZ_RESET)
    with pytest.raises(UnsupportedError):
        await backend.async_action(device, Action.AUTO_FOCUS)


async def test_actions_and_formatting(make_sim: SimFactory, make_backend: BackendFactory) -> None:
    now = [1000.0]  # the backend's clock, moved by hand
    sim = await make_sim(HOST, format_seconds=0.2)
    backend = make_backend(sim, clock=lambda: now[0])
    device = await camera(backend)
    await backend.async_action(device, Action.FORMAT_SD_CARD)

    async def card_status() -> str | None:
        state = await backend.async_get_state({"camera": device}, [StateGroup.MEMORY_CARD])
        card = state["camera"].memory_card
        return None if card is None else card.status

    assert await card_status() == "formatting"
    await asyncio.sleep(0.3)  # the camera has finished ...
    now[0] += backend_module.FORMAT_MIN_SECONDS - 1  # ... but the minimum has not passed
    assert await card_status() == "formatting"
    now[0] += 2
    assert await card_status() == "normal"

    await backend.async_action(device, Action.AUTO_FOCUS, focus_x=10, focus_y=90)
    assert (sim.state.focused_x, sim.state.focused_y) == (10, 90)
    await backend.async_set(device, Setting.ZOOM, 100)
    await backend.async_action(device, Action.RESET_ZOOM_FOCUS)
    assert sim.state.zoom == 0
    await backend.async_action(device, Action.REBOOT)
    await wait_for(lambda: sim.state.reboots == 1)


async def test_stream_and_snapshot(make_sim: SimFactory, make_backend: BackendFactory) -> None:
    sim = await make_sim(HOST)
    backend = make_backend(sim)
    device = await camera(backend)
    main = await backend.async_stream_source(device, "main")
    sub = await backend.async_stream_source(device, "sub")
    assert main is not None
    assert main.endswith("live_fhd.sdp")
    assert sub is not None
    assert sub.endswith("live_hd.sdp")
    image = await backend.async_snapshot(device)
    assert image is not None
    assert image.startswith(b"\xff\xd8")


async def test_channel_events_with_face_pictures(
    make_sim: SimFactory, make_backend: BackendFactory
) -> None:
    sim = await make_sim(HOST)
    backend = make_backend(sim, channel_options={"backoff_initial": 0.05})
    events: list[CameraEvent] = []
    states: list[bool] = []
    await backend.async_start_channel(events.append, states.append)
    await wait_for(lambda: states == [True])
    await sim.publish_motion(detect_type=3)
    await sim.publish_face(faceid="7", group_name="vip", age_range=4, gender=1, name="Bob")
    await wait_for(lambda: len(events) == 3)
    by_type = {event.type: event for event in events}
    assert set(by_type) == {EventType.MOTION, EventType.AUDIO, EventType.FACE}
    face = by_type[EventType.FACE]
    assert face.image is not None
    assert face.image.startswith(b"\xff\xd8")
    assert face.attributes["face_id"] == "7"
    assert face.attributes["gender"] == "male"
    assert face.attributes["age_band"] == "19-28"
    assert face.attributes["custom"] == {"item1": "Bob"}
    assert face.attributes["source"] == "channel"
    await backend.async_stop_channel()
    assert states == [True, False]
    assert backend.channel is None


async def test_channel_auth_failure_is_reported(
    make_sim: SimFactory, make_backend: BackendFactory
) -> None:
    sim = await make_sim(HOST)
    backend = make_backend(sim, client_options={"secret_key": "wrong"})
    failures: list[AuthError] = []
    await backend.async_start_channel(lambda _e: None, lambda _s: None, failures.append)
    await wait_for(lambda: len(failures) == 1)
    channel = backend.channel
    assert channel is not None
    await wait_for(lambda: not channel.running)
