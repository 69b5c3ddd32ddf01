"""Repair flows: confirm a device's new TLS certificate."""

from __future__ import annotations

from typing import Any

import voluptuous as vol
from homeassistant import data_entry_flow
from homeassistant.components.repairs import ConfirmRepairFlow, RepairsFlow
from homeassistant.core import HomeAssistant

from .const import CONF_FINGERPRINT, ISSUE_CERTIFICATE_CHANGED


class CertificateChangedFlow(RepairsFlow):
    """The user checks the new fingerprint on the device and accepts it."""

    def __init__(self, entry_id: str, fingerprint: str) -> None:
        """Remember which entry and which certificate."""
        self._entry_id = entry_id
        self._fingerprint = fingerprint

    async def async_step_init(
        self, user_input: dict[str, str] | None = None
    ) -> data_entry_flow.FlowResult:
        """Go straight to the confirmation."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, str] | None = None
    ) -> data_entry_flow.FlowResult:
        """Show the fingerprint; on confirm pin it and reload the entry."""
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        if entry is None:
            return self.async_abort(reason="entry_removed")
        if user_input is not None:
            self.hass.config_entries.async_update_entry(
                entry, data={**entry.data, CONF_FINGERPRINT: self._fingerprint}
            )
            self.hass.config_entries.async_schedule_reload(entry.entry_id)
            return self.async_create_entry(data={})
        pretty = ":".join(
            self._fingerprint[i : i + 2] for i in range(0, len(self._fingerprint), 2)
        ).upper()
        return self.async_show_form(
            step_id="confirm",
            data_schema=vol.Schema({}),
            description_placeholders={"title": entry.title, "fingerprint": pretty},
        )


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """The flow that fixes ``issue_id``."""
    if issue_id.startswith(ISSUE_CERTIFICATE_CHANGED) and data is not None:
        return CertificateChangedFlow(str(data["entry_id"]), str(data["fingerprint"]))
    return ConfirmRepairFlow()
