"""The blueprints under blueprints/ load, validate and do what they promise in a real automation."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from homeassistant.components.automation.helpers import async_get_blueprints
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    async_mock_service,
)

BLUEPRINTS = Path(__file__).resolve().parents[2] / "blueprints" / "automation" / "business_cameras"
NAMES = ("motion_light.yaml", "known_face_notify.yaml", "daily_people_count.yaml")


def test_every_blueprint_is_listed() -> None:
    """Tests below cover each file; a new blueprint needs a test too."""
    assert sorted(path.name for path in BLUEPRINTS.glob("*.yaml")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
async def test_blueprint_loads(hass: HomeAssistant, name: str) -> None:
    """Home Assistant's own loader accepts each one, and every input has a name."""
    await _copy(hass, name)
    assert await async_setup_component(hass, "automation", {})
    blueprint = await async_get_blueprints(hass).async_get_blueprint(f"business_cameras/{name}")
    assert blueprint.domain == "automation"
    assert blueprint.inputs
    for key, spec in blueprint.inputs.items():
        assert spec is not None, key
        assert spec.get("name"), key


async def _copy(hass: HomeAssistant, name: str) -> None:
    target = Path(hass.config.path("blueprints", "automation", "business_cameras"))
    await hass.async_add_executor_job(lambda: target.mkdir(parents=True, exist_ok=True))
    await hass.async_add_executor_job(shutil.copy, BLUEPRINTS / name, target / name)


async def _automation(hass: HomeAssistant, name: str, inputs: dict[str, Any]) -> None:
    await _copy(hass, name)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "id": name,
                "alias": name,
                "use_blueprint": {"path": f"business_cameras/{name}", "input": inputs},
            }
        },
    )
    await hass.async_block_till_done()
    assert [state.state for state in hass.states.async_all("automation")] == ["on"]


def _face(hass: HomeAssistant, when: datetime, **attributes: Any) -> None:
    hass.states.async_set(
        "event.door_last_event",
        when.isoformat(),
        {"event_type": "face", "friendly_name": "Door last event", **attributes},
    )


async def test_known_face_notification(hass: HomeAssistant) -> None:
    """Only a named face from the list notifies; motion and unnamed faces do not."""
    calls: list[ServiceCall] = async_mock_service(hass, "notify", "shop_phone")
    hass.states.async_set("event.door_last_event", "unknown", {"event_type": None})
    await _automation(
        hass,
        "known_face_notify.yaml",
        {
            "event_entity": "event.door_last_event",
            "names": ["Alice"],
            "cooldown": 0,
            "notify_actions": [
                {
                    "action": "notify.shop_phone",
                    "data": {"message": "{{ face_name }} ({{ age_band }}) at {{ camera }}"},
                }
            ],
        },
    )
    now = dt_util.utcnow()
    hass.states.async_set(
        "event.door_last_event", now.isoformat(), {"event_type": "motion", "name": None}
    )
    await hass.async_block_till_done()
    _face(hass, now + timedelta(seconds=1), name=None, age_band="20-30")
    await hass.async_block_till_done()
    _face(hass, now + timedelta(seconds=2), name="Bob", age_band="30-40")
    await hass.async_block_till_done()
    assert calls == []
    _face(hass, now + timedelta(seconds=3), name="Alice", age_band="20-30")
    await hass.async_block_till_done()
    assert [call.data["message"] for call in calls] == ["Alice (20-30) at Door last event"]
