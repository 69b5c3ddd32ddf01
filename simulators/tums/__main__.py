"""CLI: ``python -m simulators.tums --host 127.0.0.5 --port 443 --access-key AK``.

The secret key may also come from TUMS_SIM_SECRET_KEY.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys

from .server import TumsSimulator, secret_from_env


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m simulators.tums", description=__doc__)
    parser.add_argument("--host", default="127.0.0.5")
    parser.add_argument("--port", type=int, default=443)
    parser.add_argument("--access-key", default="AK")
    parser.add_argument("--secret-key", default=secret_from_env())
    parser.add_argument("--devices", type=int, default=500)
    parser.add_argument("--app-type", default="device", choices=["device", "project"])
    parser.add_argument("--cert-dir", default=None)
    parser.add_argument("--control-port", type=int, default=None)
    parser.add_argument(
        "--rate-limit", type=int, default=None, help="requests per second per AccessKey (-10201)"
    )
    parser.add_argument(
        "--solar",
        type=int,
        default=0,
        help="solar power devices (VIDEO.SOLARPOWER) to add after the --devices video devices",
    )
    parser.add_argument(
        "--recording-days", type=int, default=2, help="days of recordings before today"
    )
    parser.add_argument("--verbose", action="store_true")
    return parser


async def _run(args: argparse.Namespace) -> None:
    if not args.host.startswith("127."):
        raise SystemExit("refusing to listen outside 127.0.0.0/8")
    sim = TumsSimulator(
        host=args.host,
        port=args.port,
        access_key=args.access_key,
        secret_key=args.secret_key,
        devices=args.devices,
        app_type=args.app_type,
        cert_dir=args.cert_dir,
        control_port=args.control_port,
        rate_limit=args.rate_limit,
        solar=args.solar,
        recording_days=args.recording_days,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await sim.start()
    print(f"TUMS simulator listening on {sim.url}", flush=True)
    print(f"CA certificate: {sim.ca_path}", flush=True)
    if sim.control_port is not None:
        print(f"control API: http://{sim.host}:{sim.control_port}", flush=True)
    try:
        await stop.wait()
    finally:
        await sim.stop()


def main() -> None:
    """Entry point."""
    args = _parser().parse_args()
    if not args.secret_key:
        sys.exit("a secret key is required (--secret-key or TUMS_SIM_SECRET_KEY)")
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_run(args))


if __name__ == "__main__":
    main()
