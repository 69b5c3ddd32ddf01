"""A dashboard with a camera, a switch, a sensor and the events of each platform."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scripts import demo
from scripts.demo import HassApi

from .hass import Registry, ws
from .stack import SUNMI_FS, TUMS_IPC, VIGI_HUB, vigi_channel

URL_PATH = "business-cameras"
VIEW_PATH = "cameras"
VIGI_CHANNEL = vigi_channel(1)


ROWS = ("switch", "sensor", "motion", "event")  # the order of each entities card's rows


@dataclass(frozen=True)
class Platform:
    """One platform's column: a camera card (where it has a camera) and an entities card."""

    title: str  # the column's heading
    card: str  # the entities card's title
    camera: str | None  # None: the platform gives no picture (the TUMS cloud has no stream)
    rows: dict[str, tuple[str, str]]  # ROWS kind -> (entity, the name the row shows)

    def section(self) -> dict[str, Any]:
        """A sections-view column: a heading, the camera, the rows."""
        rows = [{"entity": self.rows[kind][0], "name": self.rows[kind][1]} for kind in ROWS]
        cards: list[dict[str, Any]] = [{"type": "heading", "heading": self.title}]
        if self.camera is not None:
            cards.append({"type": "picture-entity", "entity": self.camera})
        cards.append({"type": "entities", "title": self.card, "entities": rows})
        return {"type": "grid", "cards": cards}


def platforms(registry: Registry) -> tuple[Platform, Platform, Platform]:
    """VIGI channel 1 (with the NVR's disk), the SUNMI FS camera and a TUMS cloud camera."""
    entity = registry.entity
    vigi = Platform(
        title="TP-Link VIGI NVR",
        card=f"{VIGI_CHANNEL} (channel 1)",
        camera=entity(VIGI_CHANNEL, "camera"),
        rows={
            "switch": (entity(VIGI_CHANNEL, "switch", "speaker_mute"), "Mute speaker"),
            "sensor": (entity(VIGI_HUB, "sensor", "disk_status"), "NVR disk 1"),
            "motion": (entity(VIGI_CHANNEL, "binary_sensor", "motion"), "Motion"),
            "event": (entity(VIGI_CHANNEL, "event", "camera_event"), "Last event"),
        },
    )
    sunmi = Platform(
        title="SUNMI camera",
        card=f"Face Sense Camera {demo.FS_CAMERA.sn}",
        camera=entity(SUNMI_FS, "camera"),
        rows={
            "switch": (entity(SUNMI_FS, "switch", "status_led"), "Status LED"),
            "sensor": (entity(SUNMI_FS, "sensor", "memory_card_status"), "Memory card"),
            "motion": (entity(SUNMI_FS, "binary_sensor", "motion"), "Motion"),
            "event": (entity(SUNMI_FS, "event", "camera_event"), "Last event"),
        },
    )
    tums = Platform(
        title="TP-Link TUMS cloud",
        card=f"{TUMS_IPC} (cloud)",
        camera=None,
        rows={
            "switch": (entity(TUMS_IPC, "switch", "osd_date"), "Date in picture"),
            "sensor": (entity(TUMS_IPC, "sensor", "firmware"), "Firmware"),
            "motion": (entity(TUMS_IPC, "binary_sensor", "motion"), "Motion"),
            "event": (entity(TUMS_IPC, "event", "camera_event"), "Last event"),
        },
    )
    return vigi, sunmi, tums


async def create_dashboard(api: HassApi, columns: tuple[Platform, ...]) -> str:
    """A new storage-mode dashboard with one sections view; its path."""
    await ws(
        api,
        {
            "type": "lovelace/dashboards/create",
            "url_path": URL_PATH,
            "title": "Business cameras",
            "icon": "mdi:cctv",
            "show_in_sidebar": True,
            "require_admin": False,
            "mode": "storage",
        },
    )
    view = {
        "type": "sections",
        "title": "Cameras",
        "path": VIEW_PATH,
        "max_columns": len(columns),
        "sections": [column.section() for column in columns],
    }
    await ws(
        api,
        {"type": "lovelace/config/save", "url_path": URL_PATH, "config": {"views": [view]}},
    )
    return f"/{URL_PATH}/{VIEW_PATH}"
