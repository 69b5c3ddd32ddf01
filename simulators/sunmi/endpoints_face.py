"""Face Recognition (seed section of the same name), the common subset: groups and records.

User-defined attributes (add/remove/getFaceInfoItem, item1..item5) are not implemented:
records are stored without them, as the device does when a group has no attributes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from PIL import Image, UnidentifiedImageError

from .codes import (
    E_FACE_DB,
    E_FACE_EXISTS,
    E_FACE_PICTURE,
    E_GROUP_CAPACITY,
    E_GROUP_CONFLICT,
    E_GROUP_FULL,
    E_GROUP_LIMIT,
    E_GROUP_NAME,
    E_GROUP_NOT_EMPTY,
    E_GROUP_NOT_FOUND,
    E_PARAM,
    E_SD_CARD,
    ApiError,
)
from .routes import Args, Ctx, Data, Handler, route
from .state import REGULAR, SD_UNPLUGGED, STRANGER, Face, FaceGroup

MAX_GROUPS = 10
MAX_TOTAL_CAPACITY = 30000
MAX_PICTURE_BYTES = 1024 * 1024
MAX_PICTURE_SIZE = (1920, 1080)
AGE_BOUNDS = (6, 12, 18, 28, 35, 45, 55, 100)  # upper bound of age ranges 1..8
_FACEID = re.compile(r"[1-9][0-9]{0,18}")


def _face_route(path: str, *, multipart: bool = False) -> Callable[[Handler], Handler]:
    return route(path, feature="face", multipart=multipart)


def age_range(age: int) -> int:
    """The seed's age range (1..8) of an age."""
    for index, bound in enumerate(AGE_BOUNDS, start=1):
        if age <= bound:
            return index
    return len(AGE_BOUNDS)


def _need_card(ctx: Ctx) -> None:
    if ctx.state.sd_card_status == SD_UNPLUGGED:
        raise ApiError(E_SD_CARD)


def _description(args: Args) -> str:
    key = "description" if args.has("description") else "Description"
    return args.text(key, E_PARAM, max_len=150, empty=True)


def _group_name(args: Args, key: str = "name") -> str:
    name = args.text(key, E_GROUP_NAME, max_len=96)
    if name.startswith(" "):
        raise ApiError(E_GROUP_NAME)
    return name


def _group(ctx: Ctx, name: str, code: int = E_GROUP_NOT_FOUND) -> FaceGroup:
    group = ctx.state.groups.get(name)
    if group is None:
        raise ApiError(code)
    return group


def _capacity(ctx: Ctx, args: Args, *, excluding: str | None = None) -> int:
    capacity = args.integer("capacity", E_GROUP_CAPACITY, 1, MAX_TOTAL_CAPACITY)
    others = sum(g.capacity for g in ctx.state.groups.values() if g.name != excluding)
    if others + capacity > MAX_TOTAL_CAPACITY:
        raise ApiError(E_GROUP_CAPACITY)
    return capacity


@_face_route("/openapi/face/createGroup")
async def create_group(ctx: Ctx, args: Args) -> Data:
    """Up to 10 groups (two defaults + 8)."""
    _need_card(ctx)
    name = _group_name(args)
    capacity = _capacity(ctx, args)
    description = _description(args)
    if name in ctx.state.groups:
        raise ApiError(E_GROUP_CONFLICT)
    if len(ctx.state.groups) >= MAX_GROUPS:
        raise ApiError(E_GROUP_LIMIT)
    ctx.state.groups[name] = FaceGroup(name, capacity, description)
    return None


@_face_route("/openapi/face/updateGroup")
async def update_group(ctx: Ctx, args: Args) -> Data:
    """Rename (not the default groups), new capacity and description."""
    _need_card(ctx)
    old_name = args.text("old_name", E_GROUP_NAME)
    group = _group(ctx, old_name)
    name = _group_name(args)
    capacity = _capacity(ctx, args, excluding=old_name)
    description = _description(args)
    if name != old_name and (old_name in (STRANGER, REGULAR) or name in ctx.state.groups):
        raise ApiError(E_GROUP_CONFLICT)
    if capacity < ctx.state.group_count(old_name):
        raise ApiError(E_GROUP_CAPACITY)
    group.capacity, group.description = capacity, description
    if name != old_name:
        del ctx.state.groups[old_name]
        group.name = name
        ctx.state.groups[name] = group
        for face in ctx.state.faces.values():
            if face.group_name == old_name:
                face.group_name = name
    return None


@_face_route("/openapi/face/updateMigration")
async def update_migration(ctx: Ctx, args: Args) -> Data:
    """Stranger -> regular after ``arrive_times`` in ``period`` days."""
    _need_card(ctx)
    times = args.integer("arrive_times", E_PARAM, 1, 10)
    period = args.integer("period", E_PARAM, 1, 100)
    stranger = _group(ctx, STRANGER)
    stranger.times, stranger.period = times, period
    return None


@_face_route("/openapi/face/deleteGroup")
async def delete_group(ctx: Ctx, args: Args) -> Data:
    """Empty, non-default groups only."""
    _need_card(ctx)
    name = args.text("name", E_GROUP_NAME)
    if name in (STRANGER, REGULAR):
        raise ApiError(E_GROUP_CONFLICT)
    _group(ctx, name)
    if ctx.state.group_count(name):
        raise ApiError(E_GROUP_NOT_EMPTY)
    del ctx.state.groups[name]
    return None


@_face_route("/openapi/face/getGroupList")
async def get_group_list(ctx: Ctx, args: Args) -> Data:
    """Every group with its record count."""
    _need_card(ctx)
    groups: list[dict[str, Any]] = []
    for group in ctx.state.groups.values():
        entry: dict[str, Any] = {
            "capacity": group.capacity,
            "count": ctx.state.group_count(group.name),
            "name": group.name,
            "description": group.description,
        }
        if group.times is not None:
            entry["times"], entry["period"] = group.times, group.period
        groups.append(entry)
    return {"face_group": groups, "num": len(groups)}


def _check_picture(data: bytes | None) -> None:
    if not data or len(data) > MAX_PICTURE_BYTES:
        raise ApiError(E_FACE_PICTURE)
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError) as err:
        raise ApiError(E_FACE_PICTURE) from err
    if kind not in ("JPEG", "PNG") or width > MAX_PICTURE_SIZE[0] or height > MAX_PICTURE_SIZE[1]:
        raise ApiError(E_FACE_PICTURE)


@_face_route("/openapi/face/addFace", multipart=True)
async def add_face(ctx: Ctx, args: Args) -> Data:
    """multipart/form-data with a ``pic`` file; the faceid is generated when absent."""
    _need_card(ctx)
    state = ctx.state
    group = _group(ctx, args.text("group_name"))
    faceid = args.params.get("faceid")
    if faceid is not None and not _FACEID.fullmatch(faceid):
        raise ApiError(E_PARAM)
    age = args.optional_integer("age", 0, E_PARAM, 0, 150)
    gender = args.optional_integer("gender", 0, E_PARAM, 0, 2)
    _check_picture(args.files.get("pic"))
    if faceid is None:
        while str(state.next_faceid) in state.faces:
            state.next_faceid += 1
        faceid = str(state.next_faceid)
    if faceid in state.faces:
        raise ApiError(E_FACE_EXISTS)
    if state.group_count(group.name) >= group.capacity:
        raise ApiError(E_GROUP_FULL)
    state.faces[faceid] = Face(
        faceid, group.name, age=age, age_range=age_range(age) if age else 5, gender=gender
    )
    return {"faceid": faceid}


@_face_route("/openapi/face/deleteFace")
async def delete_face(ctx: Ctx, args: Args) -> Data:
    """Faces of another group count as not existing."""
    _need_card(ctx)
    args.integer("num", E_PARAM, 0, 10000)
    group = _group(ctx, args.text("group_name"))
    success, missing = [], []
    for faceid in args.string_list("faceid_list"):
        face = ctx.state.faces.get(faceid)
        if face is None or face.group_name != group.name:
            missing.append(faceid)
        else:
            del ctx.state.faces[faceid]
            success.append(faceid)
    return {"success_list": success, "failed_list": [], "not_exist_list": missing}


def _face_json(face: Face, *, group: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "arrive_time": face.arrive_time,
        "arrive_count": face.arrive_count,
        "faceid": face.faceid,
    }
    if group:
        data["group_name"] = face.group_name
    data.update(gender=face.gender, age=face.age, age_range=face.age_range)
    return data


@_face_route("/openapi/face/getFace")
async def get_face(ctx: Ctx, args: Args) -> Data:
    """One record; unknown faceid answers 211."""
    face = ctx.state.faces.get(args.text("faceid"))
    if face is None:
        raise ApiError(E_FACE_DB)
    return _face_json(face)


@_face_route("/openapi/face/getFaceList")
async def get_face_list(ctx: Ctx, args: Args) -> Data:
    """Paged records of a group; keys as in the seed's example (``num``, ``faceid_list``)."""
    name = args.text("group_name")
    if name not in ctx.state.groups:
        raise ApiError(E_FACE_DB)
    page_num = args.optional_integer("page_num", 1, E_PARAM, 1)
    page_size = args.optional_integer("page_size", 10, E_PARAM, 1, 100)
    faces = [face for face in ctx.state.faces.values() if face.group_name == name]
    page = faces[(page_num - 1) * page_size : page_num * page_size]
    return {
        "total_num": len(faces),
        "num": len(page),
        "faceid_list": [_face_json(face, group=False) for face in page],
    }
