"""Home Assistant's websocket API and the registries, on top of scripts.demo's HassApi."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from scripts.demo import HassApi, state_of


class WsError(Exception):
    """A websocket command answered success: false; keeps the error object."""

    def __init__(self, error: Mapping[str, Any]) -> None:
        super().__init__(f"{error.get('code')}: {error.get('message')}")
        self.error = dict(error)


async def ws(api: HassApi, message: Mapping[str, Any]) -> Any:
    """One websocket command with arguments; its result, or WsError."""
    async with api.session.ws_connect(api.url + "/api/websocket") as conn:
        await conn.receive_json()  # auth_required
        await conn.send_json({"type": "auth", "access_token": api.access_token})
        auth = await conn.receive_json()
        assert auth["type"] == "auth_ok", auth
        await conn.send_json({"id": 1, **message})
        answer = await conn.receive_json()
    if not answer["success"]:
        raise WsError(answer["error"])
    return answer["result"]


async def call_service(api: HassApi, domain: str, service: str, data: Mapping[str, Any]) -> Any:
    """A service call over the websocket API (errors come back translated, with their key)."""
    message = {"type": "call_service", "domain": domain, "service": service, "service_data": data}
    return await ws(api, message)


async def wait_for_state(
    api: HassApi,
    entity_id: str,
    done: Callable[[Mapping[str, Any]], bool],
    within: float = 20.0,
    *,
    poke: Callable[[], Awaitable[Any]] | None = None,
) -> dict[str, Any]:
    """Poll an entity until done(state); AssertionError with the last state after `within` s.

    poke, when given, is awaited about once a second (for example to ask for a refresh).
    """
    deadline = time.monotonic() + within
    poked = 0.0
    while True:
        if poke is not None and time.monotonic() - poked >= 1.0:
            poked = time.monotonic()
            await poke()
        state = await state_of(api, entity_id)
        if done(state):
            return state
        if time.monotonic() > deadline:
            raise AssertionError(f"{entity_id} not as expected after {within:.0f} s: {state}")
        await asyncio.sleep(0.25)


@dataclass(frozen=True)
class Registry:
    """The entity and device registries, read once after set-up."""

    entities: list[dict[str, Any]]
    devices: list[dict[str, Any]]

    @classmethod
    async def read(cls, api: HassApi) -> Registry:
        """Both registries, through the websocket API as the frontend reads them."""
        entities, devices = await asyncio.gather(
            ws(api, {"type": "config/entity_registry/list"}),
            ws(api, {"type": "config/device_registry/list"}),
        )
        return cls(entities, devices)

    def device_id(self, name: str) -> str:
        """The id of the device with that name."""
        found = [d["id"] for d in self.devices if d["name"] == name]
        assert len(found) == 1, f"{len(found)} devices named {name!r}"
        return str(found[0])

    def entity(self, device: str, domain: str, key: str | None = None) -> str:
        """The entity of a device (by name) with that domain and translation key."""
        device_id = self.device_id(device)
        found = [
            e["entity_id"]
            for e in self.entities
            if e["device_id"] == device_id
            and e["entity_id"].startswith(f"{domain}.")
            and e["translation_key"] == key
        ]
        assert len(found) == 1, f"{device}: {found} for {domain} {key!r}"
        return str(found[0])
