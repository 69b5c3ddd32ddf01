"""TumsClient against the simulated cloud on 127.0.0.81."""

from __future__ import annotations

import time

import pytest

from custom_components.business_cameras.api.errors import AuthError, ConnectError, ProtocolError
from custom_components.business_cameras.api.tums.client import AppType, Path
from custom_components.business_cameras.api.tums.errors import (
    ClockSkewError,
    NotLicensedError,
    RateLimitedError,
    WrongAppTypeError,
)
from custom_components.business_cameras.api.tums.parsers import DeviceRef

from .conftest import ClientFactory, SimFactory

HOST = "127.0.0.81"
IPC1 = DeviceRef(qr_code="16E00900000000001")  # index 1: an IPC with PTZ
NVR0 = DeviceRef(qr_code="16E00900000000000")  # index 0: an NVR


async def test_app_type_and_paged_listing(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST, devices=250)
    client = make_client(sim)
    assert await client.detect_app_type() is AppType.DEVICE
    devices = await client.list_devices()
    top = [d for d in devices if not d.is_child]
    assert len(top) == 250
    assert len({d.qr_code for d in top}) == 250
    assert sim.requests[Path.DEVICE_APP_LIST] == 3
    overview = await client.get_overview()
    assert overview


async def test_project_app(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST, app_type="project")
    client = make_client(sim)
    assert await client.detect_app_type() is AppType.PROJECT
    regions = await client.list_regions()
    assert any(r.default for r in regions)
    assert any(r.level == 2 for r in regions)
    devices = await client.list_devices()
    assert all(d.region_id for d in devices)
    now = int(time.time())
    rows = await client.query_flow([IPC1], now - 86400, now)
    assert rows
    totals = await client.get_device_flow_totals(IPC1, now - 86400, now)
    assert totals.entered is not None
    assert isinstance(await client.get_flow_sync_status(), bool)


async def test_wrong_app_type(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim)
    with pytest.raises(WrongAppTypeError) as err:
        await client.list_regions()
    assert err.value.required == "project"


async def test_wrong_secret_is_auth_error(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim, secret_key="wrong")
    with pytest.raises(AuthError) as err:
        await client.detect_app_type()
    assert err.value.code == -10301
    assert "wrong" not in str(err.value)


async def test_clock_skew_measured(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim, clock=lambda: time.time() - 600)
    with pytest.raises(ClockSkewError) as err:
        await client.detect_app_type()
    assert err.value.skew is not None
    assert 590 <= err.value.skew <= 610


async def test_rate_limit_backoff_then_success(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    sim = await make_sim(HOST)
    delays: list[float] = []

    async def sleep(seconds: float) -> None:
        delays.append(seconds)

    client = make_client(sim, sleep=sleep, backoff=1.0)
    sim.inject_fault("rate_limit", count=2, path=Path.OVERVIEW)
    await client.get_overview()
    assert delays == [1.0, 2.0]
    assert sim.requests[Path.OVERVIEW] == 3


async def test_rate_limit_exhausted_blocks(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim, max_retries=2)
    sim.inject_fault("rate_limit", count=10, path=Path.OVERVIEW)
    with pytest.raises(RateLimitedError) as err:
        await client.get_overview()
    assert err.value.retry_after > 0
    assert sim.requests[Path.OVERVIEW] == 3
    with pytest.raises(RateLimitedError):
        await client.get_overview()
    assert sim.requests[Path.OVERVIEW] == 3  # no request while blocked


@pytest.mark.parametrize(
    ("kind", "error"),
    [("timeout", ConnectError), ("http500", ConnectError), ("malformed_json", ProtocolError)],
)
async def test_faults(
    make_sim: SimFactory, make_client: ClientFactory, kind: str, error: type[Exception]
) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim, timeout=0.5)
    sim.inject_fault(kind, path=Path.OVERVIEW)
    with pytest.raises(error) as err:
        await client.get_overview()
    assert "SK" not in str(err.value)
    await client.get_overview()  # the next call is fine


async def test_connect_error_without_server(
    make_client: ClientFactory, make_sim: SimFactory
) -> None:
    sim = await make_sim(HOST)
    await sim.stop()
    client = make_client(sim, timeout=1.0)
    with pytest.raises(ConnectError):
        await client.get_overview()


async def test_not_licensed(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim)
    sim.set_licensed(IPC1.qr_code or "", False)
    with pytest.raises(NotLicensedError) as err:
        await client.get_sd_cards(IPC1)
    assert err.value.device_id == IPC1.qr_code
    devices = {d.qr_code: d for d in await client.list_devices()}
    assert not devices[IPC1.qr_code].licensed


async def test_temporary_credentials_renewed(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim, use_temporary_credentials=True, temporary_lifetime=3600)
    await client.get_overview()
    await client.get_overview()
    assert sim.requests[Path.CREATE_TEMP_CREDENTIAL] == 1
    sim.expire_temporary_credentials()
    await client.get_overview()
    assert sim.requests[Path.CREATE_TEMP_CREDENTIAL] == 2


async def test_temporary_credentials_renewed_before_expiry(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    sim = await make_sim(HOST)
    now = [time.time()]
    client = make_client(
        sim, use_temporary_credentials=True, temporary_lifetime=600, clock=lambda: now[0]
    )
    await client.get_overview()
    now[0] += 500  # inside the renewal margin (600 / 4 = 150 s before expiry)
    sim.set_clock_skew(500)  # the cloud's clock moves on as well
    await client.get_overview()
    assert sim.requests[Path.CREATE_TEMP_CREDENTIAL] == 2


async def test_device_configuration(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim)
    cards = await client.get_sd_cards(IPC1)
    assert cards[0].total_gb == pytest.approx(119.1)
    await client.format_sd_card(IPC1, cards[0].index)
    assert await client.get_ptz_reset_support(IPC1)
    await client.reset_ptz_position(IPC1)
    await client.trigger_manual_alarm(IPC1)
    await client.trigger_manual_alarm(IPC1, on=False)
    await client.set_timing(IPC1, "ntp", "time.example.org")
    timing = await client.get_timing(IPC1)
    assert (timing.mode, timing.server) == ("ntp", "time.example.org")
    await client.sync_time(IPC1)
    await client.set_record_loop(IPC1, False)
    assert await client.get_record_loop(IPC1) is False
    await client.set_timing_reboot(IPC1, True, "04:00:00", 3)
    reboot = await client.get_timing_reboot(IPC1)
    assert (reboot.enabled, reboot.time, reboot.day) == (True, "04:00:00", 3)
    image = await client.get_image(IPC1)
    assert "nightVisionMode" in image
    await client.set_image(IPC1, {"luma": 60})
    assert (await client.get_image(IPC1))["luma"] == 60
    lamp = await client.get_supplement_lamp_capability(IPC1)
    assert "nightVisionModeRange" in lamp
    streams = await client.get_video_streams(IPC1)
    assert "main" in streams
    capability = await client.get_video_capability(IPC1)
    assert capability
    resolution = streams["main"]["resolution"]
    await client.set_video_streams(IPC1, [{"type": "main", "resolution": resolution}])
    osd = await client.get_osd(IPC1)
    assert "date" in osd
    await client.set_osd(IPC1, {"date": {"ifShow": False}})
    assert await client.get_osd_capability(IPC1)
    assert await client.get_capability(IPC1.with_channel(1))
    await client.reboot_device(IPC1)


async def test_nvr_channels_and_push_state(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim)
    channels = await client.get_channels(NVR0)
    assert [c.channel_id for c in channels] == [1, 2, 3, 4]
    states = await client.get_channel_push(NVR0)
    assert {s.channel_id: s.enabled for s in states}[2] is False
    await client.set_channel_push(NVR0, 2, True)
    states = await client.get_channel_push(NVR0)
    assert {s.channel_id: s.enabled for s in states}[2] is True


async def test_firmware(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim)
    ipc3 = DeviceRef(qr_code="16E00900000000003")
    assert await client.check_firmware([IPC1, ipc3]) == []
    infos = {i.qr_code: i for i in await client.get_upgrade_info([IPC1, ipc3])}
    assert infos[ipc3.qr_code].current
    assert await client.upgrade_firmware([ipc3]) == []
    info = (await client.get_upgrade_info([ipc3]))[0]
    assert info.upgrade_status is not None


async def test_push_subscription(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim)
    initial = await client.get_push_config()
    assert initial is None or not initial.enabled
    await client.set_push_config("http://127.0.0.82:8123/api/webhook/x", content_types=["a"])
    config = await client.get_push_config()
    assert config is not None
    assert config.enabled
    assert config.content_types == ("a",)
    await client.delete_push_config()
    config = await client.get_push_config()
    assert config is not None
    assert not config.enabled
