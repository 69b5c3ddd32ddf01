"""Response parsers against the document's examples, and their failure modes."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import pytest

from custom_components.business_cameras.api.errors import ProtocolError
from custom_components.business_cameras.api.model import (
    AudioSettings,
    Disk,
    EventServer,
    PoePort,
)
from custom_components.business_cameras.api.vigi import parsers as p

from . import doc_vectors as doc


def decoded(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = p.decode_strings(data)
    return result


def test_percent_decoding_of_document_strings() -> None:
    data = {"a": "IPC%20OSD", "b": ["698%20GB", {"c": "30%25"}], "n": 5, "x": None}
    assert p.decode_strings(data) == {
        "a": "IPC OSD",
        "b": ["698 GB", {"c": "30%"}],
        "n": 5,
        "x": None,
    }
    # Decoding happens once: an encoded percent stays a percent, '+' stays '+'.
    assert p.decode_strings("30%2525+1") == "30%25+1"
    assert p.decode_strings("Entr%C3%A9e%20%26%20Hof") == "Entrée & Hof"


def test_percent_encoding_of_request_bodies() -> None:
    body = {"resolution": "320*240", "name": "a b/ü", "channel": 1, "list": ["x y"]}
    assert p.encode_strings(body) == {
        "resolution": "320%2A240",
        "name": "a%20b%2F%C3%BC",
        "channel": 1,
        "list": ["x%20y"],
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [("698 GB", 698.0), ("698GB", 698.0), (" 1.5 TB", 1536.0), ("512 MB", 0.5), (12, 12.0)],
)
def test_sizes(value: object, expected: float) -> None:
    assert p.parse_size_gb(value) == expected


@pytest.mark.parametrize("value", ["", "None", "lots", None, True, [1]])
def test_unreadable_sizes(value: object) -> None:
    assert p.parse_size_gb(value) is None


@pytest.mark.parametrize(
    ("value", "expected"), [(1, 1), ("1", 1), (" 7 ", 7), (2.0, 2), ("3.0", 3)]
)
def test_tolerant_integers(value: object, expected: int) -> None:
    assert p.to_int(value, "x", "n") == expected


@pytest.mark.parametrize("value", [True, "one", 1.5, None, [1]])
def test_bad_integers(value: object) -> None:
    with pytest.raises(ProtocolError, match="^x: n"):
        p.to_int(value, "x", "n")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("00-ff-00-13-31-01", "00:ff:00:13:31:01"),
        ("00:FF:00:13:31:01", "00:ff:00:13:31:01"),
        ("00FF00133101", "00:ff:00:13:31:01"),
        ("00-ff", None),
        ("", None),
        (None, None),
    ],
)
def test_mac_normalisation(value: str | None, expected: str | None) -> None:
    assert p.normalise_mac(value) == expected


def test_added_devices_example() -> None:
    channels = p.parse_added_devices(decoded(doc.ADDED_DEVICES))
    assert channels == [
        p.Channel(
            id=1,
            name="IPC OSD",
            alias="IPC",
            online=True,
            ip="192.168.0.2",
            mac="00:ff:00:13:31:01",
        )
    ]
    offline = {"devices": [{"id": "2", "online": "0", "name": "x", "mac": "junk"}]}
    assert p.parse_added_devices(offline)[0] == p.Channel(2, "x", None, False, None, None)


def test_disks_example() -> None:
    assert p.parse_disks(decoded(doc.DISKS)) == [
        Disk(id=1, slot=0, status="normal", total_gb=698.0, free_gb=120.0, writable=True)
    ]
    esata = {"disks": [{"total_space": "1 TB", "status": "Full", "rw_attr": "r"}]}
    assert p.parse_disks(esata, "esata_disks") == [
        Disk(id=1, slot=None, status="full", total_gb=1024.0, free_gb=None, writable=False)
    ]
    assert p.parse_disks({"error_code": 0}) == []


def test_poe_examples_merge_into_ports() -> None:
    info = p.parse_poe_info(decoded(doc.POE_INFO))
    status = p.parse_poe_status(decoded(doc.POE_STATUS))
    links = p.parse_poe_link_status(decoded(doc.POE_LINK_STATUS))
    assert (status.total_w, status.used_w) == (113.0, 0.0)
    assert links == {1: False, 2: False, 3: False, 4: False, 5: True, 6: False, 7: True, 8: False}
    ports = p.merge_poe(info, status, links)
    assert ports == [
        PoePort(port=1, enabled=True, status=0, power_w=0.0, max_power_w=30.0, linked=False),
        PoePort(port=2, enabled=False, status=5, power_w=4.5, max_power_w=20.0, linked=False),
    ]
    assert ports[1].faulted
    assert p.merge_poe(info, None, None)[0] == PoePort(port=1, enabled=True, max_power_w=30.0)


def test_poe_status_as_one_flat_object() -> None:
    flat = {"status": {"global": {"sys_power": "10"}, "port3": {"cost": 20, "status": "1"}}}
    status = p.parse_poe_status(flat)
    assert status == p.PoeStatus(total_w=1.0, used_w=None, ports={3: (2.0, 1)})


def test_poe_link_mode() -> None:
    data = {"link_mode": [{"port": 1, "link_mode": "full_100"}]}
    assert p.parse_poe_link_mode(data) == {1: "full_100"}


def test_audio_examples() -> None:
    assert p.parse_audio_output(decoded(doc.AUDIO_OUTPUT)) == AudioSettings(
        muted=True, volume=60, system_volume=60
    )
    assert p.parse_audio_input(decoded(doc.AUDIO_INPUT)) == AudioSettings(
        muted=False, volume=50, noise_cancelling=False
    )
    capability = p.parse_audio_capability({"speaker_enable": 1, "microphone_enable": "0"}, "x")
    assert capability == p.AudioCapability(speaker=True, microphone=False)


def test_video_examples() -> None:
    assert p.parse_bitrate(decoded(doc.BITRATE)) == p.Bitrate(
        max_kbps=1024, type="vbr", quality="5"
    )
    capability = p.parse_bitrate_capability(decoded(doc.BITRATE_CAPABILITY))
    assert capability.bitrates[0] == 256
    assert capability.qualities == ["5", "3", "1"]
    assert p.parse_valid_resolutions(decoded(doc.VALID_RESOLUTIONS)) == ["640*480", "352*288"]
    assert p.parse_resolution({"resolution": "640*480"}) == "640*480"


def test_time_examples() -> None:
    assert p.parse_timing_mode(doc.TIMING_MODE) == "manual"
    assert p.parse_ntp(doc.NTP) == p.NtpConfig(server="0.0.0.0", port=999)  # noqa: S104


def test_event_server_example() -> None:
    servers = p.parse_event_servers(decoded(doc.EVENT_SERVER))
    assert servers[0] == EventServer(
        id=1, host="192.168.137.1", port=3001, path="XX", protocol="HTTPS", picture=True
    )
    assert [server.id for server in servers] == [1, 2]
    assert p.parse_event_servers({"error_code": 0}) == []


def test_module_list_and_alarms() -> None:
    modules = p.parse_module_list({"module_list": [{"name": "audio", "version": 2}]})
    assert modules == [p.Module(name="audio", version=2)]
    alarms = p.parse_batch_ipc_alarm(
        {
            "alarm_output": [
                {
                    "channel": 1,
                    "alarm_name": "Siren",
                    "delay_time": "10",
                    "enabled": "on",
                    "manual_alarm_out_supported": "1",
                },
                {"channel": "2", "manual_alarm_out_supported": "0"},
            ]
        }
    )
    assert alarms[0] == p.IpcAlarm(1, "Siren", "10", True, True)
    assert alarms[1] == p.IpcAlarm(2, None, None, None, False)
    assert p.parse_timer({"timer": "10"}, "x") == 10


@pytest.mark.parametrize(
    ("parser", "data", "endpoint"),
    [
        (p.parse_added_devices, {"devices": {"id": 1}}, "added_devices"),
        (p.parse_added_devices, {"devices": [1, 2]}, "added_devices"),
        (p.parse_added_devices, {"devices": [{"name": "no id"}]}, "added_devices"),
        (p.parse_added_devices, {}, "added_devices"),
        (p.parse_added_devices, {"devices": [{"id": 1, "online": "maybe"}]}, "added_devices"),
        (p.parse_disks, {"disks": "none"}, "disks"),
        (p.parse_poe_info, {"info": [{"port": 1}]}, "poe/info"),
        (p.parse_poe_status, {"status": [["port1"]]}, "poe/status"),
        (p.parse_poe_status, {"status": [{"port1": 5}]}, "poe/status"),
        (p.parse_poe_status, {}, "poe/status"),
        (p.parse_poe_link_status, {"link_status": "01x"}, "poe/link_status"),
        (p.parse_audio_output, {"volume": 1}, "audio/output/sound"),
        (p.parse_audio_input, {"mute": "off", "volume": "loud"}, "audio/input/sound"),
        (p.parse_bitrate, {"maximun_bitrate": "fast"}, "bitrate"),
        (p.parse_bitrate_capability, {"valid_bitrates": "256"}, "bitrate_capability"),
        (p.parse_resolution, {}, "resolution"),
        (p.parse_timing_mode, {"mode": ["ntp"]}, "timing_mode"),
        (p.parse_ntp, {"port": 1}, "ntp"),
        (p.parse_event_servers, {"event_server": [{"ip_or_domain": "x"}]}, "event_server"),
        (p.parse_module_list, {"module_list": None}, "module_list"),
        (p.parse_batch_ipc_alarm, {"alarm_output": [{}]}, "alarm_output/batch_get_ipc_alarm"),
    ],
)
def test_wrong_shapes_raise_protocol_error_naming_the_endpoint(
    parser: Callable[[dict[str, Any]], object], data: dict[str, Any], endpoint: str
) -> None:
    with pytest.raises(ProtocolError, match=f"^{endpoint}: "):
        parser(data)


JUNK: list[Any] = [None, 0, -1, 1.5, True, "", "x", "on", [], [None], [{}], {}, {"a": 1}, [[1]]]
PARSERS: list[tuple[Callable[[dict[str, Any]], object], dict[str, Any]]] = [
    (p.parse_added_devices, doc.ADDED_DEVICES),
    (p.parse_disks, doc.DISKS),
    (p.parse_poe_info, doc.POE_INFO),
    (p.parse_poe_status, doc.POE_STATUS),
    (p.parse_poe_link_status, doc.POE_LINK_STATUS),
    (p.parse_audio_output, doc.AUDIO_OUTPUT),
    (p.parse_audio_input, doc.AUDIO_INPUT),
    (p.parse_bitrate, doc.BITRATE),
    (p.parse_bitrate_capability, doc.BITRATE_CAPABILITY),
    (p.parse_valid_resolutions, doc.VALID_RESOLUTIONS),
    (p.parse_timing_mode, doc.TIMING_MODE),
    (p.parse_ntp, doc.NTP),
    (p.parse_event_servers, doc.EVENT_SERVER),
    (p.parse_module_list, {"module_list": [{"name": "audio", "version": 1}]}),
    (p.parse_batch_ipc_alarm, {"alarm_output": [{"channel": 1, "enabled": "on"}]}),
]


def _variants(value: Any) -> list[Any]:
    """The value with each nested field (one at a time) replaced by every junk value."""
    found: list[Any] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found += [{**value, key: junk} for junk in JUNK]
            found += [{**value, key: variant} for variant in _variants(item)]
    elif isinstance(value, list) and value:
        found += [[variant, *value[1:]] for variant in _variants(value[0])]
    return found


@pytest.mark.parametrize(("parser", "example"), PARSERS)
def test_junk_never_escapes_as_anything_but_protocol_error(
    parser: Callable[[dict[str, Any]], object], example: dict[str, Any]
) -> None:
    for variant in _variants(example):
        with contextlib.suppress(ProtocolError):
            parser(variant)
