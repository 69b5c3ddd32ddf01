"""CLI: ``python -m simulators.vigi --host 127.0.0.2 --port 20443 --password ...``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys

from .server import VigiSimulator


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m simulators.vigi", description=__doc__)
    parser.add_argument("--host", default="127.0.0.2")
    parser.add_argument("--port", type=int, default=20443)
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", default=os.environ.get("VIGI_SIM_PASSWORD"))
    parser.add_argument("--channels", type=int, default=16)
    parser.add_argument("--control-port", type=int, default=None)
    parser.add_argument("--firmware", default="1.4", choices=["1.0", "1.1", "1.2", "1.3", "1.4"])
    parser.add_argument("--cert-dir", default=None)
    parser.add_argument("--poe-ports", type=int, default=8)
    parser.add_argument("--disks", type=int, default=1)
    parser.add_argument("--token-ttl", type=int, default=1800)
    parser.add_argument("--challenge-status", type=int, default=401, choices=[200, 401])
    parser.add_argument("--digest-algorithm", default="SHA-256", choices=["SHA-256", "MD5"])
    parser.add_argument("--push-id-keys", default="dev", choices=["dev", "device"])
    parser.add_argument("--verbose", action="store_true")
    return parser


async def _run(args: argparse.Namespace) -> None:
    if not args.host.startswith("127."):
        raise SystemExit("refusing to listen outside 127.0.0.0/8")
    sim = VigiSimulator(
        host=args.host,
        port=args.port,
        username=args.username,
        password=args.password,
        channels=args.channels,
        control_port=args.control_port,
        token_ttl=args.token_ttl,
        firmware=args.firmware,
        poe_ports=args.poe_ports,
        disks=args.disks,
        challenge_status=args.challenge_status,
        digest_algorithm=args.digest_algorithm,
        push_id_keys=args.push_id_keys,
        cert_dir=args.cert_dir,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await sim.start()
    line = f"VIGI simulator listening on {sim.url} fingerprint={sim.fingerprint}"
    if sim.control_port is not None:
        line += f" control=http://{sim.host}:{sim.control_port}"
    print(line, flush=True)
    try:
        await stop.wait()
    finally:
        await sim.stop()


def main() -> None:
    """Entry point."""
    args = _parser().parse_args()
    if not args.password:
        sys.exit("a password is required (--password or VIGI_SIM_PASSWORD)")
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_run(args))


if __name__ == "__main__":
    main()
