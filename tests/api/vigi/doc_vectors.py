"""Examples copied from the VIGI NVR OpenAPI document V1.0 (PDF line breaks joined)."""

from __future__ import annotations

# §2.2, step 1 reply.
CHALLENGE = (
    'Digest realm="TP-LINK NVR", nonce="5b032b462e0ad5ea60a0b44eaa871377", '
    'algorithm="SHA-256", url="/openapi/token"'
)

# §2.2, step 2 reply.
ACCESS_TOKEN = (
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyAidXNyIjogImFkbWluIiw"
    "gImdycCI6ICJyb290IiwgImV4cCI6ICIyMDI0LTEyLTI2IDEyOjQyOjAxIiB9.MuKRPjt0P%2fox"
    "REtkTLAmgG4nTwr3GwQdk%2f6iDn19%2fRSHPm16ZsFa%2f3aS5lsYwZOEkvmSxkJVqm"
    "0Xw0AvLGnpZg3zyD37wCmbfPQb7nLPPx%2bDlG%2bxaO0Ayhs9di3SN%2bAdFdWTRr"
    "bPt8%2bFJqBIK8U9jJpDYvnkPPIGXViozdRKSfA%3d"
)
REFRESH_TOKEN = (
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyAidXNyIjogImFkbWluIiw"
    "gImdycCI6ICJyb290IiwgImV4cCI6ICIyMDI0LTEyLTI2IDE0OjEyOjAxIiB9.N2zH24M%2fth"
    "f%2bm9DHgDcEMwMRGWeWQ02bsDVT6nLWZBdJiztLDg9p8AftihRjKVTbkH9yypqlF0%"
    "2bDHP6p9%2bQvXw4UJ7%2bvnuABDmT6MS2U8gttmSOTLxuadIvJQD5R%2fa5QfXtpH"
    "i%2f89yAhgMe%2bFxR%2f6CYj7EYOXuZObfkQr%2bZii8A%3d"
)
TOKEN_REPLY = {
    "token_type": "bearer",
    "expires_in": 1800,
    "access_token": ACCESS_TOKEN,
    "refresh_token": REFRESH_TOKEN,
}

# §4.2.1
ADDED_DEVICES = {
    "devices": [
        {
            "id": 1,
            "name": "IPC%20OSD",
            "alias": "IPC",
            "online": "1",
            "ip": "192.168.0.2",
            "mac": "00-ff-00-13-31-01",
        }
    ],
    "error_code": 0,
}

# §4.6.1
DISKS = {
    "disks": [
        {
            "total_space": "698%20GB",
            "free_space": "120%20GB",
            "status": "normal",
            "slot": 0,
            "id": 1,
            "rw_attr": "rw",
        }
    ],
    "error_code": 0,
}

# §4.6.6
SMART_SCHEDULE = {"schedule": "30%25", "error_code": 0}

# §4.7.1 (first two of eight ports), §4.7.5, §4.7.6
POE_INFO = {
    "info": [
        {"port": 1, "enable": "on", "priority": "0", "max_port_power": 300},
        {"port": 2, "enable": "off", "priority": "1", "max_port_power": 200},
    ],
    "error_code": 0,
}
POE_STATUS = {
    "status": [
        {"global": {"sys_power": 1130, "cost_power": 0}},
        {"port1": {"cost": 0, "status": 0}},
        {"port2": {"cost": 45, "status": 5}},
    ],
    "error_code": 0,
}
POE_LINK_STATUS = {"link_status": "00001010", "error_code": 0}

# §4.5.1, §4.5.2
AUDIO_OUTPUT = {"mute": "on", "volume": 60, "system_volume": 60, "error_code": 0}
AUDIO_INPUT = {"mute": "off", "volume": 50, "noise_cancelling": "off", "error_code": 0}

# §4.3.4, §4.3.5, §4.3.2
BITRATE = {"maximun_bitrate": "1024", "type": "vbr", "quality": "5", "error_code": 0}
BITRATE_CAPABILITY = {
    "valid_bitrates": ["256", "384", "512", "768", "1024", "1536", "2048", "2560"],
    "valid_qualitys": ["5", "3", "1"],
    "error_code": 0,
}
VALID_RESOLUTIONS = {
    "resolutions": [{"resolution": "640*480"}, {"resolution": "352*288"}],
    "error_code": 0,
}

# §4.4.1, §4.4.3
TIMING_MODE = {"mode": "manual", "error_code": 0}
NTP = {"server": "0.0.0.0", "port": 999, "error_code": 0}  # noqa: S104 - the example

# §4.8.1
EVENT_SERVER = {
    "event_server": [
        {
            "id": 1,
            "ip_or_domain": "192.168.137.1",
            "port": 3001,
            "url": "XX",
            "protocol": "HTTPS",
            "picture_switch": "on",
        },
        {
            "id": 2,
            "ip_or_domain": "192.168.137.5",
            "port": 3004,
            "url": "XX",
            "protocol": "HTTPS",
            "picture_switch": "on",
        },
    ],
    "error_code": 0,
}

# §2.1.1: the push example with its placeholders filled in (type 2, sub_type 9, a port).
PUSH_CONTENT_TYPE = "multipart/form-data;boundary=--VIGI-OPENAPI-MSG-PUSH"
PUSH_JSON = (
    b'{ "device_id": "id", "device_name": "name", "messages": [ { "type": 2, "sub_type": '
    b'[ 9 ], "localtime": "2024-12-26 12:42:01", "port": "3" } ] }'
)
PUSH_BODY = (
    b"----VIGI-OPENAPI-MSG-PUSH\r\n"
    b'Content-Disposition: form-data;name="event"\r\n'
    b"Content-Type: application/json; charset=UTF-8\r\n"
    b"Content-Length: " + str(len(PUSH_JSON)).encode() + b"\r\n"
    b"\r\n" + PUSH_JSON + b"\r\n"
    b"\r\n"
    b"----VIGI-OPENAPI-MSG-PUSH--\r\n"
)
