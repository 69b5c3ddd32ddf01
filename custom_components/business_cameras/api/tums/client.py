"""HTTPS client of the TUMS business-cloud OpenAPI: AK/SK-signed POSTs and typed endpoints.

Every request body is serialized once; those exact bytes are signed and sent. Every request is
bounded by ``timeout``; at most ``MAX_IN_FLIGHT`` requests run at once. Rate limits are retried
with a bounded exponential back-off and then block further calls for the hinted time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import ssl
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import Any, Final

import aiohttp
from yarl import URL

from ..errors import ApiError, AuthError, ConnectError, ProtocolError
from . import codes
from .alarm import alarm_type_list
from .auth import (
    HEADER,
    Credentials,
    authorization_header,
    format_timestamp,
    new_nonce,
    new_terminal_id,
)
from .errors import RateLimitedError, WrongAppTypeError
from .parsers import (
    BatchFailure,
    ChannelPushState,
    DeviceInfo,
    DeviceRef,
    Envelope,
    FirmwareInfo,
    FlowRow,
    FlowTotals,
    PushConfig,
    Region,
    SdCard,
    TimingInfo,
    TimingReboot,
    parse_capability,
    parse_channel_list,
    parse_channel_push,
    parse_device_page,
    parse_envelope,
    parse_failures,
    parse_firmware,
    parse_flow_rows,
    parse_flow_totals,
    parse_loop,
    parse_push_config,
    parse_region_page,
    parse_sd_cards,
    parse_streams,
    parse_supplement_lamp,
    parse_temp_credentials,
    parse_timing,
    parse_timing_reboot,
    result_dict,
    to_bool,
    to_int,
)
from .playback import Recording, RecordingDays, parse_recordings, parse_year
from .solar import (
    SolarStatus,
    SolarSupplySlot,
    check_load_reset,
    parse_solar_schedule,
    parse_solar_status,
)

_LOGGER = logging.getLogger(__name__)

DEFAULT_BASE_URL: Final = "https://api-smbcloud.tplinkcloud.com.cn"
MAX_JSON_BYTES: Final = 4 * 1024 * 1024
MAX_IN_FLIGHT: Final = 4
MAX_BATCH: Final = 100  # devList / devInfoList limit of every batch endpoint
DEVICE_PAGE: Final = 100  # limit range [1, 100] of the device lists
REGION_PAGE: Final = 50  # limit range [1, 50] of the group lists
FLOW_PAGE: Final = 1000  # limit range [1, 1000] of queryFlow
# searchVideo windows: endIdx - startIdx <= 100; the example asks 0..99, so 100 per window.
VIDEO_WINDOW: Final = 100
MAX_PAGES: Final = 100  # at most 10,000 devices are read per listing
MAX_REGIONS: Final = 2000
MAX_REGION_DEPTH: Final = 4
TEMP_LIFETIME_MAX: Final = 86400
TEMP_RENEW_MARGIN: Final = 120.0
DEFAULT_BACKOFF: Final = 1.0
DEFAULT_MAX_BACKOFF: Final = 30.0
HTTP_429_RETRY_AFTER: Final = 60.0


class Path(StrEnum):
    """Every endpoint path used, exactly as the document spells it."""

    CREATE_TEMP_CREDENTIAL = "/tums/open/credentialManager/v1/createTempApplicationApiCredential"
    ROOT_REGIONS = "/tums/open/resource/v1/getPagedRootRegions"
    CHILD_REGIONS = "/tums/open/resource/v1/getPagedRegionChildren"
    DEVICE_APP_LIST = "/tums/open/deviceManager/v1/getDeviceListInDeviceApplication"
    PROJECT_APP_LIST = "/tums/open/deviceManager/v1/getDeviceListInProjectApplication"
    OVERVIEW = "/tums/open/deviceManager/v1/getApplicationOverview"
    CHANNELS = "/tums/open/deviceManager/v1/getChannelDeviceList"
    CAPABILITY = "/vms/open/deviceManager/v1/getDeviceCapability"
    REBOOT = "/tums/open/deviceManager/v1/rebootDeviceList"
    CHECK_FIRMWARE = "/tums/open/deviceManager/v1/checkDeviceNewestFwVer"
    UPGRADE = "/tums/open/deviceManager/v1/upgradeDeviceOnline"
    UPGRADE_INFO = "/tums/open/deviceManager/v1/getDeviceUpgradeInfo"
    OSD_CAPABILITY = "/vms/open/deviceConfig/v1/getDeviceOsdCapability"
    GET_OSD = "/vms/open/deviceConfig/v1/getDeviceOsdInfo"
    SET_OSD = "/vms/open/deviceConfig/v1/modifyDeviceOsdInfo"
    MANUAL_TIMING = "/vms/open/deviceConfig/v1/manualTiming"
    GET_TIMING_REBOOT = "/vms/open/deviceConfig/v1/getDeviceTimingReboot"
    SET_TIMING_REBOOT = "/vms/open/deviceConfig/v1/modifyDeviceTimingReboot"
    LAMP_CAPABILITY = "/vms/open/deviceConfig/v1/getDeviceSupplementLampCapability"
    GET_IMAGE = "/vms/open/deviceConfig/v1/getDeviceImage"
    SET_IMAGE = "/vms/open/deviceConfig/v1/modifyDeviceImage"
    SD_CARD = "/vms/open/deviceConfig/v1/getDeviceSdCardInfo"
    FORMAT_SD = "/vms/open/deviceConfig/v1/formatDeviceSdCard"
    GET_LOOP = "/vms/open/deviceConfig/v1/getDeviceRecordLoopInfo"
    SET_LOOP = "/vms/open/deviceConfig/v1/modifyDeviceRecordLoopInfo"
    GET_TIMING = "/vms/open/deviceConfig/v1/getDeviceTimingInfo"
    SET_TIMING = "/vms/open/deviceConfig/v1/modifyDeviceTimingInfo"
    VIDEO_CAPABILITY = "/vms/open/deviceConfig/v1/getDeviceVideoCapability"
    GET_VIDEO = "/vms/open/deviceConfig/v1/getDeviceVideoInfo"
    SET_VIDEO = "/vms/open/deviceConfig/v1/modifyDeviceVideoInfo"
    PTZ_RESET_SUPPORT = "/vms/open/deviceConfig/v1/getPtzDeviceResetSupport"
    PTZ_RESET = "/vms/open/deviceConfig/v1/resetPtzDevicePosition"
    GET_CHANNEL_PUSH = "/vms/open/deviceConfig/v1/getNvrChannelsMessagePushInfo"
    SET_CHANNEL_PUSH = "/vms/open/deviceConfig/v1/modifyNvrChannelsMessagePushInfo"
    SET_PUSH_CONFIG = "/tums/open/msgTranspond/v1/setAppMsgPushConfig"
    GET_PUSH_CONFIG = "/tums/open/msgTranspond/v1/getAppMsgPushConfig"
    FLOW_DEVICES = "/tums/open/passengerFlow/v1/getFlowDeviceInRegion"
    QUERY_FLOW = "/tums/open/passengerFlow/v1/queryFlow"
    REGION_FLOW = "/tums/open/passengerFlow/v1/queryRegionSingleFlow"
    DEVICE_FLOW = "/tums/open/passengerFlow/v1/queryDeviceSingleFlow"
    FLOW_SYNC = "/tums/open/passengerFlow/v1/getFlowSyncStatus"
    MANUAL_ALARM = "/tums/open/alarm/v1/triggerManualAlarm"
    SET_DETECTION = "/tums/open/alarm/v1/setEnableByAlarmType"
    SET_ALARM_INPUT = "/tums/open/alarm/v1/setAlarmInputEnable"
    SET_ALARM_OUTPUT = "/tums/open/alarm/v1/setAlarmOutputEnable"
    SOLAR_EXTEND_INFO = "/tums/open/deviceManager/v1/getSolarPowerDeviceExtendInfo"
    SOLAR_POWER = "/evcs/open/chargingDeviceManager/v1/querySolarPower"
    GET_SOLAR_SCHEDULE = "/evcs/open/chargingDeviceManager/v1/querySolarSupplyTime"
    SET_SOLAR_SCHEDULE = "/evcs/open/chargingDeviceManager/v1/setSolarSupplyTime"
    SOLAR_LOAD_RESET = "/evcs/open/chargingDeviceManager/v1/solarLoadReset"
    SEARCH_YEAR = "/vms/open/webServer/v1/searchYear"
    SEARCH_VIDEO = "/vms/open/webServer/v2/searchVideo"
    SEARCH_HUMAN_VIDEO = "/vms/open/webServer/v2/searchHumanDetectionVideo"


class AppType(StrEnum):
    """The two application kinds (§1.1): they may call different endpoints."""

    DEVICE = "device"
    PROJECT = "project"


def _chunks[T](items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _server_time(date_header: str | None) -> float | None:
    if not date_header:
        return None
    try:
        return parsedate_to_datetime(date_header).timestamp()
    except (TypeError, ValueError, IndexError):
        return None


class TumsClient:
    """One TUMS application, addressed by its AK/SK pair."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str = DEFAULT_BASE_URL,
        *,
        access_key: str,
        secret_key: str,
        terminal_id: str | None = None,
        ssl_context: ssl.SSLContext | None = None,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.time,
        use_temporary_credentials: bool = False,
        temporary_lifetime: int = 1800,
        max_retries: int = 3,
        backoff: float = DEFAULT_BACKOFF,
        max_backoff: float = DEFAULT_MAX_BACKOFF,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """Create the client; nothing is sent before the first call.

        ``terminal_id`` should be generated once (``auth.new_terminal_id``) and persisted.
        With ``use_temporary_credentials`` the long-term pair only mints temporary pairs
        (1.4.1.1), which sign every other call and are renewed before they expire.
        """
        if not 1 <= temporary_lifetime <= TEMP_LIFETIME_MAX:
            raise ValueError("temporary_lifetime must be 1..86400 seconds")
        self._session = session
        self._base = URL(base_url)
        self._long_term = Credentials(access_key, secret_key)
        self._terminal_id = terminal_id or new_terminal_id()
        self._ssl: ssl.SSLContext | bool = ssl_context if ssl_context is not None else True
        self._timeout = timeout
        self._clock = clock
        self._use_temp = use_temporary_credentials
        self._temp_lifetime = temporary_lifetime
        self._temp: Credentials | None = None
        self._temp_lock = asyncio.Lock()
        self._max_retries = max(0, max_retries)
        self._backoff = backoff
        self._max_backoff = max_backoff
        self._sleep = sleep
        self._in_flight = asyncio.Semaphore(MAX_IN_FLIGHT)
        self._blocked_until = 0.0
        self._blocked_error: RateLimitedError | None = None
        self.app_type: AppType | None = None
        self.last_skew: float | None = None

    @property
    def terminal_id(self) -> str:
        """The terminal id sent with every request (persist it)."""
        return self._terminal_id

    @property
    def uses_temporary_credentials(self) -> bool:
        """Whether requests are signed with minted temporary pairs."""
        return self._use_temp

    @property
    def blocked_for(self) -> float:
        """Seconds until calls go out again after a rate limit (0 when they do now)."""
        return max(0.0, round(self._blocked_until - time.monotonic(), 1))

    @property
    def access_key(self) -> str:
        """The long-term access key (not secret)."""
        return self._long_term.access_key

    # --- transport -----------------------------------------------------------------------

    async def _credentials(self) -> Credentials:
        if not self._use_temp:
            return self._long_term
        margin = min(TEMP_RENEW_MARGIN, self._temp_lifetime / 4)
        temp = self._temp
        if temp is not None and temp.valid(self._clock(), margin):
            return temp
        async with self._temp_lock:
            temp = self._temp
            if temp is None or not temp.valid(self._clock(), margin):
                temp = await self.create_temporary_credentials(self._temp_lifetime)
                self._temp = temp
                _LOGGER.debug("temporary credentials renewed")
            return temp

    async def call(
        self,
        path: str,
        body: Mapping[str, Any] | None = None,
        *,
        device_id: str | None = None,
        credentials: Credentials | None = None,
        partial_ok: bool = False,
    ) -> Envelope:
        """POST ``body`` (``{}`` if None) to ``path``: the successful envelope or a typed error.

        ``partial_ok``: a failed overall code that comes with a ``failList`` returns the
        envelope (``error_code`` set) so the caller can type each item's own code.
        """
        data = json.dumps(dict(body or {}), ensure_ascii=False, separators=(",", ":")).encode()
        attempt = 0
        renewed = False
        fresh_nonce = False
        while True:
            self._check_blocked(path)
            creds = credentials or await self._credentials()
            try:
                return await self._post(path, data, creds, device_id, partial_ok)
            except RateLimitedError as err:
                if attempt >= self._max_retries:
                    self._blocked_until = time.monotonic() + err.retry_after
                    self._blocked_error = err
                    raise
                delay = min(self._max_backoff, self._backoff * 2**attempt)
                attempt += 1
                _LOGGER.debug("%s: rate limited (%s), retrying in %s s", path, err.code, delay)
                await self._sleep(delay)
            except AuthError as err:
                # A temporary pair the cloud no longer accepts: mint a new one, once.
                if creds.temporary and not renewed and err.code in (-10304, -10305):
                    renewed = True
                    self._temp = None
                    continue
                raise
            except ApiError as err:
                # -10303 also means "nonce reused": one retry with a fresh nonce.
                if err.code == codes.BAD_AUTH_HEADER and not fresh_nonce:
                    fresh_nonce = True
                    continue
                raise

    def _check_blocked(self, path: str) -> None:
        remaining = self._blocked_until - time.monotonic()
        if remaining > 0 and self._blocked_error is not None:
            code = self._blocked_error.code
            raise RateLimitedError(
                code, codes.message_for(code), path, retry_after=round(remaining, 1)
            )

    async def _post(
        self,
        path: str,
        data: bytes,
        creds: Credentials,
        device_id: str | None,
        partial_ok: bool = False,
    ) -> Envelope:
        header = authorization_header(
            access_key=creds.access_key,
            secret_key=creds.secret_key,
            path=path,
            body=data,
            terminal_id=self._terminal_id,
            timestamp=format_timestamp(self._clock()),
            nonce=new_nonce(),
        )
        headers = {
            HEADER: header,
            "Content-Type": "application/json;charset=UTF-8",
            "Accept": "application/json",
        }
        url = self._base.with_path(path)
        async with self._in_flight:
            try:
                async with (
                    asyncio.timeout(self._timeout),
                    self._session.post(
                        url, data=data, headers=headers, ssl=self._ssl, allow_redirects=False
                    ) as response,
                ):
                    status = response.status
                    date_header = response.headers.get("Date")
                    retry_header = response.headers.get("Retry-After")
                    raw = await _read_limited(response, path)
            except TimeoutError:
                raise ConnectError(f"{path}: no answer within {self._timeout} s") from None
            except (aiohttp.ClientError, OSError, ssl.SSLError) as err:
                raise ConnectError(f"{path}: {_describe(err)}") from None
        server_time = _server_time(date_header)
        skew = None if server_time is None else round(server_time - self._clock(), 1)
        if skew is not None:
            self.last_skew = skew
        if status == 429:
            hint = to_int(retry_header)
            raise RateLimitedError(
                429,
                "HTTP 429 Too Many Requests",
                path,
                retry_after=float(hint) if hint else HTTP_429_RETRY_AFTER,
            )
        if status >= 500:
            raise ConnectError(f"{path}: HTTP {status}")
        try:
            payload = json.loads(raw)
        except ValueError:
            raise ProtocolError(f"{path}: HTTP {status}, answer is not JSON") from None
        code, _msg, envelope = parse_envelope(payload, path)
        if code != codes.SUCCESS:
            error = codes.error_for(code, path, device_id=device_id, skew=skew)
            # 1.4.8.4 answers -80414 overall and the real cause (-80391) per item. Errors about
            # the whole request (credentials, rate limits, app type) are never per item.
            whole = isinstance(error, _REQUEST_ERRORS) or code == codes.BAD_AUTH_HEADER
            if whole or not partial_ok or not envelope.fail_list:
                raise error
            envelope = replace(envelope, error_code=code)
        if status != 200:
            raise ProtocolError(f"{path}: HTTP {status}")
        return envelope

    async def _device_call(
        self,
        path: str,
        ref: DeviceRef,
        extra: Mapping[str, Any] | None = None,
        *,
        channel_required: bool = False,
    ) -> Envelope:
        """One device's call; ``channel_required`` sends channel 1 for a direct IPC.

        Errors carry ``ref.device_id`` as given (without the implied channel 1).
        """
        target = _with_default_channel(ref) if channel_required else ref
        body = target.locator() | dict(extra or {})
        envelope = await self.call(path, body, device_id=ref.device_id)
        _raise_first_failure(envelope, path, ref.device_id)
        return envelope

    async def _batch(
        self, path: str, refs: Sequence[DeviceRef], extra: Mapping[str, Any] | None = None
    ) -> tuple[list[Envelope], list[dict[str, Any]]]:
        envelopes: list[Envelope] = []
        fails: list[dict[str, Any]] = []
        for chunk in _chunks(refs, MAX_BATCH):
            body = {"devList": [ref.locator() for ref in chunk]} | dict(extra or {})
            device_id = chunk[0].device_id if len(chunk) == 1 else None
            envelope = await self.call(path, body, device_id=device_id)
            envelopes.append(envelope)
            fails += envelope.fail_list
        return envelopes, fails

    async def _channel_batch(
        self, path: str, key: str, refs: Sequence[DeviceRef], extra: Mapping[str, Any]
    ) -> tuple[list[Envelope], list[BatchFailure]]:
        """Batches of <= 100 channels under ``key`` (``channelId`` required: 1 for a direct IPC).

        ``failList`` is read at either level and typed; when exactly one device was asked
        for, its failure is raised as the typed error instead.
        """
        envelopes: list[Envelope] = []
        failures: list[BatchFailure] = []
        for chunk in _chunks(refs, MAX_BATCH):
            body = {key: [_with_default_channel(ref).locator() for ref in chunk]} | dict(extra)
            device_id = chunk[0].device_id if len(chunk) == 1 else None
            envelope = await self.call(path, body, device_id=device_id, partial_ok=True)
            envelopes.append(envelope)
            failures += parse_failures(envelope.fail_list, envelope.error_code)
        if len(refs) == 1 and failures:
            raise failures[0].error(path, refs[0].device_id)
        return envelopes, failures

    # --- credentials and application ----------------------------------------------------

    async def create_temporary_credentials(self, lifetime: int = 1800) -> Credentials:
        """1.4.1.1: mint a temporary pair (signed with the long-term pair, as required)."""
        if not 1 <= lifetime <= TEMP_LIFETIME_MAX:
            raise ValueError("lifetime must be 1..86400 seconds")
        envelope = await self.call(
            Path.CREATE_TEMP_CREDENTIAL, {"expireTime": lifetime}, credentials=self._long_term
        )
        return parse_temp_credentials(
            result_dict(envelope, Path.CREATE_TEMP_CREDENTIAL), Path.CREATE_TEMP_CREDENTIAL
        )

    async def detect_app_type(self) -> AppType:
        """Device or project application: probe the project-only list, -88312 means device.

        The document offers no endpoint that names the type. Also verifies the credentials.
        """
        try:
            await self.call(Path.PROJECT_APP_LIST, {"start": 0, "limit": 1})
        except WrongAppTypeError as err:
            if err.required != AppType.PROJECT:
                raise
            self.app_type = AppType.DEVICE
        else:
            self.app_type = AppType.PROJECT
        return self.app_type

    async def get_overview(self) -> dict[str, int]:
        """1.4.3.12: device counters (only types present in the application)."""
        result = result_dict(await self.call(Path.OVERVIEW), Path.OVERVIEW)
        return {k: v for k, v in ((k, to_int(v)) for k, v in result.items()) if v is not None}

    # --- regions and devices ------------------------------------------------------------

    async def _paged_regions(self, path: str, extra: Mapping[str, Any]) -> list[Region]:
        regions: list[Region] = []
        for page in range(MAX_PAGES):
            body = {"start": page * REGION_PAGE, "limit": REGION_PAGE, "needDevNum": 0}
            result = result_dict(await self.call(path, body | dict(extra)), path)
            total, items = parse_region_page(result)
            regions += items
            if (
                not items
                or len(items) < REGION_PAGE
                or (total is not None and len(regions) >= total)
            ):
                break
        return regions

    async def list_regions(self) -> list[Region]:
        """1.4.2.8/1.4.2.9: the whole group tree (project apps), breadth first, bounded."""
        regions = await self._paged_regions(Path.ROOT_REGIONS, {})
        level = [r for r in regions if r.has_children]
        for _depth in range(1, MAX_REGION_DEPTH):
            children: list[Region] = []
            for parent in level:
                if len(regions) + len(children) >= MAX_REGIONS:
                    break
                children += await self._paged_regions(Path.CHILD_REGIONS, {"regionId": parent.id})
            regions += children
            level = [r for r in children if r.has_children]
            if not level:
                break
        return regions[:MAX_REGIONS]

    async def list_devices(
        self, app_type: AppType | None = None, *, region_id: str | None = None
    ) -> list[DeviceInfo]:
        """1.4.3.10 or 1.4.3.11, every page (bounded to ``MAX_PAGES``).

        ``hasChild`` is never sent: its meaning is inverted between the two endpoints in the
        document. Callers tell children by ``parentMac``/``parentQrCode``.
        """
        kind = app_type or self.app_type or await self.detect_app_type()
        path = Path.PROJECT_APP_LIST if kind == AppType.PROJECT else Path.DEVICE_APP_LIST
        devices: list[DeviceInfo] = []
        seen: set[tuple[str | None, str | None, int | None]] = set()
        for page in range(MAX_PAGES):
            body: dict[str, Any] = {"start": page * DEVICE_PAGE, "limit": DEVICE_PAGE}
            if region_id is not None and kind == AppType.PROJECT:
                body["filterAnd"] = {"regionId": region_id}
            total, items = parse_device_page(result_dict(await self.call(path, body), path))
            for item in items:
                key = (item.qr_code, item.mac, item.channel_id if item.is_child else None)
                if key not in seen:
                    seen.add(key)
                    devices.append(item)
            fetched = page * DEVICE_PAGE + len(items)
            if len(items) < DEVICE_PAGE or (total is not None and fetched >= total):
                break
        return devices

    async def get_channels(self, nvr: DeviceRef) -> list[DeviceInfo]:
        """1.4.3.13: the NVR's channel devices (only those in the application)."""
        envelope = await self._device_call(Path.CHANNELS, nvr.with_channel(None))
        return parse_channel_list(result_dict(envelope, Path.CHANNELS))

    async def get_capability(self, ref: DeviceRef) -> dict[str, Any]:
        """1.4.3.16: the capability set (device must be online)."""
        envelope = await self._device_call(Path.CAPABILITY, ref)
        return parse_capability(result_dict(envelope, Path.CAPABILITY))

    async def reboot(self, refs: Sequence[DeviceRef]) -> list[dict[str, Any]]:
        """1.4.3.21: reboot devices (no ``channelId``: NVR channels cannot be rebooted now)."""
        plain = [ref.with_channel(None) for ref in refs]
        _, fails = await self._batch(Path.REBOOT, plain)
        return fails

    async def reboot_device(self, ref: DeviceRef) -> None:
        """Reboot one device; its failList entry is raised as a typed error."""
        fails = await self.reboot([ref])
        _raise_fail_items(fails, Path.REBOOT, ref.device_id)

    async def check_firmware(self, refs: Sequence[DeviceRef]) -> list[dict[str, Any]]:
        """1.4.3.22: ask the cloud to look up the newest firmware (read it with upgrade info)."""
        _, fails = await self._batch(Path.CHECK_FIRMWARE, refs)
        return fails

    async def upgrade_firmware(self, refs: Sequence[DeviceRef]) -> list[dict[str, Any]]:
        """1.4.3.23: start the online upgrade; poll ``get_upgrade_info`` for progress."""
        _, fails = await self._batch(Path.UPGRADE, refs)
        return fails

    async def upgrade_device(self, ref: DeviceRef) -> None:
        """Start one device's online upgrade; its failList entry is raised as a typed error."""
        fails = await self.upgrade_firmware([ref])
        _raise_fail_items(fails, Path.UPGRADE, ref.device_id)

    async def get_upgrade_info(
        self, refs: Sequence[DeviceRef], *, reset_result: bool = False
    ) -> list[FirmwareInfo]:
        """1.4.3.24: current firmware, newest firmware and upgrade progress."""
        envelopes, _ = await self._batch(
            Path.UPGRADE_INFO, refs, {"resetUpgradeResult": 1 if reset_result else 0}
        )
        out: list[FirmwareInfo] = []
        for envelope in envelopes:
            out += parse_firmware(result_dict(envelope, Path.UPGRADE_INFO))
        return out

    # --- device configuration (1.4.4) ---------------------------------------------------

    async def get_osd_capability(self, ref: DeviceRef) -> dict[str, Any]:
        """1.4.4.1."""
        return result_dict(
            await self._device_call(Path.OSD_CAPABILITY, ref, channel_required=True),
            Path.OSD_CAPABILITY,
        )

    async def get_osd(self, ref: DeviceRef) -> dict[str, Any]:
        """1.4.4.2: ``date``, ``week``, ``font``, ``labelInfoList`` as sent by the cloud."""
        return result_dict(
            await self._device_call(Path.GET_OSD, ref, channel_required=True), Path.GET_OSD
        )

    async def set_osd(self, ref: DeviceRef, settings: Mapping[str, Any]) -> None:
        """1.4.4.3: any of ``date``, ``week``, ``font``, ``labelInfoList``."""
        allowed = {"date", "week", "font", "labelInfoList"}
        await self._device_call(
            Path.SET_OSD, ref, _only(settings, allowed, Path.SET_OSD), channel_required=True
        )

    async def sync_time(self, ref: DeviceRef, when: int | None = None) -> None:
        """1.4.4.4: switch to manual time and set the clock (default: now)."""
        moment = int(self._clock()) if when is None else when
        await self._device_call(Path.MANUAL_TIMING, ref, {"time": moment})

    async def get_timing_reboot(self, ref: DeviceRef) -> TimingReboot:
        """1.4.4.5."""
        result = result_dict(
            await self._device_call(Path.GET_TIMING_REBOOT, ref), Path.GET_TIMING_REBOOT
        )
        return parse_timing_reboot(result)

    async def set_timing_reboot(
        self, ref: DeviceRef, enabled: bool, at: str | None = None, day: int | None = None
    ) -> None:
        """1.4.4.6: ``at`` is ``HH:MM:SS``, ``day`` 0 = daily, 1..7 = Monday..Sunday."""
        body: dict[str, Any] = {"ifOpen": enabled}
        if enabled:
            if at is None or day is None:
                raise ValueError("time and day are required when enabling")
            if not 0 <= day <= 7:
                raise ValueError("day must be 0..7")
        if at is not None:
            body["time"] = at
        if day is not None:
            body["day"] = day
        await self._device_call(Path.SET_TIMING_REBOOT, ref, body)

    async def get_supplement_lamp_capability(self, ref: DeviceRef) -> dict[str, Any]:
        """1.4.4.7, both spellings of the mistyped keys merged."""
        envelope = await self._device_call(Path.LAMP_CAPABILITY, ref, channel_required=True)
        return parse_supplement_lamp(result_dict(envelope, Path.LAMP_CAPABILITY))

    async def get_image(self, ref: DeviceRef) -> dict[str, Any]:
        """1.4.4.8: flip, luma, ..., ``nightVisionMode``, ``whiteLamp``, ``infrared``, ``laser``."""
        return result_dict(
            await self._device_call(Path.GET_IMAGE, ref, channel_required=True), Path.GET_IMAGE
        )

    async def set_image(self, ref: DeviceRef, settings: Mapping[str, Any]) -> None:
        """1.4.4.9: any subset of the 1.4.4.8 fields."""
        allowed = {
            "flip",
            "luma",
            "contrast",
            "saturation",
            "sharpness",
            "nightVisionMode",
            "whiteLamp",
            "infrared",
            "laser",
        }
        await self._device_call(
            Path.SET_IMAGE, ref, _only(settings, allowed, Path.SET_IMAGE), channel_required=True
        )

    async def get_sd_cards(self, ref: DeviceRef) -> list[SdCard]:
        """1.4.4.10 (``channelId`` required: 1 for a direct IPC)."""
        envelope = await self._device_call(Path.SD_CARD, ref, channel_required=True)
        return parse_sd_cards(result_dict(envelope, Path.SD_CARD))

    async def format_sd_card(self, ref: DeviceRef, card_index: int) -> None:
        """1.4.4.11: destructive; on an NVR channel it formats the NVR's disk."""
        await self._device_call(
            Path.FORMAT_SD, ref, {"cardIndex": card_index}, channel_required=True
        )

    async def get_record_loop(self, ref: DeviceRef) -> bool | None:
        """1.4.4.12 ``ifLoop``."""
        envelope = await self._device_call(Path.GET_LOOP, ref, channel_required=True)
        return parse_loop(result_dict(envelope, Path.GET_LOOP))

    async def set_record_loop(self, ref: DeviceRef, enabled: bool) -> None:
        """1.4.4.13."""
        await self._device_call(Path.SET_LOOP, ref, {"ifLoop": enabled}, channel_required=True)

    async def get_timing(self, ref: DeviceRef) -> TimingInfo:
        """1.4.4.14: ``manual`` or ``ntp`` and the server."""
        envelope = await self._device_call(Path.GET_TIMING, ref)
        return parse_timing(result_dict(envelope, Path.GET_TIMING))

    async def set_timing(self, ref: DeviceRef, mode: str, server: str | None = None) -> None:
        """1.4.4.15: ``serverIp`` is required with ``ntp``."""
        if mode not in ("manual", "ntp"):
            raise ValueError("mode must be 'manual' or 'ntp'")
        if mode == "ntp" and not server:
            raise ValueError("an NTP server is required with 'ntp'")
        body: dict[str, Any] = {"timingMode": mode}
        if server:
            body["serverIp"] = server
        await self._device_call(Path.SET_TIMING, ref, body)

    async def get_video_capability(self, ref: DeviceRef) -> dict[str, Any]:
        """1.4.4.16 as sent (``bitRates``/``bitrates`` both possible)."""
        envelope = await self._device_call(Path.VIDEO_CAPABILITY, ref, channel_required=True)
        return result_dict(envelope, Path.VIDEO_CAPABILITY)

    async def get_video_streams(self, ref: DeviceRef) -> dict[str, dict[str, Any]]:
        """1.4.4.17 by stream type, ``bitrate``/``bitrateType`` spelled as 1.4.4.18 wants."""
        envelope = await self._device_call(Path.GET_VIDEO, ref, channel_required=True)
        return parse_streams(result_dict(envelope, Path.GET_VIDEO))

    async def set_video_streams(self, ref: DeviceRef, streams: Sequence[Mapping[str, Any]]) -> None:
        """1.4.4.18: each entry names its ``type`` and the fields to change."""
        entries = [dict(s) for s in streams]
        if not entries or any(not isinstance(e.get("type"), str) for e in entries):
            raise ValueError("every stream entry needs a 'type'")
        await self._device_call(
            Path.SET_VIDEO, ref, {"streamInfoList": entries}, channel_required=True
        )

    async def get_ptz_reset_support(self, ref: DeviceRef) -> bool:
        """1.4.4.26 ``positionResetSupport``."""
        envelope = await self._device_call(Path.PTZ_RESET_SUPPORT, ref, channel_required=True)
        result = result_dict(envelope, Path.PTZ_RESET_SUPPORT)
        return bool(to_bool(result.get("positionResetSupport")))

    async def reset_ptz_position(self, ref: DeviceRef) -> None:
        """1.4.4.27: move the PTZ back to its origin."""
        await self._device_call(Path.PTZ_RESET, ref, channel_required=True)

    async def get_channel_push(self, nvr: DeviceRef) -> list[ChannelPushState]:
        """1.4.4.28: per-channel push switches of an NVR."""
        envelope = await self._device_call(Path.GET_CHANNEL_PUSH, nvr.with_channel(None))
        return parse_channel_push(result_dict(envelope, Path.GET_CHANNEL_PUSH))

    async def set_channel_push(self, nvr: DeviceRef, channel_id: int, enabled: bool) -> None:
        """1.4.4.29."""
        await self._device_call(
            Path.SET_CHANNEL_PUSH, nvr.with_channel(channel_id), {"messagePushEnabled": enabled}
        )

    async def trigger_manual_alarm(self, ref: DeviceRef, on: bool = True) -> None:
        """1.4.8.2: start (``"1"``) or stop (``"0"``) the alarm output; no duration exists."""
        await self._device_call(
            Path.MANUAL_ALARM, ref, {"action": "1" if on else "0"}, channel_required=True
        )

    async def set_detection_enabled(
        self, refs: Sequence[DeviceRef], alarm_types: Iterable[int], enabled: bool
    ) -> list[BatchFailure]:
        """1.4.8.3: switch event detections (``AlarmType``, 1..10 of them) on or off.

        Write-only: the cloud has no read-back. Returns the failed (channel, alarm type)
        items; a single requested device's failure is raised (-80391: DeviceUnsupportedError).
        """
        body = {"alarmTypeList": alarm_type_list(alarm_types), "enable": 1 if enabled else 0}
        _, failures = await self._channel_batch(Path.SET_DETECTION, "devInfoList", refs, body)
        return failures

    async def set_alarm_input_enabled(
        self, refs: Sequence[DeviceRef], enabled: bool
    ) -> list[BatchFailure]:
        """1.4.8.4: enable or disable the alarm input (write-only); failures as above."""
        body = {"enable": "on" if enabled else "off"}
        _, failures = await self._channel_batch(Path.SET_ALARM_INPUT, "devInfoList", refs, body)
        return failures

    async def set_alarm_output_enabled(
        self, refs: Sequence[DeviceRef], enabled: bool
    ) -> list[BatchFailure]:
        """1.4.8.5: enable or disable the alarm output (write-only); failures as above."""
        body = {"enable": "on" if enabled else "off"}
        _, failures = await self._channel_batch(Path.SET_ALARM_OUTPUT, "devInfoList", refs, body)
        return failures

    # --- solar power supplies (1.4.3.15, 1.4.4.19 to 1.4.4.22) ---------------------------

    async def get_solar_extend_info(self, ref: DeviceRef) -> SolarStatus:
        """1.4.3.15: state and battery only (temperature and power stay ``None``)."""
        envelope = await self._device_call(Path.SOLAR_EXTEND_INFO, ref.with_channel(None))
        return parse_solar_status(result_dict(envelope, Path.SOLAR_EXTEND_INFO))

    async def get_solar_power(self, ref: DeviceRef) -> SolarStatus:
        """1.4.4.19: state, battery %, ambient temperature, input and output power."""
        envelope = await self._device_call(Path.SOLAR_POWER, ref.with_channel(None))
        return parse_solar_status(result_dict(envelope, Path.SOLAR_POWER))

    async def get_solar_schedule(self, ref: DeviceRef) -> list[SolarSupplySlot]:
        """1.4.4.20: the load power-supply schedule, one entry per load."""
        envelope = await self._device_call(Path.GET_SOLAR_SCHEDULE, ref.with_channel(None))
        return parse_solar_schedule(result_dict(envelope, Path.GET_SOLAR_SCHEDULE))

    async def set_solar_schedule(self, ref: DeviceRef, slot: SolarSupplySlot) -> None:
        """1.4.4.21: set one load's schedule (``slot.load`` is ignored on single-load devices)."""
        await self._device_call(Path.SET_SOLAR_SCHEDULE, ref.with_channel(None), slot.request())

    async def reset_solar_load(self, ref: DeviceRef, load_num: int) -> None:
        """1.4.4.22: restart one load (multi-load devices only).

        Raises ``SolarLoadResetError`` when the cloud reports result ``"1"`` (failed).
        """
        if isinstance(load_num, bool) or load_num < 1:
            raise ValueError("load numbers start at 1")
        envelope = await self._device_call(
            Path.SOLAR_LOAD_RESET, ref.with_channel(None), {"loadNum": load_num}
        )
        check_load_reset(envelope.result, Path.SOLAR_LOAD_RESET)

    # --- recordings (1.4.5.6 to 1.4.5.8) ------------------------------------------------

    async def search_year(
        self, refs: Sequence[DeviceRef], year: int
    ) -> tuple[list[RecordingDays], list[BatchFailure]]:
        """1.4.5.6: the days of ``year`` with recordings, per channel, and the failed channels.

        A single requested device's failure is raised as its typed error.
        """
        if not 1970 <= year <= 9999:
            raise ValueError("year must be 1970..9999")
        envelopes, failures = await self._channel_batch(
            Path.SEARCH_YEAR, "devList", refs, {"year": str(year)}
        )
        found: list[RecordingDays] = []
        for envelope in envelopes:
            found += parse_year(result_dict(envelope, Path.SEARCH_YEAR), year)
        return found, failures

    async def search_videos(self, ref: DeviceRef, day: dt.date) -> list[Recording]:
        """1.4.5.7: every recording segment of ``day``, read in windows of 100.

        Whether ``endIdx`` is inclusive is not stated (the example asks 0..99), so the next
        window starts after the segments actually received, and only a window shorter than
        99 segments ends the search: neither reading loses or repeats a segment.
        """
        recordings: list[Recording] = []
        seen: set[Recording] = set()
        start = 0
        for _page in range(MAX_PAGES):
            window = {"startIdx": start, "endIdx": start + VIDEO_WINDOW - 1}
            envelope = await self._device_call(
                Path.SEARCH_VIDEO, ref, _search_day(day) | window, channel_required=True
            )
            result = result_dict(envelope, Path.SEARCH_VIDEO)
            videos = result.get("videos")
            count = len(videos) if isinstance(videos, list) else 0
            fresh = [r for r in parse_recordings(result) if r not in seen]
            seen.update(fresh)
            recordings += fresh
            # A full window of nothing new: the cloud ignores the indices; stop, not loop.
            if count < VIDEO_WINDOW - 1 or not fresh:
                break
            start += count
        return recordings

    async def search_human_videos(self, ref: DeviceRef, day: dt.date) -> list[Recording]:
        """1.4.5.8: all person recordings of ``day`` (no paging); each has kind ``person``."""
        envelope = await self._device_call(
            Path.SEARCH_HUMAN_VIDEO, ref, _search_day(day), channel_required=True
        )
        return parse_recordings(result_dict(envelope, Path.SEARCH_HUMAN_VIDEO), human=True)

    # --- push subscription (1.4.6) ------------------------------------------------------

    async def get_push_config(self) -> PushConfig | None:
        """1.4.6.2: ``None`` when the application has no subscription."""
        envelope = await self.call(Path.GET_PUSH_CONFIG)
        if envelope.result is None:
            return None
        return parse_push_config(result_dict(envelope, Path.GET_PUSH_CONFIG))

    async def set_push_config(
        self, server_url: str, *, enabled: bool = True, content_types: Sequence[str] = ()
    ) -> None:
        """1.4.6.1: create or replace the subscription (empty ``content_types`` = all)."""
        if not server_url:
            raise ValueError("serverUrl must not be empty")
        await self.call(
            Path.SET_PUSH_CONFIG,
            {
                "serverUrl": server_url,
                "openMsgTransport": 1 if enabled else 0,
                "msgContentType": list(content_types),
            },
        )

    async def delete_push_config(self) -> None:
        """Switch push off. The document has no delete call, and ``serverUrl`` may not be empty.

        So the current URL is kept with ``openMsgTransport`` 0.
        """
        current = await self.get_push_config()
        if current is None or not current.server_url or not current.enabled:
            return
        await self.set_push_config(
            current.server_url, enabled=False, content_types=current.content_types
        )

    # --- passenger flow (1.4.7, project applications) -----------------------------------

    async def get_flow_devices(self, region_id: str) -> list[dict[str, Any]]:
        """1.4.7.1: the IPCs of a group that count people (raw entries)."""
        envelope = await self.call(Path.FLOW_DEVICES, {"regionId": region_id})
        items = result_dict(envelope, Path.FLOW_DEVICES).get("deviceInfoList")
        return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []

    async def query_flow(
        self, refs: Sequence[DeviceRef], start: int, end: int, accuracy: str = "day"
    ) -> list[FlowRow]:
        """1.4.7.3 by device: one row per bucket and device (direct IPCs, channel 1)."""
        rows: list[FlowRow] = []
        for chunk in _chunks(refs, MAX_BATCH):
            devices = [ref.with_channel(1).locator() for ref in chunk]
            for page in range(MAX_PAGES):
                body = {
                    "start": page * FLOW_PAGE,
                    "limit": FLOW_PAGE,
                    "filterAnd": {
                        "queryCategory": "device",
                        "accuracy": accuracy,
                        "timeList": [{"startTime": start, "endTime": end}],
                        "devInfoList": devices,
                    },
                }
                result = result_dict(await self.call(Path.QUERY_FLOW, body), Path.QUERY_FLOW)
                total, _updated, items = parse_flow_rows(result)
                rows += items
                fetched = page * FLOW_PAGE + len(items)
                if len(items) < FLOW_PAGE or (total is not None and fetched >= total):
                    break
        return rows

    async def get_device_flow_totals(
        self, ref: DeviceRef, start: int, end: int, accuracy: str = "day"
    ) -> FlowTotals:
        """1.4.7.5 (``channelId`` is always 1)."""
        body = {"accuracy": accuracy, "startTime": start, "endTime": end}
        envelope = await self._device_call(Path.DEVICE_FLOW, ref.with_channel(1), body)
        return parse_flow_totals(result_dict(envelope, Path.DEVICE_FLOW))

    async def get_region_flow_totals(
        self, region_id: str, start: int, end: int, accuracy: str = "day"
    ) -> FlowTotals:
        """1.4.7.4."""
        body = {"regionId": region_id, "accuracy": accuracy, "startTime": start, "endTime": end}
        envelope = await self.call(Path.REGION_FLOW, body)
        return parse_flow_totals(result_dict(envelope, Path.REGION_FLOW))

    async def get_flow_sync_status(self) -> bool:
        """1.4.7.6: ``True`` while the cloud is still syncing flow data."""
        result = result_dict(await self.call(Path.FLOW_SYNC), Path.FLOW_SYNC)
        return to_int(result.get("status")) == 1


_REQUEST_ERRORS: Final = (AuthError, RateLimitedError, WrongAppTypeError)


def _search_day(day: dt.date) -> dict[str, str]:
    """``searchDay`` is ``yyyyMMdd``."""
    return {"searchDay": day.strftime("%Y%m%d")}


def _with_default_channel(ref: DeviceRef) -> DeviceRef:
    """[CH-A]/[CH-B] endpoints need ``channelId``: a directly bound IPC is channel 1."""
    return ref if ref.channel_id is not None else ref.with_channel(1)


def _only(settings: Mapping[str, Any], allowed: set[str], path: str) -> dict[str, Any]:
    unknown = set(settings) - allowed
    if unknown:
        raise ValueError(f"{path}: unknown fields {sorted(unknown)}")
    return dict(settings)


def _raise_fail_items(fails: Sequence[Mapping[str, Any]], path: str, device_id: str) -> None:
    for item in fails:
        code = to_int(item.get("error_code"))
        if code is None:
            code = to_int(item.get("errorCode"))
        if code:
            raise codes.error_for(code, path, device_id=device_id)


def _raise_first_failure(envelope: Envelope, path: str, device_id: str) -> None:
    _raise_fail_items(envelope.fail_list, path, device_id)


async def _read_limited(response: aiohttp.ClientResponse, path: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(65536):
        size += len(chunk)
        if size > MAX_JSON_BYTES:
            raise ProtocolError(f"{path}: answer larger than {MAX_JSON_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _describe(err: BaseException) -> str:
    """Describe a transport error briefly, without URLs or headers."""
    os_error = getattr(err, "os_error", None)
    if isinstance(os_error, OSError) and os_error.strerror:
        return f"{type(err).__name__}: {os_error.strerror}"
    if isinstance(err, OSError) and err.strerror:
        return f"{type(err).__name__}: {err.strerror}"
    return type(err).__name__
