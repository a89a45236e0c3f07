"""Reading the user's data files (YAML, TOML) and validating them with pydantic.

Validation errors become one InputError that names the file, every bad field and
how to fix it, so the CLI never shows a traceback for bad input.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
import types
import typing
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, BeforeValidator, ValidationError

from . import formatting
from .errors import ConfigError, InputError

M = TypeVar("M", bound=BaseModel)

# A date in a data file, as people write it ("2 Oktober 2026", "02-10-2026", ISO): every
# model's date fields use it, so an error names the field and shows the forms accepted.
Tanggal = Annotated[dt.date, BeforeValidator(lambda v: _tanggal(v))]


def _tanggal(value: object) -> object:
    if value is None:
        return None
    try:
        return formatting.parse_tanggal(value)
    except ValueError as exc:
        raise FieldValueError("", str(exc), f"write the date as {formatting.TANGGAL_CONTOH}") from None
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _BadDate(Exception):
    """A YAML date that does not exist (2026-02-31): PyYAML raises a bare ValueError."""

    def __init__(self, text: str, mark: Any) -> None:
        super().__init__(text)
        self.text = text
        self.mark = mark


class _Loader(_BASE_LOADER):  # type: ignore[valid-type,misc]
    """The safe loader; an impossible date is an error naming its line."""


def _timestamp(loader: Any, node: Any) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        raise _BadDate(str(node.value), node.start_mark) from None


class _DuplicateKey(Exception):
    """A key written twice in one mapping: PyYAML silently keeps the last one."""

    def __init__(self, key: str, mark: Any) -> None:
        super().__init__(key)
        self.key = key
        self.mark = mark


def _mapping(loader: Any, node: Any) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=True)
        try:
            if key in seen:
                raise _DuplicateKey(str(key), key_node.start_mark)
            seen.add(key)
        except TypeError:  # an unhashable key: construct_mapping reports it
            break
    return loader.construct_mapping(node, deep=True)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_LOADER = _Loader


def load_yaml(path: str | Path) -> Any:
    path = Path(path)
    if path.is_dir():
        raise InputError("is a folder, not a file", file=path, fix="give the path of the YAML file in it")
    if not path.is_file():
        raise InputError("file not found", file=path, fix="check the path and the current folder")
    try:
        with path.open(encoding="utf-8-sig") as fh:  # -sig: a BOM from Notepad is not text
            # libyaml's loader when present: same safe schema, ~10x faster on SOP files
            return yaml.load(fh, Loader=_LOADER)
    except _DuplicateKey as exc:
        raise InputError(
            f"{exc.key!r} is written twice; only one value can count",
            file=path,
            field=f"{exc.key} (line {exc.mark.line + 1})",
            fix=f"keep one '{exc.key}:' line and delete the other",
        ) from None
    except _BadDate as exc:
        line = exc.mark.line + 1
        key = _key_on_line(path, line)
        raise InputError(
            f"date {exc.text} does not exist",
            file=path,
            field=f"{key} (line {line})" if key else f"line {line}, column {exc.mark.column + 1}",
            fix=f"write a day that exists, e.g. 2026-02-28 (or as {formatting.TANGGAL_CONTOH})",
        ) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=path, fix="save the file as UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(
            f"YAML syntax error: {problem}",
            file=path,
            field=where,
            fix="check indentation and quote text containing ':' or '#'",
        ) from None


def _key_on_line(path: Path, line: int) -> str:
    """The mapping key written on ``line`` of a YAML file ('' when there is none)."""
    try:
        text = path.read_text(encoding="utf-8").splitlines()[line - 1]
    except (OSError, IndexError, UnicodeDecodeError):
        return ""
    m = re.match(r"\s*(?:-\s+)?([\w.-]+)\s*:", text)
    return m.group(1) if m else ""


def load_toml(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    if path.is_dir():  # Windows raises PermissionError for a folder, not IsADirectoryError
        raise ConfigError("is a folder, not a file", file=path, fix="give the path of docgen.toml")
    try:
        raw = path.read_bytes()
        # Notepad (before Windows 10 1903) saves UTF-8 with a byte-order mark; TOML has none
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
        return tomllib.loads(text)
    except FileNotFoundError:
        raise ConfigError("file not found", file=path, fix="run `docgen init DIR`") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"TOML syntax error: {exc}", file=path, fix="correct the line named above"
        ) from None
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"not UTF-8 text (byte {exc.object[exc.start]:#04x} on line {line})",
            file=path, fix="save the file as UTF-8 (in Notepad: Save As, Encoding UTF-8)",
        ) from None
    except IsADirectoryError:
        raise ConfigError("is a folder, not a file", file=path, fix="give the path of docgen.toml") from None


class FieldValueError(ValueError):
    """Raised by a model validator that checks several fields, to say which one to fix."""

    def __init__(self, field: str, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.fix = fix


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"  # 1-based: clerks count rows from 1
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _fix_for(err: dict[str, Any]) -> str:
    if err.get("fix"):
        return str(err["fix"])
    cause = (err.get("ctx") or {}).get("error")
    if isinstance(cause, FieldValueError) and cause.fix:
        return cause.fix
    kind = err.get("type", "")
    if kind == "missing":
        return "add this field"
    if kind == "extra_forbidden":
        return "remove this field or correct its spelling"
    if kind.startswith(("int_", "float_", "decimal_")):
        return "write a number"
    if kind.startswith("date"):
        return f"write the date as {formatting.TANGGAL_CONTOH}"
    if kind in ("literal_error", "enum"):
        return "use one of the allowed values"
    # shape errors: say how to write the shape in YAML/TOML, not just "wrong"
    if kind in ("list_type", "tuple_type", "set_type"):
        return "write a list: one item per line, each starting with '- '"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "write the fields under it, one 'key: value' per line, indented"
    if kind.startswith("string_"):
        return "write text (put it in quotes if it starts with a number or a symbol)"
    if kind.startswith("bool"):
        return "write true or false"
    return "correct the value"


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names of the (nested) model at ``loc``, [] when it is not a model."""
    tp: Any = model
    for part in loc:
        while True:  # unwrap X | None, dict[str, X], list[X] down to a model
            origin = typing.get_origin(tp)
            if origin in (typing.Union, types.UnionType):
                models = [a for a in typing.get_args(tp) if isinstance(a, type) and issubclass(a, BaseModel)]
                tp = models[0] if models else None
            else:
                break
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            info = tp.model_fields.get(part) if isinstance(part, str) else None
            if info is None:
                return []
            tp = info.annotation
        elif typing.get_origin(tp) in (dict, list):
            tp = typing.get_args(tp)[-1]
        else:
            return []
    while typing.get_origin(tp) in (typing.Union, types.UnionType):
        models = [a for a in typing.get_args(tp) if isinstance(a, type) and issubclass(a, BaseModel)]
        tp = models[0] if models else None
    return list(tp.model_fields) if isinstance(tp, type) and issubclass(tp, BaseModel) else []


def _explain_unknown(model: type[BaseModel], errs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A misspelt key gives two errors, "kotaa: extra" and "kota: missing": name the
    misspelling first and suggest the right key, so the clerk fixes one line."""
    for err in errs:
        if err.get("type") != "extra_forbidden" or not err["loc"]:
            continue
        parent, key = err["loc"][:-1], err["loc"][-1]
        known = _fields_at(model, parent)
        if not known:
            continue
        near = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        err["msg"] = f"unknown key {key!r}" + (f"; did you mean {near[0]!r}?" if near else "")
        err["fix"] = (f"rename it to {near[0]}" if near else
                      "remove it or correct its spelling; known keys here: " + ", ".join(known))
    # typos first: the "Field required" they cause disappears with them
    return sorted(errs, key=lambda e: e.get("type") != "extra_forbidden")


def problems(model: type[BaseModel], exc: ValidationError) -> list[tuple[str, str, str]]:
    """(field, message, fix) for each error of a validation, in the words `docgen check`
    prints; the field is written as in the messages ("naskah[1].uraian")."""
    errs = exc.errors()
    for err in errs:
        # a check across fields names the field it blames (FieldValueError), not "(top level)"
        cause = (err.get("ctx") or {}).get("error")
        if not err["loc"] and isinstance(cause, FieldValueError):
            err["loc"] = (cause.field,)
    out = []
    for err in _explain_unknown(model, errs):
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        out.append((_loc(err["loc"]), msg, _fix_for(err)))
    return out


def validate(model: type[M], data: Any, file: str | Path, *, error: type = InputError) -> M:
    """Validate ``data`` against ``model``; on failure list every bad field."""
    if data is None:
        raise error("file is empty", file=file, fix="fill in the fields (see `docgen kinds`)")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        found = problems(model, exc)
        lines = [f"{loc}: {msg} ({fix})" for loc, msg, fix in found]
        loc, _, fix = found[0]
        raise error(
            f"{len(found)} invalid field(s):\n    " + "\n    ".join(lines),
            file=file,
            field=loc,
            fix=fix,
        ) from None


def load_model(model: type[M], path: str | Path) -> M:
    """Load a YAML data file and validate it."""
    return validate(model, load_yaml(path), path)
