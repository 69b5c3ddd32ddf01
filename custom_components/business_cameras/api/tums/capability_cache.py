"""What the four capability requests of a TUMS camera answered, kept across reloads.

1.4.3.16, 1.4.4.26, 1.4.4.7 and 1.4.4.16 change only with the firmware, yet reading them costs
four cloud round trips per camera at every setup. The cache holds the capabilities derived from
them (and the night-vision modes and main-stream resolutions) per device key, as plain JSON types
for the owner to persist. An entry is used only while it is younger than ``max_age``, the model
in the device list is unchanged and the firmware it was read under (once known) is unchanged.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, Final, TypeIs

from ..model import Capability

VERSION: Final = 2  # 2: main-stream choices besides resolutions
DEFAULT_MAX_AGE: Final = 24 * 3600.0
# The capabilities the four requests decide; nothing else is ever cached.
PROBED: Final = frozenset(
    {
        Capability.MANUAL_ALARM,
        Capability.ALARM_INPUT,
        Capability.ALARM_OUTPUT,
        Capability.MEMORY_CARD,
        Capability.FORMAT_SD,
        Capability.LOOP_RECORDING,
        Capability.SMART_EVENTS,
        Capability.PTZ_RESET,
        Capability.IR_MODE,
    }
)


@dataclass(frozen=True, slots=True)
class Probe:
    """What the four capability requests of one camera (or NVR channel) told."""

    capabilities: frozenset[Capability] = frozenset()
    ir_modes: tuple[str, ...] = ()
    resolutions: tuple[str, ...] = ()
    # The main stream's other 1.4.4.16 lists, by name (encodeTypes, frameRates, bitrates ...).
    main_stream: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class _Entry:
    model: str | None
    read_at: float
    probe: Probe
    firmware: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "read_at": self.read_at,
            "capabilities": sorted(self.probe.capabilities),
            "ir_modes": list(self.probe.ir_modes),
            "resolutions": list(self.probe.resolutions),
            "main_stream": {name: list(values) for name, values in self.probe.main_stream},
            "firmware": self.firmware,
        }

    @classmethod
    def from_dict(cls, data: object) -> _Entry | None:
        """The entry, or None when any field is not what ``to_dict`` writes."""
        if not isinstance(data, Mapping):
            return None
        model, read_at, firmware = data.get("model"), data.get("read_at"), data.get("firmware")
        caps = data.get("capabilities")
        ir_modes, resolutions = data.get("ir_modes"), data.get("resolutions")
        main_stream = data.get("main_stream", {})
        if (
            not _str_or_none(model)
            or not _str_or_none(firmware)
            or isinstance(read_at, bool)
            or not isinstance(read_at, int | float)
            or not math.isfinite(read_at)
            or not _str_list(caps)
            or not _str_list(ir_modes)
            or not _str_list(resolutions)
            or not isinstance(main_stream, Mapping)
            or not all(isinstance(k, str) and _str_list(v) for k, v in main_stream.items())
            # A name this version does not derive means another meaning: read the device again.
            or not set(caps) <= PROBED
        ):
            return None
        probe = Probe(
            frozenset(Capability(c) for c in caps),
            tuple(ir_modes),
            tuple(resolutions),
            tuple((name, tuple(values)) for name, values in sorted(main_stream.items())),
        )
        return cls(model, float(read_at), probe, firmware)


def _str_or_none(value: object) -> TypeIs[str | None]:
    return value is None or isinstance(value, str)


def _str_list(value: object) -> TypeIs[list[str]]:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


class CapabilityCache:
    """Probes by device key; ``changed`` tells the owner that ``to_dict`` has news to save."""

    def __init__(
        self, *, max_age: float = DEFAULT_MAX_AGE, clock: Callable[[], float] = time.time
    ) -> None:
        """An empty cache; ``clock`` gives Unix seconds (tests pass their own)."""
        self._max_age = max_age
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._changed = False

    def __len__(self) -> int:
        """Entries held, fresh or not."""
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        """Whether ``key`` has an entry, fresh or not."""
        return key in self._entries

    @property
    def changed(self) -> bool:
        """Whether anything changed since the cache was built, loaded or ``mark_saved``."""
        return self._changed

    def mark_saved(self) -> None:
        """The owner saved ``to_dict()`` (or scheduled a save that calls it later)."""
        self._changed = False

    def get(self, key: str, model: str | None) -> Probe | None:
        """The probe of ``key`` if fresh and read from the same model; a stale entry is dropped."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        age = self._clock() - entry.read_at
        # A negative age means the clock went back: the entry's age is unknown.
        if entry.model != model or not 0 <= age <= self._max_age:
            self.invalidate(key)
            return None
        return entry.probe

    def put(self, key: str, model: str | None, probe: Probe) -> None:
        """Remember a probe read just now from a device of ``model``."""
        self._entries[key] = _Entry(model, self._clock(), probe)
        self._changed = True

    def invalidate(self, key: str) -> None:
        """Forget ``key`` (its firmware is changing); no-op when unknown."""
        if self._entries.pop(key, None) is not None:
            self._changed = True

    def note_firmware(self, key: str, firmware: str | None) -> None:
        """Record the firmware ``key`` runs; a different one than recorded drops its entry.

        The device list carries no firmware version, so the first poll after a probe records it.
        """
        entry = self._entries.get(key)
        if entry is None or not firmware or entry.firmware == firmware:
            return
        if entry.firmware is None:
            self._entries[key] = _Entry(entry.model, entry.read_at, entry.probe, firmware)
            self._changed = True
        else:
            self.invalidate(key)

    def retain(self, keys: Collection[str]) -> None:
        """Drop the entries of devices no longer listed."""
        for key in [k for k in self._entries if k not in keys]:
            self.invalidate(key)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types, for ``from_dict``."""
        return {
            "version": VERSION,
            "devices": {key: entry.to_dict() for key, entry in self._entries.items()},
        }

    @classmethod
    def from_dict(
        cls,
        data: object,
        *,
        max_age: float = DEFAULT_MAX_AGE,
        clock: Callable[[], float] = time.time,
    ) -> CapabilityCache:
        """A cache holding what ``data`` has readable; anything else is dropped, never raised.

        ``changed`` is set when something was dropped, so the cleaned form gets saved.
        """
        cache = cls(max_age=max_age, clock=clock)
        if not isinstance(data, Mapping) or data.get("version") != VERSION:
            cache._changed = data is not None
            return cache
        devices = data.get("devices")
        if not isinstance(devices, Mapping):
            cache._changed = True
            return cache
        for key, raw in devices.items():
            entry = _Entry.from_dict(raw) if isinstance(key, str) else None
            if entry is None:
                cache._changed = True
            else:
                cache._entries[key] = entry
        return cache
