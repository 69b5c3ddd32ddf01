"""The VIGI NVR's RTSP live view: a real H.264 test pattern per channel and stream.

``/usr/bin/python3 -m simulators.vigi.rtsp --host 127.0.0.2 --port 554 --username admin
--password-env VIGI_SIM_PASSWORD --channels 16`` serves ``rtsp://HOST:PORT/live/<ch>/<s>/avm``
(document section 5: stream 1 main, 2 minor) with Digest authentication (realm "vigi") for the
NVR's account. GStreamer's RTSP server through PyGObject does the work, so this runs under the
system Python (Debian: python3-gi, gir1.2-gst-rtsp-server-1.0, gstreamer1.0-plugins-base,
-good, -ugly) and imports nothing but the standard library and gi. Each mount starts its
encoder when the first client asks for it and shares it between clients. Prints ``VIGI RTSP
simulator listening on rtsp://HOST:PORT ...`` once it listens; SIGINT or SIGTERM stops it.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from dataclasses import dataclass
from typing import Any

import gi  # type: ignore[import-not-found]  # the system Python's python3-gi, not in .venv

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import (  # type: ignore[import-not-found]  # noqa: E402
    GLib,
    Gst,
    GstRtsp,
    GstRtspServer,
)

REALM = "vigi"
ROLE = "nvr-user"


@dataclass(frozen=True)
class Video:
    """Size and rate of one stream's test pattern."""

    width: int
    height: int
    fps: int

    @classmethod
    def parse(cls, size: str, fps: int) -> Video:
        """From "WIDTHxHEIGHT" (or the NVR's "WIDTH*HEIGHT")."""
        width, _, height = size.replace("*", "x").partition("x")
        return cls(int(width), int(height), fps)


def mount_path(channel: int, stream: int) -> str:
    """The document's live-view path: /live/<channel>/<1 main | 2 minor>/avm."""
    return f"/live/{channel}/{stream}/avm"


def launch_line(video: Video, pattern: str) -> str:
    """A live H.264 pipeline: test pattern, one keyframe a second, RTP payloader pay0."""
    caps = f"video/x-raw,width={video.width},height={video.height},framerate={video.fps}/1"
    kbps = max(256, video.width * video.height * video.fps // 10_000)
    return (
        f"( videotestsrc is-live=true pattern={pattern} horizontal-speed=4 ! {caps} "
        "! videoconvert ! x264enc tune=zerolatency speed-preset=ultrafast "
        f"key-int-max={video.fps} bitrate={kbps} ! video/x-h264,profile=baseline "
        "! rtph264pay name=pay0 pt=96 config-interval=1 )"
    )


def digest_auth(username: str, password: str) -> Any:
    """Digest only, realm "vigi", one account allowed to play every mount."""
    auth = GstRtspServer.RTSPAuth()
    auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
    auth.set_realm(REALM)
    token = GstRtspServer.RTSPToken()
    token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, ROLE)
    auth.add_digest(username, password, token)
    return auth


def media_factory(video: Video, pattern: str) -> Any:
    """One shared mount, playable by the account's role only."""
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch_line(video, pattern))
    factory.set_shared(True)
    permissions = Gst.Structure.new_from_string(
        f"{ROLE}, media.factory.access=(boolean)true, media.factory.construct=(boolean)true"
    )
    factory.add_role_from_structure(permissions)
    return factory


def build_server(args: argparse.Namespace, password: str) -> Any:
    """The RTSP server with a mount per channel and stream; not listening yet."""
    server = GstRtspServer.RTSPServer()
    server.set_address(args.host)
    server.set_service(str(args.port))
    server.set_auth(digest_auth(args.username, password))
    videos = {1: Video.parse(args.main_size, args.fps), 2: Video.parse(args.minor_size, args.fps)}
    patterns = {1: "smpte", 2: "smpte75"}
    mounts = server.get_mount_points()
    for channel in range(1, args.channels + 1):
        for stream, video in videos.items():
            mounts.add_factory(mount_path(channel, stream), media_factory(video, patterns[stream]))
    return server


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python3 -m simulators.vigi.rtsp", description=__doc__)
    parser.add_argument("--host", default="127.0.0.2")
    parser.add_argument("--port", type=int, default=554, help="0: any free port")
    parser.add_argument("--username", default="admin")
    parser.add_argument(
        "--password-env", default="VIGI_SIM_PASSWORD", help="environment variable with the password"
    )
    parser.add_argument("--channels", type=int, default=16)
    parser.add_argument("--main-size", default="1920x1080", help="stream 1 (the NVR's default)")
    parser.add_argument("--minor-size", default="640x480", help="stream 2 (the NVR's default)")
    parser.add_argument("--fps", type=int, default=10)
    return parser


def main() -> int:
    """Serve until SIGINT or SIGTERM."""
    args = _parser().parse_args()
    if not args.host.startswith("127."):
        sys.exit("refusing to listen outside 127.0.0.0/8")
    password = os.environ.get(args.password_env, "")
    if not password:
        sys.exit(f"a password is required in ${args.password_env}")
    Gst.init(None)
    server = build_server(args, password)
    try:
        source = server.create_source(None)
    except GLib.Error as err:
        sys.exit(f"cannot listen on {args.host}:{args.port}: {err.message}")
    source.attach(None)
    loop = GLib.MainLoop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    size = f"main={args.main_size} minor={args.minor_size} fps={args.fps}"
    print(
        f"VIGI RTSP simulator listening on rtsp://{args.host}:{server.get_bound_port()}"
        f" channels={args.channels} {size} auth=digest realm={REALM}",
        flush=True,
    )
    loop.run()
    source.destroy()
    return 0


if __name__ == "__main__":
    sys.exit(main())
