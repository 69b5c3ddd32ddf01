"""The solar power system of a ``VIDEO.SOLARPOWER`` device (sources 1.4.3.15, 1.4.4.19-22).

Readings drift deterministically from the values last set: the battery follows the net power
(input minus output; 10 W net is 1 % per hour) and the powers and the temperature wobble on
sine waves whose periods depend on the device index, so two reads a few seconds apart differ
a little and every run of the simulator produces the same numbers for the same elapsed time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

STATUSES = ("0", "1", "2", "3", "4", "5", "6", "7")  # table 1.4.3.1-5
ABNORMAL = frozenset({"4", "5", "6", "7"})  # "状态4-7为异常状态"
NO_CHARGING = frozenset({"4", "5", "6", "7"})  # low/high-temperature protection
NO_DISCHARGING = frozenset({"5", "7"})  # "禁止充电、放电"
WATT_HOURS_PER_PERCENT = 10.0  # 10 W net for an hour moves the battery by 1 %
MULTI_LOADS = 3  # the 1.4.4.20 example shows three loads


def _schedule(start: int, end: int) -> dict[str, str]:
    """A 1.4.4.20 entry (hours and minutes as strings, like the document)."""
    return {
        "startTimeHour": str(start),
        "startTimeMin": "0",
        "endTimeHour": str(end),
        "endTimeMin": "0",
        "status": "on",
    }


@dataclass
class SolarState:
    """Base values (set at ``since``) from which the current readings are derived."""

    index: int
    loads: int  # 1 = single-load device (no supplyLoadNum, no load reset)
    status: str = "1"
    battery: float = 60.0
    env_temp: float = 23.0
    input_watt: float = 35.5
    output_watt: float = 6.2
    since: float = 0.0
    drift: bool = True
    schedules: dict[int, dict[str, str]] = field(default_factory=dict)
    load_resets: list[int] = field(default_factory=list)  # loadNum of each successful reset

    @classmethod
    def create(cls, index: int, now: float) -> SolarState:
        """Device ``index`` among the solar devices: even ones single-load, odd ones three."""
        loads = 1 if index % 2 == 0 else MULTI_LOADS
        state = cls(
            index=index,
            loads=loads,
            battery=60.0 + (index * 7) % 30 + 0.32,
            input_watt=35.5 + index % 10,
            since=now,
        )
        state.schedules = {load: _schedule(17 + load, 6) for load in range(1, loads + 1)}
        return state

    def _wave(self, elapsed: float, period: float) -> float:
        """A sine wave that is 0 at ``since`` (so values read right after a set are exact)."""
        return math.sin(2 * math.pi * elapsed / period) if self.drift else 0.0

    def reading(self, now: float) -> tuple[float, float, float, float]:
        """(battery %, temperature, input W, output W) at ``now``."""
        elapsed = max(0.0, now - self.since)
        input_watt = max(0.0, self.input_watt * (1 + 0.1 * self._wave(elapsed, 300 + self.index)))
        output_watt = max(
            0.0, self.output_watt * (1 + 0.05 * self._wave(elapsed, 120 + self.index))
        )
        temp = self.env_temp + 0.5 * self._wave(elapsed, 3600)
        net = self.input_watt - self.output_watt  # the mean powers drive the battery
        if self.status in NO_CHARGING:
            net = min(net, 0.0)
        if self.status in NO_DISCHARGING:
            net = 0.0
        hours = elapsed / 3600 if self.drift else 0.0
        battery = min(100.0, max(0.0, self.battery + net / WATT_HOURS_PER_PERCENT * hours))
        return battery, temp, input_watt, output_watt

    def rebase(
        self,
        now: float,
        *,
        status: str | None = None,
        battery: float | None = None,
        env_temp: float | None = None,
        input_watt: float | None = None,
        output_watt: float | None = None,
        drift: bool | None = None,
    ) -> None:
        """Set some values; the others continue from their current readings."""
        if status is not None and status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}")
        if battery is not None and not 0 <= battery <= 100:
            raise ValueError("battery must be within [0, 100]")
        for name, watts in (("inputWatt", input_watt), ("outputWatt", output_watt)):
            if watts is not None and watts < 0:
                raise ValueError(f"{name} must not be negative")
        current = self.reading(now)
        self.battery = current[0] if battery is None else float(battery)
        self.env_temp = current[1] if env_temp is None else float(env_temp)
        self.input_watt = current[2] if input_watt is None else float(input_watt)
        self.output_watt = current[3] if output_watt is None else float(output_watt)
        self.status = self.status if status is None else status
        self.drift = self.drift if drift is None else drift
        self.since = now

    def power(self, now: float) -> dict[str, str]:
        """1.4.4.19 result: every value a string, battery and powers with 2 decimals."""
        battery, temp, input_watt, output_watt = self.reading(now)
        return {
            "status": self.status,
            "batteryStatus": f"{battery:.2f}",
            "envTemp": str(round(temp)),  # the example shows "23"
            "inputWatt": f"{input_watt:.2f}",
            "outputWatt": f"{output_watt:.2f}",
        }

    def extend_info(self, now: float) -> dict[str, str]:
        """1.4.3.15 result: the example gives a whole percentage ("66")."""
        return {"status": self.status, "batteryStatus": str(round(self.reading(now)[0]))}

    def schedule_list(self) -> list[dict[str, str]]:
        """1.4.4.20: supplyLoadNum only on devices with several loads."""
        entries = []
        for load, entry in sorted(self.schedules.items()):
            item = dict(entry)
            if self.loads > 1:
                item["supplyLoadNum"] = str(load)
            entries.append(item)
        return entries
