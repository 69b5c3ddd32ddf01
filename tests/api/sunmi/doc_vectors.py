"""Payloads of the seed's examples, with its curly quotes made into valid JSON."""

from __future__ import annotations

from typing import Any

from custom_components.business_cameras.api.sunmi import auth

# "Post Message" > "Dynamic Detect Message" (HTTP callback).
HTTP_DETECT: dict[str, Any] = {
    "event_id": 1,
    "detect_type": 2,
    "video_url": "https://10.10.63.19/mnt/sd-card/sunmi_video/video_detect/1579158761.flv"
    "?auth_key=1579158765-d701e761fecf0df84853440d4dbc3fe1",
    "event_type": "dynamic_detect_event",
    "sn": "SS101D8BS00080",
    "report_time": 1579158765,
}
HTTP_DETECT_FORM = {"app_id": "123", "random": "692777", "timestamp": "1579158766"}

# "Post Message" > "Face Recognize Message" (HTTP callback).
HTTP_FACE: dict[str, Any] = {
    "event_id": 2,
    "faceid": "358526",
    "cloud_faceid": "8798765433",
    "group_name": "db_0",
    "age": 0,
    "age_range": 5,
    "gender": 0,
    "arrive_times": 3,
    "pic_url": "https://192.168.103.117/mnt/sd-card/sunmi_image/snap/1597894624456_7.jpg"
    "?auth_key=1597894624-f88c2f9a6e69834430648c2f4931ffae",
    "event_type": "face_recog_event",
    "sn": "FS101D8BS00080",
    "report_time": 1597894809,
}
HTTP_FACE_FORM = {"app_id": "KJQJ89V956U9O9UI", "random": "956429", "timestamp": "1597894809"}

# "Message Channel" > "Publish message" examples.
CHANNEL_DETECT: dict[str, Any] = {
    "event_id": 1,
    "event_type": "dynamic_detect_event",
    "sn": "FS101D8BS00106",
    "report_time": 15930292837,
    "detect_type": 1,
    "video_url": "https://192.168.0.1/mnt/sd-card/sunmi_video/video_detect/1565535983.flv"
    "?auth_key=1564129415215f61f3c5f552c5bf8f43ccef5c66a9",
}
CHANNEL_FACE: dict[str, Any] = {
    "event_id": 2,
    "event_type": "face_recog_event",
    "sn": "FS101D8BS00106",
    "report_time": 15930292837,
    "group_name": "vip",
    "faceid": "00000001",
    "cloud_faceid": "8798765433",
    "age": 10,
    "gender": 2,
    "arrive_times": 4,
    "pic_url": "https://192.168.103.117/mnt/sd-card/sunmi_image/snap/1597894624456_7.jpg"
    "?auth_key=1597894624-f88c2f9a6e69834430648c2f4931ffae",
    "vip_level": "1",
    "hobby": "tennis",
    "weight": "60",
    "height": "180",
}

BOUNDARY = "------------------------c83c36cd4ee4082f"


def multipart(fields: dict[str, str], boundary: str = BOUNDARY) -> tuple[str, bytes]:
    """A curl-style multipart/form-data body (as the camera's libcurl sends)."""
    lines: list[bytes] = []
    for name, value in fields.items():
        lines.append(f"--{boundary}".encode())
        lines.append(f'Content-Disposition: form-data; name="{name}"'.encode())
        lines.append(b"")
        lines.append(value.encode())
    lines.append(f"--{boundary}--".encode())
    lines.append(b"")
    return f"multipart/form-data; boundary={boundary}", b"\r\n".join(lines)


def signed_push(
    form: dict[str, str], payload_text: str, secret: str, *, scope: str = "all"
) -> dict[str, str]:
    """The five parts of a push, signed over every part (``all``) or the public ones."""
    fields = {**form, "payload": payload_text}
    signed = fields if scope == "all" else form
    return {**fields, "sign": auth.sign(signed, secret)}
