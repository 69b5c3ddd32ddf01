"""CLI: ``python -m simulators.sunmi --host 127.0.0.3 --app-id A --secret-key S ...``.

Prints ``SUNMI simulator listening on https://HOST:PORT sn=SN model=MODEL`` once everything
listens, then runs until SIGINT/SIGTERM.  The secret key may come from SUNMI_SIM_SECRET_KEY.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys

from .server import SunmiSimulator


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m simulators.sunmi", description=__doc__)
    parser.add_argument("--host", default="127.0.0.3")
    parser.add_argument("--app-id", required=True)
    parser.add_argument("--secret-key", default=os.environ.get("SUNMI_SIM_SECRET_KEY"))
    parser.add_argument("--activation-code", required=True)
    parser.add_argument("--model", default="FS", choices=["FS", "SS"])
    parser.add_argument("--sn", required=True)
    parser.add_argument("--activated", action="store_true")
    parser.add_argument("--cert-dir", required=True)
    parser.add_argument("--cert-password", required=True)
    parser.add_argument("--https-port", type=int, default=443)
    parser.add_argument("--channel-port", type=int, default=10021)
    parser.add_argument("--discovery-port", type=int, default=10001)
    parser.add_argument("--control-port", type=int, default=None)
    parser.add_argument("--mac", default=None)
    parser.add_argument("--firmware", default="1.2.3")
    parser.add_argument("--name", default="SUNMI", help="discovery name")
    parser.add_argument("--ipc-name", default=None, help="getName/getInfo name")
    parser.add_argument("--discovery-model", default=None, help="default FM020 (FS) / FM010 (SS)")
    parser.add_argument("--format-seconds", type=float, default=3.0)
    parser.add_argument("--reboot-seconds", type=float, default=0.0)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument(
        "--in-netns",
        action="store_true",
        help="allow a non-loopback --host inside a test's own network namespace "
        "(discovery then listens on 0.0.0.0 like a real camera)",
    )
    return parser


async def _run(args: argparse.Namespace) -> None:
    sim = SunmiSimulator(
        host=args.host,
        app_id=args.app_id,
        secret_key=args.secret_key,
        activation_code=args.activation_code,
        model=args.model,
        sn=args.sn,
        activated=args.activated,
        cert_dir=args.cert_dir,
        cert_password=args.cert_password,
        https_port=args.https_port,
        channel_port=args.channel_port,
        discovery_port=args.discovery_port,
        discovery_bind="0.0.0.0" if args.in_netns else None,
        in_netns=args.in_netns,
        control_port=args.control_port,
        mac=args.mac,
        firmware=args.firmware,
        name=args.name,
        ipc_name=args.ipc_name,
        discovery_model=args.discovery_model,
        format_seconds=args.format_seconds,
        reboot_seconds=args.reboot_seconds,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await sim.start()
    print(f"SUNMI simulator listening on {sim.url} sn={sim.sn} model={sim.model.code}", flush=True)
    try:
        await stop.wait()
    finally:
        await sim.stop()


def _in_private_netns() -> bool:
    """Whether this process runs in a named namespace (``ip netns add``), not the host's."""
    try:
        mine = os.stat("/proc/self/ns/net").st_ino
        named = [entry.stat().st_ino for entry in os.scandir("/run/netns")]
    except OSError:
        return False
    return mine in named


def main() -> None:
    """Entry point."""
    args = _parser().parse_args()
    if not args.secret_key:
        sys.exit("a secret key is required (--secret-key or SUNMI_SIM_SECRET_KEY)")
    if args.in_netns and not _in_private_netns():
        sys.exit("--in-netns: this process is in the host's network namespace")
    if not args.host.startswith("127.") and not args.in_netns:
        sys.exit("refusing to listen outside 127.0.0.0/8")
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_run(args))


if __name__ == "__main__":
    main()
