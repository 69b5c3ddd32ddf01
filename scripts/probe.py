"""Support probe: what the api layer sees of a device, as redacted JSON on stdout.

  probe vigi --host H [--port P] --username U [--accept-certificate]   (PROBE_PASSWORD)
  probe sunmi --host H --app-id A --cert FILE.p12 [--accept-certificate]
        (PROBE_SECRET, PROBE_CERT_PASSWORD)
  probe sunmi --discover [--target ADDR]...   (default: every local broadcast address)
  probe tums [--base-url URL] --access-key AK [--cafile FILE] [--limit N]   (PROBE_SECRET: SK)
        (TP-Link TUMS business cloud or an on-premise TUMS; --cafile trusts a private CA)

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
import re
import ssl
import sys
from collections import Counter
from collections.abc import Awaitable, Iterable
from pathlib import Path
from typing import Any

import aiohttp

from custom_components.business_cameras.api.errors import (
    AuthError,
    CameraError,
    CertificateMismatchError,
    LockedError,
)
from custom_components.business_cameras.api.model import Device, StateGroup
from custom_components.business_cameras.api.sunmi.backend import SunmiBackend
from custom_components.business_cameras.api.sunmi.client import SunmiClient
from custom_components.business_cameras.api.sunmi.discovery import broadcast_targets, discover
from custom_components.business_cameras.api.sunmi.errors import CertificateError
from custom_components.business_cameras.api.sunmi.tls import (
    build_ssl_context,
    fetch_server_fingerprint,
)
from custom_components.business_cameras.api.tums.backend import TumsBackend
from custom_components.business_cameras.api.tums.client import (
    DEFAULT_BASE_URL,
    AppType,
    TumsClient,
)
from custom_components.business_cameras.api.tums.errors import (
    ClockSkewError,
    RateLimitedError,
)
from custom_components.business_cameras.api.vigi.backend import VigiBackend
from custom_components.business_cameras.api.vigi.client import (
    VigiClient,
    fetch_certificate_fingerprint,
)

REDACTED = "**REDACTED**"
SECRET_KEYS = {
    "mac", "serial", "password", "token", "access_token", "refresh_token", "url", "sn",
    "secret_key", "app_id", "face_id", "cloud_face_id", "hd_live_url", "fhd_live_url",
}  # fmt: skip
EXIT_USAGE, EXIT_CERTIFICATE, EXIT_AUTH, EXIT_TLS, EXIT_CONNECT = 2, 3, 4, 5, 6


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
    sunmi = sub.add_parser("sunmi", help="SUNMI IP camera (local OpenAPI)")
    sunmi.add_argument("--discover", action="store_true", help="list the cameras that answer")
    sunmi.add_argument("--target", action="append", default=[], help="discovery target address")
    sunmi.add_argument("--host")
    sunmi.add_argument("--app-id")
    sunmi.add_argument("--cert", help="the openapi.p12 client certificate")
    sunmi.add_argument("--accept-certificate", action="store_true")
    sunmi.add_argument("--timeout", type=float, default=10.0)
    tums = sub.add_parser("tums", help="TP-Link TUMS business cloud (AK/SK OpenAPI)")
    tums.add_argument("--base-url", default=DEFAULT_BASE_URL, help="an on-premise TUMS host")
    tums.add_argument("--access-key", required=True)
    tums.add_argument("--cafile", help="PEM CA bundle to trust (a simulator or on-premise TUMS)")
    tums.add_argument(
        "--limit", type=int, default=10, help="bound devices (with channels) detailed and read"
    )
    tums.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args(argv)
    if args.platform == "tums" and (
        not args.base_url.startswith("https://") or args.limit < 0 or not args.access_key
    ):
        parser.error("tums needs an https:// --base-url, an --access-key and --limit >= 0")
    if args.platform == "sunmi" and not args.discover:
        missing = [flag for flag in ("host", "app_id", "cert") if not getattr(args, flag)]
        if missing:
            parser.error("sunmi needs --discover, or --host, --app-id and --cert")
    return args


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


async def discover_sunmi(targets: list[str]) -> list[dict[str, Any]]:
    """The cameras that answer a discovery scan of ``targets``."""
    if not targets:
        targets = await asyncio.get_running_loop().run_in_executor(None, broadcast_targets)
    return [dataclasses.asdict(camera) for camera in await discover(targets)]


async def probe_sunmi(
    args: argparse.Namespace, secret: str, context: ssl.SSLContext, fingerprint: str
) -> dict[str, Any]:
    """Sign in with the client certificate and read every state group once."""
    async with aiohttp.ClientSession() as session:
        client = SunmiClient(
            session,
            args.host,
            app_id=args.app_id,
            secret_key=secret,
            ssl_context=context,
            fingerprint=fingerprint,
            timeout=args.timeout,
        )
        info = await client.get_info()
        backend = SunmiBackend(client, sn=info.sn, model=info.model)
        try:
            await backend.async_connect()
            devices = await backend.async_get_devices()
            by_key = {device.key: device for device in devices}
            states = await backend.async_get_state(by_key, set(StateGroup))
        finally:
            await backend.async_close()
    camera = devices[0]
    return {
        "platform": "sunmi",
        "certificate_sha256": fingerprint,
        "model": camera.model,
        "firmware": camera.sw_version,
        "capabilities": to_jsonable(camera.capabilities),
        "device": to_jsonable(camera),
        "state": to_jsonable(states),
    }


async def run_sunmi(args: argparse.Namespace) -> int:
    """Discovery, or one camera's report."""
    if args.discover:
        try:
            cameras = await discover_sunmi(args.target)
        except OSError as err:
            return fail(EXIT_CONNECT, f"discovery failed: {err.strerror or err}")
        print(json.dumps(redact({"cameras": cameras}), indent=2, sort_keys=True))
        return 0
    cert_password = os.environ.get("PROBE_CERT_PASSWORD") or getpass.getpass(
        "Certificate password: "
    )
    try:
        context = build_ssl_context(Path(args.cert).read_bytes(), cert_password)
        fingerprint = await fetch_server_fingerprint(args.host, 443, context)
    except OSError as err:
        return fail(EXIT_USAGE, f"cannot read {args.cert}: {err.strerror or err}")
    except CertificateError:
        return fail(EXIT_TLS, "the client certificate or its password is wrong")
    except CameraError as err:
        return fail(EXIT_CONNECT, f"cannot reach {args.host}:443: {err}")
    if not args.accept_certificate:
        print(json.dumps({"certificate_sha256": fingerprint}))
        return fail(
            EXIT_CERTIFICATE,
            "compare this fingerprint with the camera's, then run again with --accept-certificate",
        )
    secret = os.environ.get("PROBE_SECRET") or getpass.getpass("Secret key: ")
    try:
        report = await probe_sunmi(args, secret, context, fingerprint)
    except AuthError as err:
        return fail(EXIT_AUTH, f"the camera rejected the app id or secret key (code {err.code})")
    except CertificateMismatchError:
        return fail(EXIT_TLS, "the certificate changed while probing")
    except CameraError as err:
        return fail(EXIT_CONNECT, f"{type(err).__name__}: {err}")
    text = json.dumps(redact(report), indent=2, sort_keys=True)
    for secret_text in (secret, cert_password):
        if secret_text and secret_text in text:
            text = text.replace(secret_text, REDACTED)
    print(text)
    return 0


def tums_pseudonyms(devices: list[Device]) -> dict[str, str]:
    """Device keys carry device codes (serials): ``device-N`` and ``device-N:chC`` instead."""
    names: dict[str, str] = {}
    for number, device in enumerate((d for d in devices if d.parent is None), 1):
        names[device.key] = f"device-{number}"
    for device in devices:
        if device.parent is not None:
            names[device.key] = f"{names.get(device.parent, 'device-?')}:ch{device.channel}"
    return names


def tums_identifiers(devices: list[Device]) -> set[str]:
    """Device codes and MACs (every spelling the cloud or the model uses) to scrub from output."""
    found: set[str] = set()
    for device in devices:
        for value in (device.key.split(":ch")[0], device.serial):
            if value:
                found.add(value)
        if device.mac:
            found |= {device.mac, device.mac.replace(":", "-"), device.mac.replace(":", "")}
    return {value for value in found if len(value) >= 6}


def scrub(text: str, secrets: Iterable[str]) -> str:
    """Replace every occurrence of the given strings (case-insensitively), longest first."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = re.sub(re.escape(secret), REDACTED, text, flags=re.IGNORECASE)
    return text


async def probe_tums(args: argparse.Namespace, secret: str) -> tuple[dict[str, Any], set[str]]:
    """Connect, list every device with its capabilities, read the state of the first few.

    Returns the report and the identifiers (device codes, MACs) to scrub from it.
    """
    context = ssl.create_default_context(cafile=args.cafile) if args.cafile else None
    async with aiohttp.ClientSession() as session:
        client = TumsClient(
            session,
            args.base_url,
            access_key=args.access_key,
            secret_key=secret,
            ssl_context=context,
            timeout=args.timeout,
        )
        backend = TumsBackend(client, account_id="probe")
        try:
            await backend.async_connect()
            overview = await backend_soft(client.get_overview())
            regions = (
                await backend_soft(client.list_regions())
                if backend.app_type == AppType.PROJECT
                else None
            )
            devices = await backend.async_get_devices()
            tops = [d for d in devices if d.parent is None][: args.limit]
            chosen = {d.key for d in tops}
            detailed = [d for d in devices if d.key in chosen or d.parent in chosen]
            by_key = {device.key: device for device in detailed}
            states = await backend.async_get_state(by_key, set(StateGroup)) if by_key else {}
        finally:
            await backend.async_close()
    names = tums_pseudonyms(devices)
    capability_counts: Counter[str] = Counter()
    for device in devices:
        capability_counts.update(str(capability) for capability in device.capabilities)
    channels = [d for d in devices if d.parent is not None]
    hubs = {d.parent for d in channels}

    def renamed(device: Device) -> dict[str, Any]:
        data: dict[str, Any] = to_jsonable(device)
        data["key"] = names[device.key]
        if device.parent is not None:
            data["parent"] = names.get(device.parent, REDACTED)
        return data

    report = {
        "platform": "tums",
        "base_url": args.base_url,
        "app_type": str(backend.app_type),
        "clock_skew_seconds": client.last_skew,
        "overview": overview,
        "regions": None if regions is None else [to_jsonable(r) for r in regions],
        "counts": {
            "devices": len(devices) - len(channels),
            "nvrs_with_channels": len(hubs),
            "channels": len(channels),
            "without_capabilities": sum(1 for d in devices if not d.capabilities),
        },
        "capabilities": dict(sorted(capability_counts.items())),
        "detailed": f"the first {len(tops)} devices and their channels (--limit)",
        "devices": [renamed(device) for device in detailed],
        "state": {names[key]: to_jsonable(state) for key, state in states.items()},
    }
    return report, tums_identifiers(devices)


async def backend_soft[T](call: Awaitable[T]) -> T | None:
    """An optional read: None when the cloud refuses it (the report says so by the null)."""
    try:
        return await call
    except (AuthError, RateLimitedError):
        raise
    except CameraError as err:
        print(f"probe: optional read failed: {type(err).__name__}: {err}", file=sys.stderr)
        return None


def tls_failure(err: CameraError) -> bool:
    """A ConnectError caused by certificate verification (the client names the error class)."""
    text = str(err)
    return "Certificate" in text or "SSL" in text


async def run_tums(args: argparse.Namespace) -> int:
    """One TUMS application's report."""
    if args.cafile and not Path(args.cafile).is_file():
        return fail(EXIT_USAGE, f"cannot read {args.cafile}")
    secret = os.environ.get("PROBE_SECRET") or getpass.getpass("Secret key (SK): ")
    try:
        report, identifiers = await probe_tums(args, secret)
    except ClockSkewError as err:
        # The skew comes from the answer's Date header; a second or two is its resolution.
        measured = err.skew is not None and abs(err.skew) >= 5
        skew = f" (server clock {err.skew:+.0f} s from ours)" if measured else ""
        return fail(EXIT_AUTH, f"the cloud rejected the request time{skew}; fix the clock")
    except AuthError as err:
        return fail(EXIT_AUTH, f"the cloud rejected the access key or secret (code {err.code})")
    except RateLimitedError as err:
        return fail(EXIT_CONNECT, f"rate limited (code {err.code}); retry in {err.retry_after} s")
    except ssl.SSLError:
        return fail(EXIT_TLS, f"cannot read {args.cafile} as a CA bundle")
    except CameraError as err:
        if tls_failure(err):
            return fail(EXIT_TLS, "the server certificate is not trusted (see --cafile)")
        return fail(EXIT_CONNECT, f"{type(err).__name__}: {err}")
    text = json.dumps(redact(report), indent=2, sort_keys=True, ensure_ascii=False)
    if secret:  # belt and braces: never print the secret key
        text = text.replace(secret, REDACTED)
    print(scrub(text, identifiers))
    return 0


async def run(args: argparse.Namespace) -> int:
    """Probe one device; the exit status says what went wrong."""
    if args.platform == "sunmi":
        return await run_sunmi(args)
    if args.platform == "tums":
        return await run_tums(args)
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
