"""Solar power supplies (1.4.3.15, 1.4.4.19 to 1.4.4.22): typed, tolerant parsing.

Every number arrives as a string (``"53.32"``, ``"23"``, ``"0.00"``); numbers are accepted
too. A value that does not parse becomes ``None``: one bad field never loses the others.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from ..errors import ApiError, ProtocolError
from .parsers import to_bool, to_float, to_int

# Table 1.4.3.1-5 / 1.4.4.19 ``status``.
SOLAR_STATES: Final[dict[int, str]] = {
    0: "not_charging",
    1: "charging",
    2: "charge_complete",
    3: "auxiliary_heating",
    4: "low_temperature_no_charge",
    5: "low_temperature_no_charge_discharge",
    6: "high_temperature_no_charge",
    7: "high_temperature_no_charge_discharge",
}


class SolarCondition(StrEnum):
    """1.4.4.19: states 0-2 are normal, 3 special, 4-7 abnormal."""

    NORMAL = "normal"
    SPECIAL = "special"
    ABNORMAL = "abnormal"


class SolarLoadResetError(ApiError):
    """1.4.4.22 answered ``error_code`` 0 but ``result`` ``"1"``: the load did not restart.

    ``code`` is that result value (1), which no §1.5 error code can collide with.
    """


def _finite(value: object) -> float | None:
    number = to_float(value)
    return number if number is not None and math.isfinite(number) else None


@dataclass(frozen=True, slots=True)
class SolarStatus:
    """1.4.4.19 (all fields) or 1.4.3.15 (state and battery only); ``None`` = unknown."""

    state: int | None
    battery_percent: float | None
    temperature: float | None  # envTemp: the document names no unit (°C by its example)
    input_power_w: float | None
    output_power_w: float | None

    @property
    def state_name(self) -> str | None:
        """The table's meaning as a key (``"charging"``), ``None`` for unknown codes."""
        return None if self.state is None else SOLAR_STATES.get(self.state)

    @property
    def condition(self) -> SolarCondition | None:
        """Normal, special or abnormal; ``None`` for a missing or undocumented state."""
        if self.state is None or self.state not in SOLAR_STATES:
            return None
        if self.state <= 2:
            return SolarCondition.NORMAL
        return SolarCondition.SPECIAL if self.state == 3 else SolarCondition.ABNORMAL


def parse_solar_status(result: Mapping[str, Any]) -> SolarStatus:
    """1.4.4.19 / 1.4.3.15 ``result``; garbage values become ``None``."""
    battery = _finite(result.get("batteryStatus"))
    return SolarStatus(
        state=to_int(result.get("status")),
        battery_percent=battery if battery is not None and 0 <= battery <= 100 else None,
        temperature=_finite(result.get("envTemp")),
        input_power_w=_finite(result.get("inputWatt")),
        output_power_w=_finite(result.get("outputWatt")),
    )


@dataclass(frozen=True, slots=True)
class SolarSupplySlot:
    """One load power-supply schedule entry (1.4.4.20 read, 1.4.4.21 write).

    ``load`` is ``None`` on single-load devices (the cloud omits ``supplyLoadNum`` there).
    """

    start_hour: int
    start_minute: int
    end_hour: int
    end_minute: int
    on: bool
    load: int | None = None

    def __post_init__(self) -> None:
        """Reject times outside [0, 23]:[0, 59] (what 1.4.4.21 accepts)."""
        for hour, minute in (
            (self.start_hour, self.start_minute),
            (self.end_hour, self.end_minute),
        ):
            if not (0 <= hour <= 23 and 0 <= minute <= 59):
                raise ValueError("hours must be 0..23 and minutes 0..59")
        if self.load is not None and self.load < 1:
            raise ValueError("load numbers start at 1")

    def request(self) -> dict[str, Any]:
        """The 1.4.4.21 fields: times as ints, ``supplyLoadNum`` as a string (as documented)."""
        body: dict[str, Any] = {
            "startTimeHour": self.start_hour,
            "startTimeMin": self.start_minute,
            "endTimeHour": self.end_hour,
            "endTimeMin": self.end_minute,
            "status": "on" if self.on else "off",
        }
        if self.load is not None:
            body["supplyLoadNum"] = str(self.load)
        return body


def parse_solar_schedule(result: Mapping[str, Any]) -> list[SolarSupplySlot]:
    """1.4.4.20 ``solarSupplyTimeList`` (strings); entries with unusable times are skipped."""
    items = result.get("solarSupplyTimeList")
    slots = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        start_hour, start_minute, end_hour, end_minute = (
            to_int(item.get(key))
            for key in ("startTimeHour", "startTimeMin", "endTimeHour", "endTimeMin")
        )
        on = to_bool(item.get("status"))
        load = to_int(item.get("supplyLoadNum"))
        if start_hour is None or start_minute is None or end_hour is None or end_minute is None:
            continue
        if on is None:
            continue
        try:
            slot = SolarSupplySlot(
                start_hour,
                start_minute,
                end_hour,
                end_minute,
                on,
                load if load is not None and load >= 1 else None,
            )
        except ValueError:
            continue
        slots.append(slot)
    return slots


def check_load_reset(result: object, endpoint: str) -> None:
    """1.4.4.22 ``result``: ``"0"`` restarted, ``"1"`` failed (raised), else ProtocolError.

    A missing result is taken as success: ``error_code`` 0 already said the call worked.
    """
    if result is None:
        return
    value = to_int(result)
    if value == 0:
        return
    if value == 1:
        raise SolarLoadResetError(1, "The solar load did not restart (result 1)", endpoint)
    raise ProtocolError(f"{endpoint}: unexpected result {result!r}")
