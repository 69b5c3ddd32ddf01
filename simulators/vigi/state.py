"""Device state model of the simulated NVR (plain data, no I/O)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

MAIN_RESOLUTIONS = ("2560*1440", "1920*1080", "1280*720")
MINOR_RESOLUTIONS = ("640*480", "352*288", "320*240")
MAIN_BITRATES = ("1024", "1536", "2048", "3072", "4096", "6144")
MINOR_BITRATES = ("256", "384", "512", "768", "1024", "1536", "2048", "2560")
QUALITIES = ("5", "3", "1")
DELAY_TIMES = ("5", "10", "30", "60", "120", "300", "600")
LINK_MODES = ("half_10", "full_10", "half_100", "full_100")
RECORD_HISTORY_DAYS = 60
SEARCH_PROCESSES = 8


@dataclass
class Stream:
    """Encoder settings of one stream (main or minor)."""

    resolution: str
    bitrate: str
    type: str = "vbr"
    quality: str = "5"


@dataclass
class AudioOut:
    """Camera speaker settings."""

    mute: str = "off"
    volume: int = 60


@dataclass
class AudioIn:
    """Camera microphone settings."""

    mute: str = "off"
    volume: int = 50
    noise_cancelling: str = "off"


@dataclass
class IpcAlarm:
    """Alarm output of a camera (V1.4) and its manual activation."""

    alarm_name: str = "Alarm Out"
    delay_time: str = "10"
    enabled: str = "on"
    manual_supported: bool = True
    active_until: float | None = None  # time.monotonic() deadline

    @property
    def active(self) -> bool:
        """Whether a manual alarm is still running."""
        return self.active_until is not None and time.monotonic() < self.active_until


@dataclass
class Channel:
    """One NVR channel with its added camera."""

    id: int
    name: str
    alias: str
    ip: str
    mac: str
    online: bool = True
    main: Stream = field(default_factory=lambda: Stream("1920*1080", "4096"))
    minor: Stream = field(default_factory=lambda: Stream("640*480", "1024"))
    audio_out: AudioOut = field(default_factory=AudioOut)
    audio_in: AudioIn = field(default_factory=AudioIn)
    speaker: bool = True
    microphone: bool = True
    alarm: IpcAlarm = field(default_factory=IpcAlarm)

    def stream(self, name: str) -> Stream:
        """The main or minor stream."""
        return self.main if name == "main" else self.minor


@dataclass
class Disk:
    """An internal (or eSATA) disk."""

    id: int
    slot: int
    total_gb: int = 698
    free_gb: int = 120
    status: str = "normal"
    rw_attr: str = "rw"
    smart_test: str | None = None
    smart_test_started: float = 0.0


@dataclass
class PoePort:
    """One PoE port."""

    port: int
    enable: str = "on"
    priority: str = "0"
    max_port_power: int = 300
    link_mode: str = "full_100"
    linked: bool = False
    cost: int = 0
    status: int = 0


@dataclass
class EventServer:
    """A registered event (push) server."""

    id: int
    ip_or_domain: str
    port: int
    url: str
    protocol: str
    picture_switch: str

    def as_json(self) -> dict[str, Any]:
        """The GET /openapi/event_server entry."""
        return {
            "id": self.id,
            "ip_or_domain": self.ip_or_domain,
            "port": self.port,
            "url": self.url,
            "protocol": self.protocol,
            "picture_switch": self.picture_switch,
        }


@dataclass
class PushRecord:
    """The outcome of one push attempt to one event server."""

    server_id: int
    target: str
    status: int | None
    error: str | None = None


def _default_channel(n: int) -> Channel:
    # Channel 2 carries a non-ASCII name with '&' so clients must percent-decode UTF-8.
    name = "Entrée & Hof" if n == 2 else f"IPC{n} OSD"
    return Channel(
        id=n,
        name=name,
        alias=f"IPC{n}",
        ip=f"192.168.0.{n + 1}",
        mac=f"00-ff-00-13-31-{n:02x}",
    )


@dataclass
class NvrState:
    """Everything the NVR remembers; rebuilt by a factory reset."""

    device_name: str
    device_id: str
    channels: dict[int, Channel]
    disks: list[Disk]
    esata_disks: list[Disk]
    poe: list[PoePort]
    system_volume: int = 60
    timing_mode: str = "manual"
    ntp_server: str = "0.0.0.0"
    ntp_port: int = 123
    sys_power: int = 1130
    event_servers: dict[int, EventServer] = field(default_factory=dict)
    smartctl_running: bool = False
    next_process: int = 0
    processes: set[int] = field(default_factory=set)
    pushes: list[PushRecord] = field(default_factory=list)
    push_failures: int = 0
    push_delivered: int = 0

    @classmethod
    def build(
        cls, *, name: str, device_id: str, channels: int, disks: int, poe_ports: int
    ) -> NvrState:
        """Default state of an NVR with the given hardware."""
        poe = [PoePort(port=p) for p in range(1, poe_ports + 1)]
        for port in poe[: min(channels, poe_ports)]:
            port.linked, port.cost, port.status = True, 35 + port.port, 1
        return cls(
            device_name=name,
            device_id=device_id,
            channels={n: _default_channel(n) for n in range(1, channels + 1)},
            disks=[Disk(id=i, slot=i - 1) for i in range(1, disks + 1)],
            esata_disks=[],
            poe=poe,
        )

    def allocate_process(self) -> int:
        """Hand out a recording-search process ID (round robin over a small pool)."""
        self.next_process = self.next_process % SEARCH_PROCESSES + 1
        self.processes.add(self.next_process)
        return self.next_process

    def summary(self) -> dict[str, Any]:
        """A JSON-able view for the control API."""
        return {
            "device_name": self.device_name,
            "device_id": self.device_id,
            "channels": {
                n: {
                    "name": ch.name,
                    "online": ch.online,
                    "audio_out": {"mute": ch.audio_out.mute, "volume": ch.audio_out.volume},
                    "audio_in": {
                        "mute": ch.audio_in.mute,
                        "volume": ch.audio_in.volume,
                        "noise_cancelling": ch.audio_in.noise_cancelling,
                    },
                    "main": vars(ch.main),
                    "minor": vars(ch.minor),
                }
                for n, ch in self.channels.items()
            },
            "audio": {"system_volume": self.system_volume},
            "alarms": {
                n: {
                    "active": ch.alarm.active,
                    "alarm_name": ch.alarm.alarm_name,
                    "delay_time": ch.alarm.delay_time,
                    "enabled": ch.alarm.enabled,
                }
                for n, ch in self.channels.items()
            },
            "event_servers": [s.as_json() for s in sorted(self.event_servers.values(), key=_id)],
            "poe": [vars(p) for p in self.poe],
            "disks": [
                {k: v for k, v in vars(d).items() if not k.startswith("smart")} for d in self.disks
            ],
            "timing_mode": self.timing_mode,
            "ntp": {"server": self.ntp_server, "port": self.ntp_port},
            "smartctl_running": self.smartctl_running,
            "push": {"delivered": self.push_delivered, "failures": self.push_failures},
        }


def _id(server: EventServer) -> int:
    return server.id


# -- recordings: deterministic fake history ---------------------------------------------
def recording_days(channel: int, first: date, last: date) -> list[date]:
    """Days with recordings for a channel: the last 60 days, minus a few gaps."""
    today = date.today()
    start = max(first, today - timedelta(days=RECORD_HISTORY_DAYS))
    days = []
    day = start
    while day <= min(last, today):
        if (day.toordinal() + channel) % 9:
            days.append(day)
        day += timedelta(days=1)
    return days


def recording_segments(channel: int, day: date) -> list[tuple[int, int]]:
    """(start, end) epoch seconds of the smallest playable units on a day.

    Some days have more than 100 units, which the document says cannot be fetched.
    """
    if day not in recording_days(channel, day, day):
        return []
    count = 10 + (day.toordinal() * 7 + channel * 13) % 95
    midnight = datetime.combine(day, datetime.min.time()).timestamp()
    step = 86400 // (count + 1)
    return [
        (int(midnight) + i * step, int(midnight) + i * step + step // 2 + (i * 37) % (step // 3))
        for i in range(count)
    ]
