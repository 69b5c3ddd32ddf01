"""The integration's services reach the simulated devices, or refuse in the user's language."""

from __future__ import annotations

import pytest

from scripts import demo
from scripts.demo import DOMAIN

from .hass import WsError, call_service
from .sims import sim_state, wait_for_sim
from .stack import SUNMI_FS, SUNMI_SS, Stack, vigi_channel

pytestmark = pytest.mark.e2e


def refusal(e2e: Stack, service: str, data: dict[str, object]) -> dict[str, object]:
    """The websocket API's error for a service call that must fail (what the frontend shows)."""
    with pytest.raises(WsError) as caught:
        e2e.run(call_service(e2e.api, DOMAIN, service, data))
    return caught.value.error


def test_trigger_alarm_starts_the_channels_alarm_output(e2e: Stack) -> None:
    device = e2e.registry.device_id(vigi_channel(4))

    async def scenario() -> None:
        before = await sim_state(e2e, e2e.vigi_control)
        assert before["alarms"]["4"]["active"] is False
        # Over the REST API, as an automation's HTTP caller would.
        await e2e.api.call("POST", f"/api/services/{DOMAIN}/trigger_alarm", {"device_id": device})
        await wait_for_sim(e2e, e2e.vigi_control, lambda s: s["alarms"]["4"]["active"] is True)

    e2e.run(scenario())


def test_format_sd_card_needs_confirmation(e2e: Stack) -> None:
    device = e2e.registry.device_id(SUNMI_FS)
    control = demo.FS_CAMERA.control_url
    formats = e2e.run(sim_state(e2e, control))["formats"]

    error = refusal(e2e, "format_sd_card", {"device_id": device})
    assert error["code"] == "service_validation_error"
    assert error["translation_key"] == "confirm_required"
    assert error["message"] == (
        "Validation error: Formatting erases every recording on the card or disk. "
        "Call the action again with confirm: true to format"
    )
    assert e2e.run(sim_state(e2e, control))["formats"] == formats

    e2e.run(call_service(e2e.api, DOMAIN, "format_sd_card", {"device_id": device, "confirm": True}))
    e2e.run(wait_for_sim(e2e, control, lambda s: s["formats"] == formats + 1))


@pytest.mark.parametrize("device", [vigi_channel(1), SUNMI_SS])
def test_ptz_reset_is_not_supported(e2e: Stack, device: str) -> None:
    error = refusal(e2e, "ptz_reset", {"device_id": e2e.registry.device_id(device)})
    assert error["code"] == "service_validation_error"
    assert error["translation_key"] == "not_supported"
    # The English text of the integration's exception, as the frontend shows it.
    assert error["message"] == f"Validation error: {device} does not support ptz_reset"
