"""VigiBackend against the simulated NVR: devices, state groups, settings, actions."""

from __future__ import annotations

import asyncio

import pytest

from custom_components.business_cameras.api.backend import Action, Setting, WebhookPushBackend
from custom_components.business_cameras.api.errors import (
    ApiError,
    AuthError,
    ConnectError,
    UnsupportedError,
)
from custom_components.business_cameras.api.model import (
    Capability,
    Device,
    StateGroup,
    StreamSettings,
)
from custom_components.business_cameras.api.vigi import VigiBackend
from simulators.vigi import VigiSimulator

from .conftest import ClientFactory, SimFactory

HOST = "127.0.0.12"
C = Capability


async def connected(
    make_sim: SimFactory, make_client: ClientFactory, **options: object
) -> tuple[VigiSimulator, VigiBackend, dict[str, Device]]:
    sim = await make_sim(HOST, **options)
    client = make_client(sim)
    backend = VigiBackend(client, nvr_id=sim.fingerprint, name="Garage NVR")
    await backend.async_connect()
    devices = {device.key: device for device in await backend.async_get_devices()}
    return sim, backend, devices


async def test_devices_on_v14(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim, backend, devices = await connected(make_sim, make_client)
    assert isinstance(backend, WebhookPushBackend)
    assert backend.unique_id == sim.fingerprint
    assert list(devices) == ["nvr", "ch1", "ch2", "ch3", "ch4"]
    nvr = devices["nvr"]
    assert (nvr.name, nvr.manufacturer, nvr.model) == ("Garage NVR", "TP-Link", "VIGI NVR")
    assert nvr.capabilities == {
        C.DISKS,
        C.POE,
        C.TIMING,
        C.EVENT_SERVER,
        C.DEVICE_EVENTS,
        C.REBOOT,
    }
    ch2 = devices["ch2"]
    assert (ch2.name, ch2.parent, ch2.channel) == ("Entrée & Hof", "nvr", 2)
    assert (ch2.mac, ch2.ip) == ("00:ff:00:13:31:02", "192.168.0.3")
    assert ch2.capabilities == {
        C.LIVE_STREAM,
        C.SNAPSHOT,
        C.AUDIO_OUTPUT,
        C.AUDIO_INPUT,
        C.MANUAL_ALARM,
        C.STREAM_SETTINGS,
        C.MOTION_EVENTS,
        C.SMART_EVENTS,
    }
    assert sim.requests["GET /openapi/module_list"] == 1


async def test_manual_alarm_follows_batch_capability(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    sim = await make_sim(HOST, poe_ports=0)
    sim.state.channels[3].alarm.manual_supported = False
    backend = VigiBackend(make_client(sim), nvr_id="x")
    devices = {device.key: device for device in await backend.async_get_devices()}
    assert C.MANUAL_ALARM in devices["ch1"].capabilities
    assert C.MANUAL_ALARM not in devices["ch3"].capabilities
    assert C.POE not in devices["nvr"].capabilities
    assert sim.requests["GET /openapi/poe/info"] == 0  # no poe module listed


async def test_devices_on_v10(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim, backend, devices = await connected(make_sim, make_client, firmware="1.0")
    assert backend.modules is None
    assert C.POE in devices["nvr"].capabilities
    caps = devices["ch1"].capabilities
    assert C.SNAPSHOT not in caps
    assert C.MANUAL_ALARM not in caps
    assert {C.AUDIO_OUTPUT, C.STREAM_SETTINGS, C.MOTION_EVENTS} <= caps
    assert await backend.async_snapshot(devices["ch1"]) is None
    assert sim.requests["GET /openapi/alarm_output/batch_get_ipc_alarm"] == 0
    assert sim.requests["GET /openapi/snapshot"] == 0


async def test_state_reads_only_the_groups_asked_for(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    sim, backend, devices = await connected(make_sim, make_client)
    before = sim.requests.copy()
    states = await backend.async_get_state(devices, [StateGroup.DISKS])
    new = sim.requests - before
    assert set(new) == {"GET /openapi/disks"}
    assert states["nvr"].disks is not None
    assert states["nvr"].disks[0].free_gb == 120.0
    assert states["ch1"].audio_output is None


async def test_full_state(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim, backend, devices = await connected(make_sim, make_client)
    sim.set_channel_online(4, False)
    states = await backend.async_get_state(devices, list(StateGroup))
    nvr = states["nvr"]
    assert nvr.poe_ports is not None
    assert len(nvr.poe_ports) == 8
    assert (nvr.poe_ports[0].power_w, nvr.poe_ports[0].linked) == (3.6, True)
    assert (nvr.poe_total_w, nvr.timing_mode, nvr.ntp_server) == (113.0, "manual", "0.0.0.0")  # noqa: S104
    assert nvr.event_servers == []
    ch1 = states["ch1"]
    assert ch1.online
    assert ch1.audio_output is not None
    assert ch1.audio_output.volume == 60
    assert ch1.audio_input is not None
    assert ch1.audio_input.noise_cancelling is False
    assert ch1.streams["main"] == StreamSettings("1920*1080", 4096, "vbr", "5")
    ch4 = states["ch4"]
    assert not ch4.online
    assert ch4.audio_output is None
    assert sim.requests["GET /openapi/audio/output/sound"] == 3  # not for the offline camera


async def test_one_channel_failure_does_not_fail_the_poll(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    sim, backend, devices = await connected(make_sim, make_client)
    sim.inject_fault("http500", path="/openapi/audio/output/sound")
    sim.inject_fault("malformed_json", path="/openapi/disks")
    states = await backend.async_get_state(devices, [StateGroup.AUDIO, StateGroup.DISKS])
    outputs = [states[f"ch{n}"].audio_output for n in range(1, 5)]
    assert sum(output is None for output in outputs) == 1
    assert all(states[f"ch{n}"].audio_input is not None for n in range(1, 5))
    assert states["nvr"].disks is None


async def test_connection_errors_fail_the_poll(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    sim = await make_sim(HOST)
    backend = VigiBackend(make_client(sim, timeout=0.3), nvr_id="x")
    devices = {device.key: device for device in await backend.async_get_devices()}
    sim.inject_fault("timeout", path="/openapi/audio/input/sound", count=1)
    with pytest.raises(ConnectError):
        await backend.async_get_state(devices, [StateGroup.AUDIO])
    sim.restart()
    backend._client._password = "changed"  # as if the user changed it on the NVR
    with pytest.raises(AuthError):
        await backend.async_get_state(devices, [StateGroup.ONLINE])


async def test_audio_settings_round_trip(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim, backend, devices = await connected(make_sim, make_client)
    ch1 = devices["ch1"]
    await backend.async_set(ch1, Setting.SPEAKER_VOLUME, 43)
    await backend.async_set(ch1, Setting.SPEAKER_MUTE, True)
    await backend.async_set(ch1, Setting.MICROPHONE_VOLUME, 12)
    await backend.async_set(ch1, Setting.MICROPHONE_MUTE, True)
    await backend.async_set(ch1, Setting.NOISE_CANCELLING, True)
    out, inp = sim.state.channels[1].audio_out, sim.state.channels[1].audio_in
    assert (out.mute, out.volume, sim.state.system_volume) == ("on", 43, 60)
    assert (inp.mute, inp.volume, inp.noise_cancelling) == ("on", 12, "on")
    states = await backend.async_get_state(devices, [StateGroup.AUDIO])
    assert states["ch1"].audio_output is not None
    assert states["ch1"].audio_output.volume == 43
    with pytest.raises(ValueError, match="0..100"):
        await backend.async_set(ch1, Setting.SPEAKER_VOLUME, 101)
    with pytest.raises(UnsupportedError):
        await backend.async_set(devices["nvr"], Setting.SPEAKER_VOLUME, 5)


async def test_nvr_settings(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim, backend, devices = await connected(make_sim, make_client)
    nvr = devices["nvr"]
    await backend.async_set(nvr, Setting.POE_PORT_ENABLED, (2, False))
    port = sim.state.poe[1]
    assert (port.enable, port.priority, port.max_port_power) == ("off", "0", 300)
    with pytest.raises(UnsupportedError):
        await backend.async_set(nvr, Setting.POE_PORT_ENABLED, (9, True))
    await backend.async_set(nvr, Setting.TIMING_MODE, "ntp")
    assert sim.state.timing_mode == "ntp"
    with pytest.raises(UnsupportedError):
        await backend.async_set(devices["ch1"], Setting.TIMING_MODE, "ntp")
    await backend.async_set(devices["ch1"], Setting.MAIN_RESOLUTION, "1280*720")
    assert sim.state.channels[1].main.resolution == "1280*720"
    with pytest.raises(ValueError, match="resolution"):
        await backend.async_set(devices["ch1"], Setting.MAIN_RESOLUTION, "1*1")


async def test_actions(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim, backend, devices = await connected(make_sim, make_client)

    def active(channel: int) -> bool:
        return sim.state.channels[channel].alarm.active

    await backend.async_action(devices["ch2"], Action.TRIGGER_ALARM)
    assert active(2)
    await backend.async_action(devices["ch3"], Action.TRIGGER_ALARM, duration=0.05)
    assert active(3)
    await asyncio.sleep(0.3)
    assert not active(3)
    await backend.async_action(devices["ch4"], Action.TRIGGER_ALARM, duration=60)
    await backend.async_close()  # cancels the pending stop
    with pytest.raises(UnsupportedError):
        await backend.async_action(devices["ch1"], Action.REBOOT)
    with pytest.raises(UnsupportedError):
        await backend.async_action(devices["ch1"], Action.PTZ_RESET)
    with pytest.raises(UnsupportedError):
        await backend.async_action(devices["nvr"], Action.TRIGGER_ALARM)
    await backend.async_action(devices["nvr"], Action.REBOOT)
    assert sim.requests["POST /openapi/systemctl"] == 1


async def test_stream_source_and_snapshot(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim, backend, devices = await connected(make_sim, make_client)
    url = await backend.async_stream_source(devices["ch3"], "sub")
    assert url == f"rtsp://admin:s3cr3t%20pa%24%24%2Fw%C3%B6rd@{HOST}:554/live/3/2/avm"
    assert (await backend.async_stream_source(devices["ch1"], "main") or "").endswith("/1/1/avm")
    assert await backend.async_stream_source(devices["nvr"], "main") is None
    other = VigiBackend(backend._client, nvr_id="x", rtsp_port=8554)
    assert ":8554/live/1/1/avm" in (await other.async_stream_source(devices["ch1"], "main") or "")
    image = await backend.async_snapshot(devices["ch1"])
    assert image is not None
    assert image.startswith(b"\xff\xd8")
    assert await backend.async_snapshot(devices["nvr"]) is None


async def test_register_push_uses_a_free_slot_and_leaves_foreign_ones(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    from simulators.vigi.state import EventServer as SimServer

    sim, backend, _ = await connected(make_sim, make_client)
    foreign = {
        1: SimServer(1, "10.0.0.5", 3001, "/vms", "HTTP", "on"),
        3: SimServer(3, "10.0.0.6", 3001, "/other", "HTTPS", "off"),
    }
    sim.state.event_servers.update(foreign)
    url = "http://127.0.0.1:8123/api/webhook/abc123"
    await backend.async_register_push(url)
    ours = sim.state.event_servers[2]
    assert (ours.ip_or_domain, ours.port, ours.url) == ("127.0.0.1", 8123, "/api/webhook/abc123")
    assert (ours.protocol, ours.picture_switch) == ("HTTP", "on")
    # Registering again (e.g. after a restart) reuses the slot.
    again = VigiBackend(backend._client, nvr_id="x")
    await again.async_register_push(url)
    assert sim.requests["POST /openapi/event_server"] == 1
    await again.async_unregister_push()
    assert set(sim.state.event_servers) == {1, 3}
    assert sim.state.event_servers[1] == foreign[1]
    assert sim.state.event_servers[3] == foreign[3]
    await backend.async_unregister_push()  # our slot is already gone: nothing to delete
    assert sim.requests["POST /openapi/event_server/delete_server"] == 1


async def test_register_push_refuses_a_full_table(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    from simulators.vigi.state import EventServer as SimServer

    sim, backend, _ = await connected(make_sim, make_client)
    for slot in (1, 2, 3):
        sim.state.event_servers[slot] = SimServer(slot, "10.0.0.5", 3000 + slot, "/x", "HTTP", "on")
    with pytest.raises(ApiError) as caught:
        await backend.async_register_push("https://127.0.0.1:8123/api/webhook/abc")
    assert caught.value.code == -40207
    assert sim.requests["POST /openapi/event_server"] == 0
    await backend.async_unregister_push()  # never registered: touches nothing
    assert len(sim.state.event_servers) == 3


async def test_register_push_replaces_our_slot_without_pictures(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    from simulators.vigi.state import EventServer as SimServer

    sim, backend, _ = await connected(make_sim, make_client)
    sim.state.event_servers[3] = SimServer(3, "127.0.0.1", 8123, "/api/webhook/a", "HTTP", "off")
    await backend.async_register_push("http://127.0.0.1:8123/api/webhook/a")
    assert sim.state.event_servers[3].picture_switch == "on"
    assert set(sim.state.event_servers) == {3}


async def test_event_server_fallback_path(
    make_sim: SimFactory, make_client: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from simulators.vigi import routes

    sim, backend, _ = await connected(make_sim, make_client)
    monkeypatch.delitem(routes.ROUTES, ("POST", "/openapi/event_server"))
    await backend.async_register_push("http://127.0.0.1:8123/api/webhook/x")
    assert sim.requests["POST /openapi/event_server"] == 1  # 404
    assert sim.requests["POST /openapi/event_server/new_server"] == 1
    assert 1 in sim.state.event_servers


async def test_v10_nvr_without_poe_ports(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim, backend, devices = await connected(make_sim, make_client, firmware="1.0", poe_ports=0)
    assert C.POE not in devices["nvr"].capabilities
    assert sim.requests["GET /openapi/poe/info"] == 1
    before = sim.requests.copy()
    states = await backend.async_get_state(devices, [StateGroup.POE])
    assert states["nvr"].poe_ports is None
    assert sim.requests == before
