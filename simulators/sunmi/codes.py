"""Every return code the simulator answers with, in one table.

The vendor text lists, per API, which codes it *may* return, but its Error Code table is
missing (reference ``sunmi-wire.md`` section 3). The meanings below are this simulator's
choices; each one only uses a code that the seed lists for the API concerned, except the
authentication checks on ``hook/*`` (their lists lack 3 and 7; the same checks apply anyway).
"""

from __future__ import annotations

from dataclasses import dataclass

OK = 0
E_GENERAL = 1  # general failure; also "this model has no such feature" where no better code
E_PARAM = 2  # a public or private parameter is missing or malformed
E_SIGN = 3  # signature mismatch
E_ACTIVATE_MISMATCH = 4  # activation: sn or app_id does not belong to this device
E_NOT_ACTIVATED = 5  # every API but activate/*WithoutAuth before activation
E_REJECTED = 7  # app_id unknown, timestamp outside the window, random reused (replay)
E_ALREADY_ACTIVATED = 11  # activate on an activated device
E_AFTER_ACTIVATION = 12  # setWifiConfWithoutAuth after activation
E_WIFI_JOIN = 100  # setWifiConf: could not join (never produced: no real Wi-Fi)
E_WIFI_PARAM = 101  # setWifiConf: ssid/password too long
E_ZOOM = 110  # setZoom: out of range, or a model without a zoom lens
E_MANUAL_FOCUS = 111  # manualFocus: out of range, or no zoom lens
E_AUTO_FOCUS = 112  # autoFocus: out of range, or no zoom lens
E_IR_MODE = 113  # setIrMode: not 0/1/2
E_DD_MOTION = 114  # setDynamicDetect: motion_level
E_DD_AUDIO = 115  # setDynamicDetect: audio_level
E_DD_WEEKDAY = 116  # setDynamicDetect: weekday
E_DD_TIME = 117  # setDynamicDetect: start_time/stop_time
E_NAME = 118  # updateName: empty or longer than 36 characters
E_LED = 119  # setLedSwitch: not 0/1
E_ROTATION = 120  # setRotation: not one of getRotationAngles
E_GROUP_NAME = 200  # face group name missing/invalid (too long, leading blank)
E_GROUP_CONFLICT = 201  # group exists already, or a default group cannot be renamed/deleted
E_GROUP_CAPACITY = 202  # capacity invalid, or the capacities would exceed 30000
E_GROUP_NOT_FOUND = 204
E_GROUP_NOT_EMPTY = 205  # deleteGroup on a group that still holds faces
E_FACE_EXISTS = 206  # addFace with a faceid already in use
E_FACE_NOT_FOUND = 207  # updateFace on an unknown faceid
E_GROUP_FULL = 208  # addFace into a group at capacity
E_FACE_PICTURE = 210  # pic missing, not JPEG/PNG, over 1 MB or over 1920x1080
E_FACE_DB = 211  # face record not found (getFace); listed on every face read
E_GROUP_LIMIT = 212  # already 10 groups
E_SD_CARD = 220  # SD card unplugged (format, face and statistics APIs)
E_FORMAT = 221  # format already in progress
E_PLAYBACK = 230  # getPlaybackStream: no recording (SD card unplugged)
E_RECORD_LIST = 231  # getRecordList: SD card unplugged
E_LIVE = 232  # never produced
E_SNAPSHOT = 233  # never produced
E_RECORD_PAGE = 234  # getRecordList: page_num/page_size out of range
E_MEDIA_TIME = 235  # start_time/end_time invalid (playback, record list)
E_CLIP_PARAM = 236  # getCurVideos: preceding/following not 0, 4 or 8
E_CLIP_SD_CARD = 237  # getCurVideos: SD card unplugged
E_FLOW_PERIOD = 265  # statistics: period not 1, 2 or 3
E_FLOW_START = 266  # statistics: start_time invalid
E_FLOW_RANGE = 267  # statistics: end_time not after start_time, or too many buckets
E_FLOW_UNSUPPORTED = 277  # people counting on a model without it (SS)
E_DOOR_LINE = 278  # setDoorLine: resolution or coordinates out of range
E_FLOW_NO_RECORD = 280  # statistics: "Error will be returned if no record is found."
E_HOOK_EVENT = 310  # hook/SUBSCRIBE: unknown event name
E_HOOK_UNSUPPORTED = 311  # face_recog_event on a model without face recognition (SS)

CODES: dict[int, str] = {
    OK: "success",
    E_GENERAL: "general failure / feature not on this model",
    E_PARAM: "parameter missing or invalid",
    E_SIGN: "signature mismatch",
    E_ACTIVATE_MISMATCH: "activation: sn or app_id mismatch",
    E_NOT_ACTIVATED: "device not activated",
    E_REJECTED: "app_id unknown, timestamp outside window, or random reused",
    E_ALREADY_ACTIVATED: "already activated",
    E_AFTER_ACTIVATION: "WithoutAuth API after activation",
    E_WIFI_JOIN: "Wi-Fi join failed",
    E_WIFI_PARAM: "Wi-Fi ssid/password invalid",
    E_ZOOM: "zoom failed",
    E_MANUAL_FOCUS: "manual focus failed",
    E_AUTO_FOCUS: "auto focus failed",
    E_IR_MODE: "IR mode invalid",
    E_DD_MOTION: "motion_level invalid",
    E_DD_AUDIO: "audio_level invalid",
    E_DD_WEEKDAY: "weekday invalid",
    E_DD_TIME: "start_time/stop_time invalid",
    E_NAME: "name invalid",
    E_LED: "led_switch invalid",
    E_ROTATION: "rotation not supported",
    E_GROUP_NAME: "group name invalid",
    E_GROUP_CONFLICT: "group exists or is a default group",
    E_GROUP_CAPACITY: "group capacity invalid",
    E_GROUP_NOT_FOUND: "group not found",
    E_GROUP_NOT_EMPTY: "group not empty",
    E_FACE_EXISTS: "faceid exists",
    E_FACE_NOT_FOUND: "faceid not found",
    E_GROUP_FULL: "group full",
    E_FACE_PICTURE: "face picture invalid",
    E_FACE_DB: "face record not found",
    E_GROUP_LIMIT: "too many groups",
    E_SD_CARD: "SD card unplugged",
    E_FORMAT: "format in progress",
    E_PLAYBACK: "no playback",
    E_RECORD_LIST: "no record list",
    E_LIVE: "live stream unavailable",
    E_SNAPSHOT: "snapshot failed",
    E_RECORD_PAGE: "page_num/page_size invalid",
    E_MEDIA_TIME: "time range invalid",
    E_CLIP_PARAM: "preceding/following invalid",
    E_CLIP_SD_CARD: "no clip without SD card",
    E_FLOW_PERIOD: "period invalid",
    E_FLOW_START: "start_time invalid",
    E_FLOW_RANGE: "time range invalid",
    E_FLOW_UNSUPPORTED: "people counting not on this model",
    E_DOOR_LINE: "door line invalid",
    E_FLOW_NO_RECORD: "no record found",
    E_HOOK_EVENT: "unknown event",
    E_HOOK_UNSUPPORTED: "event not supported by this model",
}


@dataclass(frozen=True)
class AuthCodes:
    """Which code each failed public-parameter check answers with."""

    missing: int
    malformed: int
    app_id: int
    sign: int
    timestamp: int
    replay: int


# Signed APIs and the channel CONNECT.
REQUEST_AUTH = AuthCodes(
    missing=E_PARAM,
    malformed=E_PARAM,
    app_id=E_REJECTED,
    sign=E_SIGN,
    timestamp=E_REJECTED,
    replay=E_REJECTED,
)
# device/activate lists 0, 1, 2, 3, 4, 8, 9, 10, 11 only: no 7, so window/replay give 2 and a
# foreign app_id gives 4 (the app_id is issued together with the activation code).
ACTIVATION_AUTH = AuthCodes(
    missing=E_PARAM,
    malformed=E_PARAM,
    app_id=E_ACTIVATE_MISMATCH,
    sign=E_SIGN,
    timestamp=E_PARAM,
    replay=E_PARAM,
)


class ApiError(Exception):
    """An OpenAPI failure answered as ``{"code": N}``."""

    def __init__(self, code: int) -> None:
        """Carry the return code."""
        super().__init__(f"code {code}: {CODES.get(code, '?')}")
        self.code = code
