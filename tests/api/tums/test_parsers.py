"""Tolerant parsing of the documented answers (examples from the document)."""

from __future__ import annotations

import json

import pytest

from custom_components.business_cameras.api.errors import ProtocolError
from custom_components.business_cameras.api.tums import parsers as p


@pytest.mark.parametrize(
    ("text", "gb"),
    [
        ("2.5G", 2.5),
        ("3.5GB", 3.5),
        ("512M", 0.5),
        ("1.5T", 1536.0),
        ("10", 10.0),
        (" 7.25 g ", 7.25),
        (3, 3.0),
        ("", None),
        ("lots", None),
        (None, None),
        (True, None),
    ],
)
def test_size(text: object, gb: float | None) -> None:
    assert p.parse_size_gb(text) == gb


def test_scalars() -> None:
    assert p.to_int("3600") == 3600
    assert p.to_int(3600.0) == 3600
    assert p.to_int(True) is None
    assert p.to_int("1.5") is None
    assert p.to_bool("on") is True
    assert p.to_bool("0") is False
    assert p.to_bool(None) is None
    big = 576620008413343087
    assert p.id_text(big) == "576620008413343087"
    assert p.id_text(json.loads('{"a": 576620008413343087}')["a"]) == "576620008413343087"


def test_mac() -> None:
    assert p.normalise_mac("00-FF-00-17-00-18") == "00:ff:00:17:00:18"
    assert p.normalise_mac("00ff00170018") == "00:ff:00:17:00:18"
    assert p.normalise_mac("00-FF") is None
    assert p.api_mac("00:ff:00:17:00:18") == "00-FF-00-17-00-18"


def test_envelope_fail_list_both_levels() -> None:
    code, msg, env = p.parse_envelope(
        {
            "error_code": "0",
            "result": {"failList": [{"qrCode": "A", "error_code": -88315}]},
            "failList": [{"qrCode": "B", "error_code": -20571}, "junk"],
        },
        "/x",
    )
    assert code == 0
    assert msg == ""
    assert [f["qrCode"] for f in env.fail_list] == ["B", "A"]


def test_envelope_errors() -> None:
    code, msg, _ = p.parse_envelope({"error_code": -88315, "msg": "closed"}, "/x")
    assert (code, msg) == (-88315, "closed")
    with pytest.raises(ProtocolError):
        p.parse_envelope([], "/x")
    with pytest.raises(ProtocolError):
        p.parse_envelope({"result": {}}, "/x")
    _, _, env = p.parse_envelope({"error_code": 0, "result ": {"url": "u"}}, "/x")
    assert env.result == {"url": "u"}


def test_device_list_example() -> None:
    result = json.loads(
        '{"total":1,"list":[{"qrCode":"16E0091709B04C926","deviceName":"TL-IPC633-D4G 3.0",'
        '"deviceType":"SURVEILLANCECAMERA","deviceStatus":1,"openType":1,"openStatus":2,'
        '"deviceModel":"TL-IPC633-D4G","ip":"192.168.1.100","mac":"00-FF-00-17-00-18",'
        '"channelId":1,"parentMac":"00-FF-00-17-00-18","parentQrCode":"16E0091709B04C926"}]}'
    )
    total, devices = p.parse_device_page(result)
    assert total == 1
    device = devices[0]
    assert device.is_camera
    assert device.is_child
    assert device.online
    assert device.licensed
    assert device.ref().locator() == {"qrCode": "16E0091709B04C926", "mac": "00-FF-00-17-00-18"}


def test_device_unlicensed_and_status_strings() -> None:
    device = p.parse_device(
        {
            "mac": "00-FF-00-17-00-19",
            "deviceType": "NETWORKVIDEORECORDER",
            "deviceStatus": "0",
            "openStatus": "0",
        }
    )
    assert device is not None
    assert device.is_nvr
    assert not device.online
    assert not device.licensed
    assert p.parse_device({"deviceName": "x"}) is None


def test_channel_list_uses_channel_key() -> None:
    channels = p.parse_channel_list(
        {
            "channelNum": 128,
            "channelList": [
                {
                    "qrCode": "16E0091709B04C926",
                    "deviceName": "cam",
                    "deviceStatus": 1,
                    "openStatus": 1,
                    "mac": "00-FF-00-17-00-18",
                    "channel": 3,
                },
                {"deviceName": "no id", "channel": 4},
            ],
        }
    )
    assert [c.channel_id for c in channels] == [3]


def test_device_ref() -> None:
    ref = p.DeviceRef(mac="00:ff:00:17:00:18")
    assert ref.locator() == {"mac": "00-FF-00-17-00-18"}
    assert ref.with_channel(2).locator(channel=False) == {"mac": "00-FF-00-17-00-18"}
    assert ref.with_channel(2).device_id == "00:ff:00:17:00:18:ch2"
    with pytest.raises(ValueError, match="qrCode"):
        p.DeviceRef()


def test_sd_cards_example() -> None:
    cards = p.parse_sd_cards(
        {
            "cardInfoList": [
                {
                    "index": 1,
                    "permission": "rw",
                    "totalSpace": "3.5G",
                    "freeSpace": "2.5G",
                    "recordDuration": 3600,
                    "recordStartTime": "123456",
                    "status": "normal",
                },
                {
                    "index": 2,
                    "permission": "rw",
                    "totalSpace": "0G",
                    "freeSpace": "0G",
                    "status": "unformatted",
                },
            ]
        }
    )
    assert cards[0].total_gb == 3.5
    assert cards[0].free_gb == 2.5
    assert cards[0].record_start == 123456
    assert cards[0].to_disk().writable
    assert not cards[1].to_disk().writable


def test_streams_both_spellings() -> None:
    streams = p.parse_streams(
        {
            "streamInfoList": [
                {
                    "type": "main",
                    "encodeType": "H265",
                    "frameRate": 65561,
                    "bitrate": 3072,
                    "bitrateType": "vbr",
                    "resolution": "2304*1296",
                    "quality": 3,
                },
                {"type": "minor", "bitRate": "512", "bitRateType": "cbr", "resolution": "640*360"},
            ]
        }
    )
    assert streams["main"]["bitrate"] == 3072
    assert streams["minor"]["bitrate"] == 512
    assert "bitRate" not in streams["minor"]
    settings = p.stream_settings(streams["minor"])
    assert settings.bitrate_kbps == 512
    assert settings.bitrate_type == "cbr"
    assert p.frame_rate_fps(65561) == 25


def test_lamp_capability_spellings() -> None:
    merged = p.parse_supplement_lamp(
        {
            "supplementLampTypeList": ["infrared_lamp"],
            "nightVisonModeRange": ["auto"],
            "smartWhiteLampDigitalSupport": True,
        }
    )
    assert merged["supplementLampTypeList"] == ["infrared_lamp"]
    assert merged["nightVisionModeRange"] == ["auto"]
    assert merged["smartWhiteLampDigitalLevelSupport"] is True


def test_misc_results() -> None:
    assert p.parse_timing({"timingMode": "ntp", "serverIp": "pool.ntp.org"}).mode == "ntp"
    reboot = p.parse_timing_reboot({"ifOpen": True, "time": "00:00:01", "day": 0})
    assert (reboot.enabled, reboot.time, reboot.day) == (True, "00:00:01", 0)
    assert p.parse_loop({"ifLoop": False}) is False
    pushes = p.parse_channel_push(
        {"infoList": [{"channelId": 1, "deviceName": "a", "messagePushEnabled": True}]}
    )
    assert pushes[0].enabled
    firmware = p.parse_firmware(
        {
            "list": [
                {
                    "curFirmwareVer": "1.0.3",
                    "qrCode": "Q",
                    "mac": "00-FF-00-17-00-18",
                    "newFwInfo": {"fwVersion": "1.0.4"},
                    "upgradeStatus": 1,
                }
            ]
        }
    )
    assert firmware[0].update_available is True
    config = p.parse_push_config(
        {
            "appId": 2583,
            "serverUrl": "http://h/msg",
            "openMsgTransport": 1,
            "msgContentType": ["ipcDeviceOnline"],
        }
    )
    assert config.app_id == "2583"
    assert config.enabled
    assert "http://h/msg" not in repr(config)
    creds = p.parse_temp_credentials(
        {"tempAk": "ZWQz", "tempSk": "8d7e", "createTime": 1709108242, "expireTime": 1709111842},
        "/x",
    )
    assert creds.temporary
    assert creds.expires_at == 1709111842
    with pytest.raises(ProtocolError):
        p.parse_temp_credentials({"tempAk": "a"}, "/x")
    totals = p.parse_flow_totals({"currentTotalInFlow": 500, "currentTotalOutFlow": "50"})
    assert (totals.entered, totals.exited, totals.passed) == (500, 50, None)
    total, updated, rows = p.parse_flow_rows(
        {
            "total": 1,
            "lastUpdateTime": 1709192060,
            "list": [
                {
                    "startTime": 1,
                    "endTime": 2,
                    "inFlow": 80,
                    "outFlow": 40,
                    "passFlow": 120,
                    "regionId": 1140,
                }
            ],
        }
    )
    assert (total, updated, rows[0].entered, rows[0].region_id) == (1, 1709192060, 80, "1140")
    assert p.capability_flag({"ptz": "1", "led": 0, "x": True}, "ptz")
    assert not p.capability_flag({"ptz": "1", "led": 0, "x": True}, "led")
    assert not p.capability_flag({"x": True}, "x")
