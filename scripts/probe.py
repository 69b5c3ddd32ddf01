"""Support probe: what the api layer sees of a device, as redacted JSON on stdout.

Exit status 0 on success; otherwise 2 (usage), 3 (certificate not yet accepted), 4 (auth),
5 (TLS), 6 (connection or protocol), with a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import getpass
import json
import os
import sys
from typing import Any

import aiohttp

from custom_components.business_cameras.api.errors import (
    AuthError,
    CameraError,
    CertificateMismatchError,
    LockedError,
)
from custom_components.business_cameras.api.model import StateGroup
from custom_components.business_cameras.api.vigi.backend import VigiBackend
from custom_components.business_cameras.api.vigi.client import (
    VigiClient,
    fetch_certificate_fingerprint,
)

REDACTED = "**REDACTED**"
SECRET_KEYS = {"mac", "serial", "password", "token", "access_token", "refresh_token", "url"}
EXIT_CERTIFICATE, EXIT_AUTH, EXIT_TLS, EXIT_CONNECT = 3, 4, 5, 6


def redact(value: Any) -> Any:
    """Replace every secret-looking field, recursively."""
    if isinstance(value, dict):
        return {k: REDACTED if k in SECRET_KEYS and v else redact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    return value


def to_jsonable(value: Any) -> Any:
    """Dataclasses, sets and enums as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_jsonable(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(to_jsonable(v) for v in value)
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Command line of the probe."""
    parser = argparse.ArgumentParser(prog="probe", description=__doc__)
    sub = parser.add_subparsers(dest="platform", required=True)
    vigi = sub.add_parser("vigi", help="TP-Link VIGI NVR (local OpenAPI)")
    vigi.add_argument("--host", required=True)
    vigi.add_argument("--port", type=int, default=20443)
    vigi.add_argument("--username", required=True)
    vigi.add_argument("--accept-certificate", action="store_true")
    vigi.add_argument("--timeout", type=float, default=10.0)
    return parser.parse_args(argv)


async def probe_vigi(args: argparse.Namespace, password: str) -> dict[str, Any]:
    """Log in with the certificate pinned and read every state group once."""
    fingerprint = await fetch_certificate_fingerprint(args.host, args.port, args.timeout)
    async with aiohttp.ClientSession() as session:
        client = VigiClient(
            session,
            host=args.host,
            port=args.port,
            username=args.username,
            password=password,
            fingerprint=fingerprint,
            timeout=args.timeout,
        )
        backend = VigiBackend(client, nvr_id=fingerprint)
        try:
            await backend.async_connect()
            devices = await backend.async_get_devices()
            by_key = {device.key: device for device in devices}
            states = await backend.async_get_state(by_key, set(StateGroup))
        finally:
            await backend.async_close()
    hub = by_key["nvr"]
    return {
        "platform": "vigi",
        "certificate_sha256": fingerprint,
        "model": hub.model,
        "firmware": hub.sw_version,
        "modules": to_jsonable(backend.modules),
        "capabilities": to_jsonable(hub.capabilities),
        "channels": [to_jsonable(d) for d in devices if d.parent is not None],
        "state": to_jsonable(states),
    }


def fail(code: int, reason: str) -> int:
    """Print a one-line reason and give the exit status."""
    print(f"probe: {reason}", file=sys.stderr)
    return code


async def run(args: argparse.Namespace) -> int:
    """Probe one device; the exit status says what went wrong."""
    if not args.accept_certificate:
        try:
            fingerprint = await fetch_certificate_fingerprint(args.host, args.port, args.timeout)
        except CameraError as err:
            return fail(EXIT_CONNECT, f"cannot reach {args.host}:{args.port}: {err}")
        print(json.dumps({"certificate_sha256": fingerprint}))
        return fail(
            EXIT_CERTIFICATE,
            "compare this fingerprint with the NVR's, then run again with --accept-certificate",
        )
    password = os.environ.get("PROBE_PASSWORD") or getpass.getpass("Password: ")
    try:
        report = await probe_vigi(args, password)
    except LockedError as err:
        return fail(EXIT_AUTH, f"the account is locked (code {err.code}); wait and retry")
    except AuthError as err:
        return fail(EXIT_AUTH, f"authentication failed (code {err.code})")
    except CertificateMismatchError:
        return fail(EXIT_TLS, "the certificate changed while probing")
    except CameraError as err:
        return fail(EXIT_CONNECT, f"{type(err).__name__}: {err}")
    text = json.dumps(redact(report), indent=2, sort_keys=True)
    if password and password in text:  # belt and braces: never print the password
        text = text.replace(password, REDACTED)
    print(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    return asyncio.run(run(parse_args(sys.argv[1:] if argv is None else argv)))


if __name__ == "__main__":
    sys.exit(main())
