"""VigiClient against the simulated NVR over real TLS on loopback."""

from __future__ import annotations

import asyncio
import logging

import pytest

from custom_components.business_cameras.api.errors import (
    ApiError,
    AuthError,
    CertificateMismatchError,
    ConnectError,
    LockedError,
    ProtocolError,
    UnsupportedError,
)
from custom_components.business_cameras.api.model import AudioSettings
from custom_components.business_cameras.api.vigi import codes, fetch_certificate_fingerprint
from custom_components.business_cameras.api.vigi.client import normalise_fingerprint

from .conftest import PASSWORD, ClientFactory, SimFactory, total_requests

HOST = "127.0.0.11"
TOKEN = "GET /openapi/token"


@pytest.mark.parametrize("challenge_status", [401, 200])
@pytest.mark.parametrize("algorithm", ["SHA-256", "MD5"])
async def test_login_with_both_challenge_statuses(
    make_sim: SimFactory, make_client: ClientFactory, challenge_status: int, algorithm: str
) -> None:
    sim = await make_sim(HOST, challenge_status=challenge_status, digest_algorithm=algorithm)
    client = make_client(sim)
    await client.login()
    assert sim.requests[TOKEN] == 2
    assert sim.auth.logins == 1
    channels = await client.added_devices()
    assert [channel.id for channel in channels] == [1, 2, 3, 4]
    assert channels[1].name == "Entrée & Hof"
    assert channels[0].mac == "00:ff:00:13:31:01"
    assert sim.requests[TOKEN] == 2


async def test_fetch_certificate_fingerprint(make_sim: SimFactory) -> None:
    sim = await make_sim(HOST)
    assert await fetch_certificate_fingerprint(sim.host, sim.port, 5.0) == sim.fingerprint
    assert total_requests(sim) == 0  # only a TLS handshake, no HTTP request


async def test_fetch_certificate_fingerprint_unreachable() -> None:
    with pytest.raises(ConnectError):
        await fetch_certificate_fingerprint(HOST, 1, 2.0)


async def test_fingerprint_mismatch(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    other = "ab" * 32
    client = make_client(sim, fingerprint=other.upper())
    with pytest.raises(CertificateMismatchError) as caught:
        await client.login()
    assert (caught.value.expected, caught.value.got) == (other, sim.fingerprint)
    assert total_requests(sim) == 0


async def test_no_fingerprint_means_normal_verification(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    sim = await make_sim(HOST)
    with pytest.raises(ConnectError):
        await make_client(sim, fingerprint=None).login()
    assert total_requests(sim) == 0


def test_fingerprint_normalisation() -> None:
    colons = ":".join(["AB"] * 32)
    assert normalise_fingerprint(colons) == "ab" * 32
    with pytest.raises(ValueError, match="SHA-256"):
        normalise_fingerprint("abcd")


async def test_wrong_password(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim, password="wrong")
    with pytest.raises(AuthError) as caught:
        await client.added_devices()
    assert caught.value.code == -40401
    assert "wrong" not in str(caught.value)
    assert sim.requests["GET /openapi/added_devices"] == 0


async def test_unknown_user(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    with pytest.raises(AuthError) as caught:
        await make_client(sim, username="nobody").login()
    assert caught.value.code == -70302


async def test_lockout_stops_all_further_login_traffic(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    sim = await make_sim(HOST, max_failures=2)
    client = make_client(sim, password="wrong")
    for _ in range(2):
        with pytest.raises(AuthError):
            await client.login()
    with pytest.raises(LockedError) as caught:
        await client.login()
    assert caught.value.code == -40404
    assert caught.value.retry_after == codes.LOCKOUT_SECONDS
    seen = total_requests(sim)
    for call in (client.login, client.added_devices, client.disks):
        with pytest.raises(LockedError) as again:
            await call()
        assert 0 < again.value.retry_after <= codes.LOCKOUT_SECONDS
    assert total_requests(sim) == seen


async def test_lockout_expires(make_sim: SimFactory, make_client: ClientFactory) -> None:
    now = [1000.0]
    sim = await make_sim(HOST, max_failures=1, lockout_seconds=0.1)
    client = make_client(sim, clock=lambda: now[0], password="wrong")
    with pytest.raises(AuthError):
        await client.login()  # the failure that locks the account
    with pytest.raises(LockedError):
        await client.login()  # the device says locked; the client remembers for 300 s
    await asyncio.sleep(0.1)  # the device's own lock is over
    seen = total_requests(sim)
    now[0] += 299
    with pytest.raises(LockedError):
        await client.login()
    assert total_requests(sim) == seen
    now[0] += 2
    with pytest.raises(AuthError):
        await client.login()  # tried again (and still wrong)
    assert total_requests(sim) == seen + 2


async def test_expired_token_means_exactly_one_relogin(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim)
    await client.disks()
    sim.expire_tokens()
    disks = await client.disks()
    assert disks[0].total_gb == 698.0
    assert sim.auth.logins == 2
    assert sim.requests[TOKEN] == 4
    assert sim.requests["GET /openapi/disks"] == 3


async def test_restart_means_one_relogin(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim)
    await client.timing_mode()
    sim.restart()
    assert await client.timing_mode() == "manual"
    assert sim.auth.logins == 2


async def test_no_login_loop_when_tokens_keep_failing(
    make_sim: SimFactory, make_client: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim)
    await client.login()
    original = sim.auth.issue

    def issue_expired() -> object:
        pair = original()
        sim.auth.forced_expired.add(pair.access)
        return pair

    monkeypatch.setattr(sim.auth, "issue", issue_expired)
    sim.expire_tokens()
    with pytest.raises(ApiError) as caught:
        await client.ntp()
    assert caught.value.code == -40403
    assert sim.auth.logins == 2  # the first login, and exactly one more
    assert sim.requests["GET /openapi/ntp"] == 2


async def test_refresh_near_expiry(make_sim: SimFactory, make_client: ClientFactory) -> None:
    now = [0.0]
    sim = await make_sim(HOST)
    client = make_client(sim, clock=lambda: now[0])
    await client.ntp()
    now[0] += 1800 - 59  # inside the 60 s margin
    await client.ntp()
    assert (sim.auth.logins, sim.auth.refreshes) == (1, 1)
    assert sim.requests[TOKEN] == 3


async def test_failed_refresh_falls_back_to_digest(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    now = [0.0]
    sim = await make_sim(HOST)
    client = make_client(sim, clock=lambda: now[0])
    await client.ntp()
    sim.expire_tokens(refresh=True)
    now[0] += 1800
    await client.ntp()
    assert (sim.auth.logins, sim.auth.refreshes) == (2, 0)


async def test_concurrent_calls_log_in_once(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    sim = await make_sim(HOST, channels=8)
    client = make_client(sim)
    results = await asyncio.gather(*(client.audio_output(n) for n in range(1, 9)))
    assert len(results) == 8
    assert sim.auth.logins == 1
    sim.expire_tokens()
    await asyncio.gather(*(client.audio_input(n) for n in range(1, 9)))
    assert sim.auth.logins == 2


async def test_module_list_and_v14_calls(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim)
    modules = await client.module_list()
    assert modules is not None
    assert "alarm_output" in {module.name for module in modules}
    capability = await client.audio_capability()
    assert capability.speaker
    assert (await client.audio_channel_capability(1)).microphone
    alarms = await client.batch_get_ipc_alarm()
    assert [alarm.manual_supported for alarm in alarms] == [True] * 4
    assert await client.ipc_manual_alarm(2, "start") == 10
    assert sim.state.channels[2].alarm.active


async def test_v10_firmware_has_no_module_list(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    sim = await make_sim(HOST, firmware="1.0")
    client = make_client(sim)
    assert await client.module_list() is None
    with pytest.raises(UnsupportedError):
        await client.snapshot(1)


async def test_snapshot(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim)
    image = await client.snapshot(1)
    assert image.startswith(b"\xff\xd8")
    sim.set_channel_online(2, False)
    with pytest.raises(ApiError) as caught:
        await client.snapshot(2)
    assert caught.value.code == -40110


async def test_settings_round_trip(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim)
    await client.set_audio_output(1, AudioSettings(muted=True, volume=43, system_volume=76))
    assert await client.audio_output(1) == AudioSettings(muted=True, volume=43, system_volume=76)
    await client.set_audio_input(3, AudioSettings(muted=False, volume=7, noise_cancelling=True))
    assert sim.state.channels[3].audio_in.noise_cancelling == "on"
    resolutions = await client.valid_resolutions(1, "minor")
    await client.set_resolution(1, "minor", resolutions[-1])
    assert await client.resolution(1, "minor") == resolutions[-1]
    capability = await client.bitrate_capability(1, "sub")
    await client.set_bitrate(1, "minor", capability.bitrates[0], "cbr", capability.qualities[0])
    bitrate = await client.bitrate(1, "minor")
    assert (bitrate.max_kbps, bitrate.type) == (capability.bitrates[0], "cbr")
    await client.set_timing_mode("ntp")
    await client.set_ntp("192.168.1.1", 123)
    assert (await client.ntp()).server == "192.168.1.1"
    await client.set_poe_port(3, enabled=False, priority="1", max_port_power=150)
    info = {item.port: item for item in await client.poe_info()}
    assert (info[3].enabled, info[3].max_port_power) == (False, 150)
    await client.set_poe_link_mode(2, "full_10")
    assert (await client.poe_link_mode())[2] == "full_10"
    assert (await client.poe_status()).ports[3] == (0.0, 2)
    assert (await client.poe_link_status())[1] is True
    assert await client.esata_disks() == []
    with pytest.raises(ApiError) as caught:
        await client.set_resolution(1, "main", "1*1")
    assert caught.value.code == -70908


async def test_http_500_and_malformed_json(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim)
    await client.login()
    sim.inject_fault("http500", path="/openapi/added_devices")
    with pytest.raises(ProtocolError, match="HTTP 500"):
        await client.added_devices()
    sim.inject_fault("malformed_json", path="/openapi/added_devices")
    with pytest.raises(ProtocolError, match="not a JSON object"):
        await client.added_devices()
    assert len(await client.added_devices()) == 4
    assert sim.auth.logins == 1


async def test_malformed_token_answer(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    sim.inject_fault("http500", path="/openapi/token")
    with pytest.raises(ProtocolError):
        await make_client(sim).login()


async def test_timeout_is_a_connect_error(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim, timeout=0.3)
    await client.login()
    sim.inject_fault("timeout", path="/openapi/disks")
    with pytest.raises(ConnectError, match="no answer within"):
        await client.disks()


async def test_refused_connection(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim)
    await sim.stop()
    with pytest.raises(ConnectError) as caught:
        await client.login()
    assert PASSWORD not in str(caught.value)


async def test_no_secrets_in_logs_or_errors(
    make_sim: SimFactory, make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    now = [0.0]
    sim = await make_sim(HOST)
    client = make_client(sim, clock=lambda: now[0])
    await client.login()
    tokens = [client._tokens.access_token, client._tokens.refresh_token]
    now[0] += 1790
    await client.disks()  # refresh
    tokens += [client._tokens.access_token, client._tokens.refresh_token]
    sim.inject_fault("malformed_json", path="/openapi/disks")
    with pytest.raises(ProtocolError) as caught:
        await client.disks()
    sim.expire_tokens(refresh=True)
    now[0] += 1790
    await client.disks()
    secrets = [PASSWORD, *(token for token in tokens if token)]
    for secret in secrets:
        assert secret not in caplog.text
        assert secret not in str(caught.value)
