"""Home Assistant side of device push: a channel the backend keeps open, or a webhook.

Which one is used: the options flow's choice; by default the channel where the platform has one
(it needs no reachable Home Assistant URL), else the webhook.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import TYPE_CHECKING

from aiohttp import web
from homeassistant.components import webhook
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.network import NoURLAvailableError, get_url

from .api.backend import ChannelPushBackend, PushMethod, WebhookPushBackend
from .api.errors import AuthError, CameraError, ProtocolError
from .api.model import CameraEvent
from .const import (
    CLOUD_PUSH_PLATFORMS,
    CONF_PLATFORM,
    CONF_PUSH_METHOD,
    CONF_WEBHOOK_ID,
    DOMAIN,
    ISSUE_PUSH_UNAVAILABLE,
    MAX_PUSH_BYTES,
)
from .coordinator import CamerasCoordinator

if TYPE_CHECKING:
    from . import CamerasConfigEntry

_LOGGER = logging.getLogger(__name__)


class ChannelLink:
    """A push channel the backend keeps open to the device."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: CamerasConfigEntry,
        backend: ChannelPushBackend,
        coordinator: CamerasCoordinator,
    ) -> None:
        """Keep what the callbacks and the teardown need."""
        self._hass = hass
        self._entry = entry
        self._backend = backend
        self._coordinator = coordinator
        self.received = 0
        self.rejected = 0

    async def async_start(self) -> None:
        """Open the channel; it reconnects by itself."""
        await self._backend.async_start_channel(self._on_event, self._on_state, self._on_auth_error)

    @callback
    def _on_auth_error(self, err: AuthError) -> None:
        _LOGGER.warning("%s rejected the credentials on its message channel", self._entry.title)
        self._entry.async_start_reauth(self._hass)

    @callback
    def _on_event(self, event: CameraEvent) -> None:
        self.received += 1
        self._coordinator.async_handle_events([event])

    @callback
    def _on_state(self, connected: bool) -> None:
        self._coordinator.async_set_push_method(
            PushMethod.CHANNEL if connected else PushMethod.POLL
        )

    async def async_stop(self) -> None:
        """Close the channel; never raises."""
        await self._backend.async_stop_channel()
        self._coordinator.async_set_push_method(PushMethod.POLL)


class PushLink:
    """A registered webhook and the device-side registration that points at it."""

    def __init__(
        self,
        hass: HomeAssistant,
        webhook_id: str,
        backend: WebhookPushBackend,
        coordinator: CamerasCoordinator,
    ) -> None:
        """Keep what the handler and the teardown need."""
        self._hass = hass
        self.webhook_id = webhook_id
        self._backend = backend
        self._coordinator = coordinator
        self.received = 0
        self.rejected = 0
        # What the platform POSTs: multipart (devices) unless the backend names other types.
        types: tuple[str, ...] = getattr(backend, "push_content_types", ("multipart/",))
        self._content_types = types

    async def async_stop(self) -> None:
        """Remove the device's event target, then the webhook; never raises."""
        webhook.async_unregister(self._hass, self.webhook_id)
        try:
            await self._backend.async_unregister_push()
        except CameraError as err:
            _LOGGER.warning("Could not remove the event server from the device: %s", err)

    async def async_handle(
        self, hass: HomeAssistant, webhook_id: str, request: web.Request
    ) -> web.Response:
        """Parse one push; bad input is logged and answered, never raised."""
        content_type = request.headers.get("Content-Type", "")
        if request.content_length is not None and request.content_length > MAX_PUSH_BYTES:
            return self._reject(request, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body too large")
        if not content_type.lower().startswith(self._content_types):
            return self._reject(
                request, HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"content type {content_type!r}"
            )
        body = await _read_bounded(request)
        if body is None:
            return self._reject(request, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body too large")
        try:
            events = self._backend.parse_push(content_type, body, request.remote)
        except AuthError:
            return self._reject(request, HTTPStatus.FORBIDDEN, "sender is not the device")
        except ProtocolError as err:
            return self._reject(request, HTTPStatus.BAD_REQUEST, str(err))
        self.received += 1
        self._coordinator.async_handle_events(events)
        return web.json_response({"error_code": 0})

    def _reject(self, request: web.Request, status: HTTPStatus, reason: str) -> web.Response:
        self.rejected += 1
        _LOGGER.warning(
            "Rejected event push from %s for %s: %s",
            request.remote,
            self._coordinator.config_entry.title,
            reason,
        )
        return web.json_response({"error_code": -40209}, status=status)


async def _read_bounded(request: web.Request) -> bytes | None:
    """Read the body, giving up past MAX_PUSH_BYTES (chunked bodies have no length)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > MAX_PUSH_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def async_start_push(
    hass: HomeAssistant, entry: CamerasConfigEntry, coordinator: CamerasCoordinator
) -> PushLink | ChannelLink | None:
    """Start the entry's event path; None when only polling is possible."""
    backend = coordinator.backend
    method = entry.options.get(CONF_PUSH_METHOD)
    if entry.data.get(CONF_PLATFORM) in CLOUD_PUSH_PLATFORMS:
        # A cloud POSTs from the internet: only when the user chose it in the options.
        if method != PushMethod.WEBHOOK or not isinstance(backend, WebhookPushBackend):
            return None
        return await _async_start_webhook(hass, entry, coordinator, backend, external=True)
    if isinstance(backend, ChannelPushBackend) and method != PushMethod.WEBHOOK:
        channel = ChannelLink(hass, entry, backend, coordinator)
        await channel.async_start()
        return channel
    if not isinstance(backend, WebhookPushBackend):
        return None
    return await _async_start_webhook(hass, entry, coordinator, backend)


async def _async_start_webhook(
    hass: HomeAssistant,
    entry: CamerasConfigEntry,
    coordinator: CamerasCoordinator,
    backend: WebhookPushBackend,
    *,
    external: bool = False,
) -> PushLink | None:
    """Register the webhook and point the device at it; None when that is not possible.

    ``external``: the sender is a cloud, so the URL must be Home Assistant's external one
    (the webhook id is then the only secret: cloud pushes carry no signature).
    """
    issue_id = f"{ISSUE_PUSH_UNAVAILABLE}_{entry.entry_id}"
    webhook_id: str = entry.data[CONF_WEBHOOK_ID]
    try:
        if external:
            base = get_url(hass, allow_internal=False, allow_cloud=False, prefer_external=True)
        else:
            base = get_url(hass, allow_external=False, allow_cloud=False, prefer_external=False)
    except NoURLAvailableError:
        _LOGGER.warning(
            "No %s URL of Home Assistant is known; %s events will only be polled",
            "external" if external else "local",
            entry.title,
        )
        _create_push_issue(hass, entry, issue_id, external=external)
        return None
    link = PushLink(hass, webhook_id, backend, coordinator)
    webhook.async_register(
        hass,
        DOMAIN,
        f"{entry.title} events",
        webhook_id,
        link.async_handle,
        local_only=not external,
        allowed_methods=["POST"],
    )
    url = f"{base}{webhook.async_generate_path(webhook_id)}"
    try:
        await backend.async_register_push(url)
    except CameraError as err:
        webhook.async_unregister(hass, webhook_id)
        _LOGGER.warning("Could not register %s's event server: %s", entry.title, err)
        _create_push_issue(hass, entry, issue_id, external=external)
        return None
    ir.async_delete_issue(hass, DOMAIN, issue_id)
    coordinator.async_set_push_method(PushMethod.WEBHOOK)
    return link


def _create_push_issue(
    hass: HomeAssistant, entry: CamerasConfigEntry, issue_id: str, *, external: bool = False
) -> None:
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=f"{ISSUE_PUSH_UNAVAILABLE}_external"
        if external
        else ISSUE_PUSH_UNAVAILABLE,
        translation_placeholders={"title": entry.title},
    )
