"""One coordinator per config entry, generic over any Backend.

Pushed events update the data at once (async_set_updated_data); polling reads only the state
groups that an enabled entity needs, and slow-changing groups only every few cycles.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import TYPE_CHECKING

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .api.backend import Backend, PushMethod
from .api.errors import (
    ApiError,
    AuthError,
    CameraError,
    CertificateMismatchError,
    ClockSkewError,
    LockedError,
    RateLimitedError,
)
from .api.model import CameraEvent, Capability, Device, DeviceState, EventType, StateGroup
from .const import (
    CONF_SCAN_INTERVAL,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    ISSUE_ACCOUNT_LOCKED,
    ISSUE_CERTIFICATE_CHANGED,
    ISSUE_CLOCK_SKEW,
    ISSUE_NOT_LICENSED,
    RATE_LIMIT_BACKOFF,
)

if TYPE_CHECKING:
    from . import CamerasConfigEntry

_LOGGER = logging.getLogger(__name__)

# Groups whose values change only when someone edits a setting: read every Nth poll.
SLOW_GROUPS: dict[StateGroup, int] = {
    StateGroup.TIMING: 10,
    StateGroup.EVENT_SERVERS: 10,
    StateGroup.STREAMS: 10,
    StateGroup.AUDIO: 5,
    StateGroup.INFO: 10,
    StateGroup.LED: 5,
    StateGroup.DETECTION: 5,
    StateGroup.FACE_SETTINGS: 5,
    StateGroup.IMAGE: 5,
    StateGroup.ZOOM_FOCUS: 5,
    StateGroup.RECORDING: 10,
    StateGroup.SCHEDULE: 10,
    StateGroup.CHANNEL_PUSH: 10,
    StateGroup.OSD: 10,
}

# Groups read only for the devices whose enabled entities need them (one request per device:
# a TUMS camera's recording list), not for every device once any entity needs them.
PER_DEVICE_GROUPS: frozenset[StateGroup] = frozenset({StateGroup.EVENTS})

EventListener = Callable[[CameraEvent], None]
# Every this many polls the device list is read again, to pick up added or removed channels.
DEVICE_RESCAN_CYCLES = 30


@dataclass(slots=True)
class CamerasData:
    """What the entities read. ``changed`` names the devices the last update touched."""

    devices: dict[str, Device]
    states: dict[str, DeviceState]
    events: dict[str, dict[EventType, CameraEvent]] = field(default_factory=dict)
    changed: frozenset[str] | None = None


class CamerasCoordinator(DataUpdateCoordinator[CamerasData]):
    """Polls a Backend for what no push carries and merges pushed events."""

    config_entry: CamerasConfigEntry

    def __init__(self, hass: HomeAssistant, entry: CamerasConfigEntry, backend: Backend) -> None:
        """Create the coordinator; nothing is fetched before _async_setup."""
        interval = entry.options.get(CONF_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL)
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {entry.title}",
            update_interval=timedelta(seconds=interval),
            always_update=False,
        )
        self.backend = backend
        self.devices: dict[str, Device] = {}
        self._needs: Counter[StateGroup] = Counter()
        self._device_needs: Counter[tuple[StateGroup, str]] = Counter()
        self._due: set[StateGroup] = set()
        self._cycle = 0
        self._event_listeners: dict[str, list[EventListener]] = {}
        self.push_method = PushMethod.POLL
        # The configured poll interval while a rate limit stretches it.
        self._normal_interval: timedelta | None = None

    @callback
    def async_set_push_method(self, method: PushMethod) -> None:
        """Record how events arrive now (shown by a diagnostic sensor)."""
        if method is not self.push_method:
            self.push_method = method
            if self.data is not None:
                self.data = replace(self.data, changed=None)
                self.async_update_listeners()

    @property
    def hub_id(self) -> str:
        """The stable id every unique_id of this entry starts with."""
        return self.backend.unique_id

    async def _async_setup(self) -> None:
        try:
            await self.backend.async_connect()
            devices = await self.backend.async_get_devices()
        except CameraError as err:
            self._raise_for(err)
        self.devices = {device.key: device for device in devices}
        # Entities made per disk or per PoE port need these before the platforms set up;
        # every other group is read once an enabled entity asks for it.
        self._due = {StateGroup.DISKS, StateGroup.POE}

    async def _async_update_data(self) -> CamerasData:
        groups = self._groups_for_this_cycle()
        if self.data is not None and self._cycle % DEVICE_RESCAN_CYCLES == 0:
            await self._async_check_device_list()
        per_device = groups & PER_DEVICE_GROUPS
        try:
            states = await self.backend.async_get_state(self.devices, groups - per_device)
            for group in per_device:
                await self._async_read_per_device(group, states)
        except CameraError as err:
            self._raise_for(err)
        self._clear_issues()
        self._restore_interval()
        self._update_licence_issues(states)
        previous = self.data
        if previous is not None:
            states = _merge_states(previous.states, states, groups)
        polled = [event for state in states.values() for event in state.polled_events]
        for state in states.values():
            state.polled_events = []
        events = previous.events if previous is not None else {}
        if polled:
            events = self._record_events(events, polled)
        return CamerasData(devices=self.devices, states=states, events=events, changed=None)

    async def _async_check_device_list(self) -> None:
        """Reload the entry when channels were added to or removed from the hub."""
        try:
            devices = await self.backend.async_get_devices()
        except CameraError as err:
            self._raise_for(err)
        if {device.key for device in devices} != set(self.devices):
            _LOGGER.info("%s: the devices changed; reloading", self.config_entry.title)
            self.hass.config_entries.async_schedule_reload(self.config_entry.entry_id)

    def _groups_for_this_cycle(self) -> set[StateGroup]:
        self._cycle += 1
        groups = {StateGroup.ONLINE} | self._due
        for group, count in self._needs.items():
            if count <= 0:
                continue
            every = SLOW_GROUPS.get(group, 1)
            if self._cycle % every == 0 or self.data is None:
                groups.add(group)
        self._due = set()
        return groups

    def _raise_for(self, err: CameraError) -> None:
        """Turn an api error into what the coordinator machinery expects. Always raises."""
        if isinstance(err, CertificateMismatchError):
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                f"{ISSUE_CERTIFICATE_CHANGED}_{self.config_entry.entry_id}",
                is_fixable=True,
                severity=ir.IssueSeverity.ERROR,
                translation_key=ISSUE_CERTIFICATE_CHANGED,
                translation_placeholders={
                    "title": self.config_entry.title,
                    "fingerprint": err.got,
                },
                data={"entry_id": self.config_entry.entry_id, "fingerprint": err.got},
            )
            raise UpdateFailed(
                translation_domain=DOMAIN, translation_key="certificate_changed"
            ) from err
        if isinstance(err, LockedError):
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                f"{ISSUE_ACCOUNT_LOCKED}_{self.config_entry.entry_id}",
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key=ISSUE_ACCOUNT_LOCKED,
                translation_placeholders={
                    "title": self.config_entry.title,
                    "minutes": str(max(1, round(err.retry_after / 60))),
                },
            )
            raise UpdateFailed(translation_domain=DOMAIN, translation_key="locked") from err
        if isinstance(err, ClockSkewError):
            self._raise_clock_skew(err)
        if isinstance(err, RateLimitedError):
            self._back_off(err)
        if isinstance(err, AuthError):
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="invalid_auth"
            ) from err
        if isinstance(err, ApiError):
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="api_error",
                translation_placeholders={"code": str(err.code), "endpoint": err.endpoint},
            ) from err
        raise UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="cannot_connect",
            translation_placeholders={"error": type(err).__name__},
        ) from err

    def _raise_clock_skew(self, err: ClockSkewError) -> None:
        """A rejected timestamp is the local clock, not the keys: a repair issue, no reauth."""
        skew = "?" if err.skew is None else str(round(err.skew))
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            f"{ISSUE_CLOCK_SKEW}_{self.config_entry.entry_id}",
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key=ISSUE_CLOCK_SKEW,
            translation_placeholders={"title": self.config_entry.title, "skew": skew},
        )
        raise UpdateFailed(translation_domain=DOMAIN, translation_key="clock_skew") from err

    def _back_off(self, err: RateLimitedError) -> None:
        """Stretch the poll interval after a rate limit until a poll succeeds again."""
        if self._normal_interval is None:
            self._normal_interval = self.update_interval
        wait = max(
            RATE_LIMIT_BACKOFF.total_seconds(),
            err.retry_after,
            (self._normal_interval or RATE_LIMIT_BACKOFF).total_seconds() * 2,
        )
        self.update_interval = timedelta(seconds=wait)
        _LOGGER.warning(
            "%s: rate limited by the server; next poll in %d s", self.config_entry.title, wait
        )
        raise UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="rate_limited",
            translation_placeholders={"seconds": str(round(wait))},
        ) from err

    def _restore_interval(self) -> None:
        if self._normal_interval is not None:
            self.update_interval = self._normal_interval
            self._normal_interval = None

    def _update_licence_issues(self, states: dict[str, DeviceState]) -> None:
        """One repair issue per device the platform reports as not licensed."""
        entry_id = self.config_entry.entry_id
        for key, device in self.devices.items():
            state = states.get(key)
            issue_id = f"{ISSUE_NOT_LICENSED}_{entry_id}_{key}"
            if state is not None and state.extra.get("licensed") is False:
                ir.async_create_issue(
                    self.hass,
                    DOMAIN,
                    issue_id,
                    is_fixable=False,
                    severity=ir.IssueSeverity.WARNING,
                    translation_key=ISSUE_NOT_LICENSED,
                    translation_placeholders={
                        "title": self.config_entry.title,
                        "device": device.name,
                        "serial": device.serial or device.mac or key,
                    },
                )
            else:
                ir.async_delete_issue(self.hass, DOMAIN, issue_id)

    def _clear_issues(self) -> None:
        entry_id = self.config_entry.entry_id
        for issue in (ISSUE_CERTIFICATE_CHANGED, ISSUE_ACCOUNT_LOCKED, ISSUE_CLOCK_SKEW):
            ir.async_delete_issue(self.hass, DOMAIN, f"{issue}_{entry_id}")

    async def _async_read_per_device(
        self, group: StateGroup, states: dict[str, DeviceState]
    ) -> None:
        """Read ``group`` for the online devices an enabled entity of theirs needs it for.

        Only devices that offer it by polling (EVENT_POLLING) are asked: the other backends
        push their events.
        """
        wanted = {
            key: device
            for key, device in self.devices.items()
            if self._device_needs[(group, key)] > 0
            and Capability.EVENT_POLLING in device.capabilities
            and key in states
            and states[key].online
        }
        if not wanted:
            return
        found = await self.backend.async_get_state(wanted, {group})
        for key, state in found.items():
            if key in states:
                states[key].polled_events.extend(state.polled_events)

    @callback
    def async_register_needs(
        self, groups: Iterable[StateGroup], device_key: str | None = None
    ) -> CALLBACK_TYPE:
        """Record that an enabled entity (of ``device_key``) reads ``groups``.

        The returned callback forgets it.
        """
        groups = tuple(groups)
        new = [group for group in groups if self._needs[group] == 0]
        self._needs.update(groups)
        self._due.update(new)
        per_device = [(g, device_key) for g in groups if g in PER_DEVICE_GROUPS and device_key]
        self._device_needs.update(per_device)

        @callback
        def _release() -> None:
            self._needs.subtract(groups)
            self._device_needs.subtract(per_device)

        return _release

    @property
    def needed_groups(self) -> frozenset[StateGroup]:
        """The state groups at least one enabled entity reads."""
        return frozenset(group for group, count in self._needs.items() if count > 0)

    async def async_refresh_if_due(self) -> None:
        """Read at once the groups that entities added since the last poll need."""
        if self._due:
            await self.async_refresh()

    async def async_refresh_after_write(self, group: StateGroup) -> None:
        """Read only ``group`` at once after a write, whatever its usual rate."""
        try:
            fresh = await self.backend.async_get_state(self.devices, {group})
        except CameraError as err:
            _LOGGER.debug("Reading %s back after a write failed: %s", group, err)
            self._due.add(group)
            return
        states = _merge_states(self.data.states, fresh, {group})
        self.async_set_updated_data(replace(self.data, states=states, changed=None))

    @callback
    def async_add_event_listener(self, device_key: str, listener: EventListener) -> CALLBACK_TYPE:
        """Call ``listener`` for every event of ``device_key``."""
        listeners = self._event_listeners.setdefault(device_key, [])
        listeners.append(listener)

        @callback
        def _remove() -> None:
            listeners.remove(listener)

        return _remove

    @callback
    def async_handle_events(self, events: Iterable[CameraEvent]) -> None:
        """Merge pushed events into the data and notify only the devices they touch."""
        touched: set[str] = set()
        latest = self._record_events(self.data.events, events, touched)
        if touched:
            self.async_set_updated_data(
                replace(self.data, events=latest, changed=frozenset(touched))
            )

    def _record_events(
        self,
        current: dict[str, dict[EventType, CameraEvent]],
        events: Iterable[CameraEvent],
        touched: set[str] | None = None,
    ) -> dict[str, dict[EventType, CameraEvent]]:
        """The latest event per device and type with ``events`` added; listeners called."""
        latest = {key: dict(by_type) for key, by_type in current.items()}
        for event in events:
            if event.device_key not in self.devices:
                _LOGGER.debug("Event for unknown device %s ignored", event.device_key)
                continue
            latest.setdefault(event.device_key, {})[event.type] = event
            if touched is not None:
                touched.add(event.device_key)
            for listener in list(self._event_listeners.get(event.device_key, ())):
                listener(event)
        return latest


def _merge_states(
    previous: dict[str, DeviceState],
    fresh: dict[str, DeviceState],
    groups: set[StateGroup],
) -> dict[str, DeviceState]:
    """Keep values of groups not read this cycle from the previous poll."""
    kept = {
        StateGroup.ONLINE: ("online",),
        StateGroup.DISKS: ("disks",),
        StateGroup.POE: ("poe_ports", "poe_total_w", "poe_used_w"),
        StateGroup.TIMING: ("timing_mode", "ntp_server"),
        StateGroup.EVENT_SERVERS: ("event_servers",),
        StateGroup.AUDIO: ("audio_output", "audio_input"),
        StateGroup.STREAMS: ("streams",),
        StateGroup.INFO: (
            "firmware",
            "firmware_latest",
            "firmware_installing",
            "firmware_progress",
        ),
        StateGroup.RECORDING: ("loop_recording",),
        StateGroup.SCHEDULE: ("scheduled_reboot",),
        StateGroup.CHANNEL_PUSH: ("channel_push",),
        StateGroup.OSD: ("osd_date", "osd_week"),
        StateGroup.LED: ("status_led",),
        StateGroup.DETECTION: ("motion_detection",),
        StateGroup.FACE_SETTINGS: ("face_optimize_seconds",),
        StateGroup.IMAGE: ("ir_mode", "rotation", "image"),
        StateGroup.SOLAR: ("solar",),
        StateGroup.ZOOM_FOCUS: ("zoom", "focus"),
        StateGroup.MEMORY_CARD: ("memory_card",),
        StateGroup.PEOPLE_FLOW: ("people_flow",),
    }
    merged: dict[str, DeviceState] = {}
    for key, state in fresh.items():
        old = previous.get(key)
        if old is not None:
            for group, attrs in kept.items():
                if group in groups:
                    continue
                for attr in attrs:
                    setattr(state, attr, getattr(old, attr))
        merged[key] = state
    return merged
