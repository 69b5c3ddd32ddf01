"""The simulated TUMS account: application, regions, devices and their settings."""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from typing import Any

from .recordings import Recordings
from .solar import SolarState

IPC_TYPE = "SURVEILLANCECAMERA"
NVR_TYPE = "NETWORKVIDEORECORDER"
SOLAR_TYPE = "VIDEO.SOLARPOWER"  # table 1.4.3.1-1
NVR_EVERY = 10  # every 10th top-level device is an NVR
NVR_CHANNELS = 8  # channelNum of each NVR
NVR_CONNECTED = 4  # channels with a bound IPC
FIRMWARE = "1.0.3 Build 220528 Rel.55868n"
NEW_FIRMWARE = "1.1.0 Build 240101 Rel.10001n"
DEFAULT_REGION_ID = "20000000001"  # 64-bit-sized ids, sent as numeric strings (source 1.4.2)

# alarmType values of 1.4.8.1
ALARM_TYPES = frozenset({2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 18, 20, 22, 23, 29, 40})
DEFAULT_DETECTION_ON = frozenset({2})  # motion detection is on out of the box


@dataclass(frozen=True)
class Model:
    """What a camera model supports: alarm in/out ports (1.4.3.2) and detections (1.4.8.1)."""

    alarm_in: bool
    alarm_out: bool
    alarm_types: frozenset[int]


MODELS: dict[str, Model] = {
    # directly bound cameras: alarm input and output ports, every detection but e-bike/post
    "VIGI C540": Model(True, True, ALARM_TYPES - {29, 40}),
    # NVR channel cameras: no alarm ports, basic detections only
    "VIGI C340": Model(False, False, frozenset({2, 3, 4, 5, 6, 7, 20, 22})),
}
NO_FEATURES = Model(False, False, frozenset())

_FRAME_RATES = ["65537", "65541", "65546", "65551", "65556", "65561", "65566"]


def _default_settings(index: int) -> dict[str, Any]:
    return {
        "osd": {
            "date": {"horizontalCoordinate": 1000, "verticalCoordinate": 500, "ifShow": True},
            "week": {"horizontalCoordinate": 6000, "verticalCoordinate": 500, "ifShow": True},
            "font": {"colorType": "auto", "display": "ntnb", "color": "black", "size": "auto"},
            "labelInfoList": [
                {
                    "horizontalCoordinate": 6000,
                    "verticalCoordinate": 9000,
                    "ifShow": True,
                    "text": f"Camera {index}",
                    "labelName": "label_info_1",
                    "ifLinkToDev": True,
                    "alignType": "0",
                }
            ],
        },
        "image": {
            "flip": "off",
            "luma": 50,
            "contrast": 50,
            "saturation": 50,
            "sharpness": 50,
            "nightVisionMode": "md_night_vision",
            "whiteLamp": {
                "smartWhiteLampType": "auto_wtl",
                "smartWhiteLampLevel": 5,
                "smartWhiteLampDigitalLevel": 50,
            },
            "infrared": {"smartInfraredType": "auto_ir", "smartInfraredLevel": 50},
        },
        "streams": [
            {
                "type": "main",
                "encodeType": "H265",
                "frameRate": 65561,
                "bitrate": 3072,
                "bitrateType": "vbr",
                "resolution": "2304*1296",
                "quality": 3,
                "ifOpenSmartCodec": False,
                "virtualFrameNum": 5,
                "digitalQuality": 1,
            },
            {
                "type": "minor",
                "encodeType": "H265",
                "frameRate": 65561,
                "bitrate": 512,
                "bitrateType": "vbr",
                "resolution": "640*360",
                "quality": 3,
                "digitalQuality": 1,
            },
        ],
    }


def video_capability() -> dict[str, Any]:
    """1.4.4.16 result; key spellings as in the document's example."""
    main = {
        "type": "main",
        "encodeTypes": ["H264", "H265"],
        "frameRates": _FRAME_RATES,
        "bitrates": ["256", "512", "1024", "2048", "3072", "4096", "6144"],
        "bitrateTypes": ["cbr", "vbr"],
        "resolutions": ["2304*1296", "1920*1080", "1280*720"],
        "qualities": ["1", "2", "3"],
        "digitalQualityRange": ["1", "10"],
    }
    minor = {
        "type": "minor",
        "encodeTypes": ["H264", "H265"],
        "frameRates": _FRAME_RATES[:6],
        "bitrates": ["64", "128", "256", "512", "1024"],
        "bitrateTypes": ["cbr", "vbr"],
        "resolutions": ["640*360", "320*240"],
        "qualities": ["1", "2", "3"],
        "digitalQualityRange": ["1", "10"],
    }
    return {
        "thirdStreamSupport": False,
        "smartCodecCapabilitySupport": True,
        "digitalQualitySupport": True,
        "singleStreamSupport": False,
        "realTimePreview": False,
        "smartCodecCapability": {
            "virtualFrameNum": [str(n) for n in range(10)],
            "virtualFrameNumSupport": True,
        },
        "streamCapabilityList": [main, minor],
    }


def osd_capability() -> dict[str, Any]:
    """1.4.4.1 result (labelInfoMaxLength as strings, like the document's example)."""
    ranges = ["2", "5", "10", "always_open", "always_close"]
    return {
        "labelInfoNum": 1,
        "labelInfoMaxLength": ["16"],
        "positionLock": False,
        "dateSupport": True,
        "weekSupport": True,
        "displayMode": ["ntnb", "ntb", "tnb", "tb"],
        "fontSize": ["auto", "16*16", "32*32", "48*48", "64*64"],
        "fontColor": ["auto", "black", "white", "red", "green", "blue", "yellow"],
        "linkChnToDevSupport": True,
        "zoomSupport": False,
        "zoomDisplayRange": ranges,
        "azimuthSupport": False,
        "azimuthDisplayRange": ranges,
        "presetSupport": False,
        "presetDisplayRange": ranges,
        "limitSizeTo64Support": False,
        "labelInfoAlignSupport": True,
        "batteryLevelSupport": False,
    }


def lamp_capability() -> dict[str, Any]:
    """1.4.4.7 result, with the example's key spellings."""
    return {
        "supplementLampTypeList": ["infrared_lamp", "white_lamp"],
        "nightVisonModeRange": ["auto", "inf_night_vision", "wtl_night_vision", "md_night_vision"],
        "laserTypeList": [],
        "smartWhiteLampSupport": True,
        "smartWhiteLampDigitalSupport": True,
        "infraredSupport": True,
        "smartInfraredSupport": True,
        "infraredLedSupport": True,
    }


@dataclass
class Device:
    """An IPC, NVR or solar power device bound to the cloud, or an IPC on an NVR channel."""

    index: int
    qr_code: str
    mac: str
    name: str
    model: str
    device_type: str
    ip: str
    region_id: str
    online: bool = True
    licensed: bool = True
    parent: Device | None = None
    channel: int = 1
    channels: dict[int, Device] = field(default_factory=dict)
    channel_num: int = 0
    ptz: bool = False
    flow: bool = False
    firmware: str = FIRMWARE
    new_firmware: str | None = None
    fw_checked: bool = False
    upgrade_started: float | None = None
    upgrade_result: int = 0  # upgradeStatus once finished (4 or negative); 0 = none
    upgrade_finished: float = 0.0
    rebooting_until: float = 0.0
    settings: dict[str, Any] = field(default_factory=dict)
    # storage, time and scheduled-reboot settings (an NVR channel uses its NVR's storage)
    if_loop: bool = True
    timing_mode: str = "ntp"
    ntp_server: str = "pool.ntp.org"
    clock_offset: float = 0.0
    timing_reboot: dict[str, Any] = field(
        default_factory=lambda: {"ifOpen": False, "time": "03:00:00", "day": 0}
    )
    cards: list[dict[str, Any]] = field(default_factory=list)
    push_enabled: bool = True
    alarm_on: bool = False
    ptz_resets: int = 0
    reboots: int = 0
    # write-only alarm switches (1.4.8.3 to 1.4.8.5): alarmType -> on, alarm in/out "on"/"off"
    detection: dict[int, bool] = field(default_factory=dict)
    alarm_input: str = "off"
    alarm_output: str = "off"
    solar: SolarState | None = None
    recordings: Recordings | None = None  # created on first use (Account.recordings)

    def __post_init__(self) -> None:
        if self.is_camera and not self.detection:
            types = self.features.alarm_types
            self.detection = {t: t in DEFAULT_DETECTION_ON for t in sorted(types)}

    @property
    def is_nvr(self) -> bool:
        """True for an NVR."""
        return self.device_type == NVR_TYPE

    @property
    def is_camera(self) -> bool:
        """True for an IPC, bound directly or on an NVR channel."""
        return self.device_type == IPC_TYPE

    @property
    def features(self) -> Model:
        """Alarm ports and detections of the model."""
        return MODELS.get(self.model, NO_FEATURES)

    @property
    def status(self) -> int:
        """deviceStatus (table 1.4.3.1-2)."""
        return self.status_at(time.time())

    def status_at(self, now: float) -> int:
        """deviceStatus at a given wall-clock time (one clock read for a whole listing)."""
        if not self.online or (self.parent is not None and not self.parent.online):
            return 0
        if self.upgrade_started is not None:
            return 3
        if self.rebooting_until > now:
            return 2
        return 1

    @property
    def open_status(self) -> int:
        """openStatus: 0 restricted/closed, 2 paid."""
        return 2 if self.licensed else 0

    def list_item(self) -> dict[str, Any]:
        """An item of 1.4.3.10 (device-type app list)."""
        item: dict[str, Any] = {
            "qrCode": self.qr_code,
            "deviceName": self.name,
            "deviceType": self.device_type,
            "deviceStatus": self.status,
            "openType": 0 if self.solar is not None else 1,  # 1 = video device
            "openStatus": self.open_status,
            "deviceModel": self.model,
            "ip": self.ip,
            "mac": self.mac,
        }
        if self.parent is not None:
            item["parentMac"] = self.parent.mac
            item["parentQrCode"] = self.parent.qr_code
            item["channelId"] = self.channel
        elif self.is_camera:
            item["channelId"] = 1
        return item

    def capability(self) -> dict[str, Any]:
        """1.4.3.16 capability set (strings "0"/"1" as documented)."""
        if self.is_nvr:
            return {
                "playback_scale": "1",
                "msg_push": "1",
                "channel_talk": "0",
                "max_channels": self.channel_num,
                "relay_support_versions": ["1.3"],
                "video_codec": ["h264", "h265"],
                "audio": [],
            }
        capability: dict[str, Any] = {
            "led": "1",
            "local_storage": "1",
            "ptz": "1" if self.ptz else "0",
            "msg_push": "1",
            "msg_alarm": "1",
            "msg_alarm_list": ["sound", "light"],
            "smart_codec": "1",
            "relay_support_versions": ["1.3"],
            "video_codec": ["h264", "h265"],
            "audio": ["speaker", "microphone"],
        }
        # a missing key means "not supported" (table 1.4.3.2-2)
        if self.features.alarm_in:
            capability["alarm_in_enable"] = "1"
        if self.features.alarm_out:
            capability["alarm_out_enable"] = "1"
        return capability

    def alarm_switches(self) -> dict[str, Any]:
        """The write-only switch state (for tests): detections, alarm input and output."""
        return {
            "detection": {str(t): self.detection[t] for t in sorted(self.detection)},
            "alarmInput": self.alarm_input if self.features.alarm_in else None,
            "alarmOutput": self.alarm_output if self.features.alarm_out else None,
        }


@dataclass
class Region:
    """A group (分组) of a project-type application."""

    region_id: str
    name: str
    parent_id: str
    order: int
    level: int
    region_type: int = 0


def _mac(prefix: int, index: int) -> str:
    octets = [0x00, prefix, (index >> 16) & 0xFF, (index >> 8) & 0xFF, index & 0xFF, 0x18]
    return "-".join(f"{o:02X}" for o in octets)


def _qr(prefix: str, index: int) -> str:
    return f"{prefix}{index:011X}"


class Account:
    """One application (device-type or project-type) and everything it can see."""

    def __init__(
        self,
        devices: int = 500,
        app_type: str = "device",
        app_id: str = "2583",
        *,
        solar: int = 0,
        recording_days: int = 2,
    ) -> None:
        if app_type not in ("device", "project"):
            raise ValueError("app_type must be 'device' or 'project'")
        self.app_type = app_type
        self.app_id = app_id
        self.regions: dict[str, Region] = {}
        self._next_region = 20000000002
        self.devices: list[Device] = []  # top-level devices, in bind order
        self.push_config: dict[str, Any] | None = None
        self.temp_credentials: dict[str, tuple[str, float]] = {}
        self.flow_sync_until = 0.0
        self.upgrade_seconds = 20.0
        self.recording_days = recording_days
        self.playback_user_id = 10  # 1.4.5.7 userId: one playback user per application
        self._upgrading: dict[int, Device] = {}  # id(device) -> device with an upgrade running
        self._by_qr: dict[str, Device] = {}
        self._by_mac: dict[str, Device] = {}
        self._indexed = 0
        if app_type == "project":
            self.regions[DEFAULT_REGION_ID] = Region(DEFAULT_REGION_ID, "默认分组", "0", 1, 1, 1)
            for name in ("Shop", "Warehouse"):
                root = self.add_region(name, "0")
                self.add_region(f"{name} entrance", root.region_id)
        region_ids = list(self.regions) or [""]
        for index in range(devices):
            self.devices.append(self._make_device(index, region_ids[index % len(region_ids)]))
        for number in range(solar):
            index = devices + number
            region_id = region_ids[index % len(region_ids)]
            self.devices.append(self._make_solar(number, index, region_id))

    def _make_device(self, index: int, region_id: str) -> Device:
        is_nvr = index % NVR_EVERY == 0
        device = Device(
            index=index,
            qr_code=_qr("16E009", index),
            mac=_mac(0xFF, index),
            name=f"NVR {index}" if is_nvr else f"IPC {index}",
            model="VIGI NVR1008H" if is_nvr else "VIGI C540",
            device_type=NVR_TYPE if is_nvr else IPC_TYPE,
            ip=f"10.{(index >> 8) & 255}.{index & 255}.{2 if is_nvr else 10}",
            region_id=region_id,
            ptz=not is_nvr and index % 2 == 1,
            flow=not is_nvr and index % 4 == 1,
            new_firmware=NEW_FIRMWARE if index % 3 == 0 else None,
        )
        device.cards = [self._card(1)]
        if is_nvr:
            device.channel_num = NVR_CHANNELS
            for channel in range(1, NVR_CONNECTED + 1):
                child_index = index * 100 + channel
                child = Device(
                    index=child_index,
                    qr_code=_qr("212076", child_index),
                    mac=_mac(0xFE, child_index),
                    name=f"NVR {index} channel {channel}",
                    model="VIGI C340",
                    device_type=IPC_TYPE,
                    ip=f"192.168.{index % 250}.{100 + channel}",
                    region_id=region_id,
                    parent=device,
                    channel=channel,
                    new_firmware=NEW_FIRMWARE if channel == 1 else None,
                    push_enabled=channel % 2 == 1,
                )
                child.settings = _default_settings(child_index)
                device.channels[channel] = child
        else:
            device.settings = _default_settings(index)
        return device

    @staticmethod
    def _make_solar(number: int, index: int, region_id: str) -> Device:
        state = SolarState.create(number, time.time())
        return Device(
            index=index,
            qr_code=_qr("5A1B00", index),
            mac=_mac(0xFD, index),
            name=f"Solar {number}",
            model="VIGI SOLAR-1L" if state.loads == 1 else f"VIGI SOLAR-{state.loads}L",
            device_type=SOLAR_TYPE,
            ip=f"10.{(index >> 8) & 255}.{index & 255}.20",
            region_id=region_id,
            solar=state,
        )

    @staticmethod
    def _card(index: int) -> dict[str, Any]:
        return {
            "index": index,
            "permission": "rw",
            "totalSpace": "119.1G",
            "freeSpace": "60.5G",
            "recordDuration": 3600 * 24 * 5,
            "recordStartTime": int(time.time()) - 3600 * 24 * 5,
            "status": "normal",
        }

    def start_upgrade(self, device: Device, now: float) -> None:
        """Begin a firmware upgrade that tick() finishes after upgrade_seconds."""
        device.upgrade_result = 0
        device.upgrade_started = now
        self._upgrading[id(device)] = device

    def tick(self, now: float) -> None:
        """Advance time-based work: firmware upgrades finish after upgrade_seconds.

        Only the devices with an upgrade running are looked at (this runs on every request).
        """
        for key, device in list(self._upgrading.items()):
            started = device.upgrade_started
            if started is None:
                del self._upgrading[key]
            elif now - started >= self.upgrade_seconds:
                del self._upgrading[key]
                device.upgrade_started = None
                device.upgrade_result = 4
                device.upgrade_finished = now
                device.firmware = device.new_firmware or device.firmware
                device.new_firmware = None
                device.fw_checked = False
                device.rebooting_until = now + 2

    def recordings(self, device: Device, now: float) -> Recordings:
        """A camera's recordings, with ``recording_days`` of history made on first use."""
        if device.recordings is None:
            device.recordings = Recordings(source_type=0 if device.parent is None else 1)
            device.recordings.fill_history(now, self.recording_days, device.index)
        return device.recordings

    def clear_recordings(self, owner: Device) -> None:
        """Formatting storage: no recordings and no made-up history for its cameras."""
        for camera in [owner, *owner.channels.values()]:
            camera.recordings = Recordings(source_type=0 if camera.parent is None else 1)

    # regions -----------------------------------------------------------------------------

    def add_region(self, name: str, parent_id: str, order: int | None = None) -> Region:
        """Create a group (validation is the caller's job)."""
        level = 1 if parent_id == "0" else self.regions[parent_id].level + 1
        siblings = self.children(parent_id)
        region_id = str(self._next_region)
        self._next_region += 1
        position = order if order is not None else len(siblings) + 1
        for sibling in siblings:
            if sibling.order >= position:
                sibling.order += 1
        region = Region(region_id, name, parent_id, position, level)
        self.regions[region_id] = region
        return region

    def children(self, parent_id: str) -> list[Region]:
        """Sibling groups under a parent, by order."""
        return sorted(
            (r for r in self.regions.values() if r.parent_id == parent_id), key=lambda r: r.order
        )

    def ancestors(self, region_id: str) -> list[Region]:
        """Top-most ancestor first, the group itself last."""
        chain: list[Region] = []
        current = self.regions.get(region_id)
        while current is not None:
            chain.insert(0, current)
            current = self.regions.get(current.parent_id)
        return chain

    def descendants(self, region_id: str) -> set[str]:
        """The group and all groups below it."""
        found = {region_id}
        for child in self.children(region_id):
            found |= self.descendants(child.region_id)
        return found

    # devices -----------------------------------------------------------------------------

    def all_devices(self) -> list[Device]:
        """Top-level devices followed by their channel devices."""
        result: list[Device] = []
        for device in self.devices:
            result.append(device)
            result.extend(device.channels.values())
        return result

    def find(self, device_id: str) -> Device | None:
        """A device (top-level or channel) by qrCode or MAC."""
        key = device_id.strip().upper().replace(":", "-")
        for device in self.all_devices():
            if key in (device.qr_code.upper(), device.mac):
                return device
        return None

    def _index(self) -> None:
        """(Re)build the qrCode/MAC lookup when the top-level device list has changed."""
        if self._indexed == len(self.devices):
            return
        self._by_qr = {d.qr_code: d for d in reversed(self.devices)}  # first bound wins
        self._by_mac = {d.mac: d for d in reversed(self.devices)}
        self._indexed = len(self.devices)

    def find_top(self, qr_code: str | None, mac: str | None) -> Device | None:
        """A top-level device by the locator rule: qrCode wins when both are given."""
        self._index()
        if qr_code:
            return self._by_qr.get(qr_code)
        if mac:
            return self._by_mac.get(mac)
        return None

    def settings_snapshot(self, device: Device) -> dict[str, Any]:
        """A deep copy of a device's settings (for tests)."""
        return copy.deepcopy(device.settings)
