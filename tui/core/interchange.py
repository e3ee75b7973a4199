"""The plan as JSON, to export and import: the interchange format, UTF-8 encoded::

    {"format": "kindred-plan", "version": 1, "plan": {
       "title": str,
       "people": [{"id": str, "name": str, "relationship": str, "role": str,
                   "order": int, "target_seconds": int, "attending": bool, "read_by": str,
                   "enabled": bool, "enabling": str, "statement": str, "bottom_line": str,
                   "attempts": [{"started_at": str, "seconds": number}, ...]}, ...],
       "specialist": {"name": str, "role": str, "contact": str, "agreed": bool},
       "meeting": {"when": str, "place": str, "neutral": bool, "comfortable": bool,
                   "private": bool, "who_brings": str, "how_brought": str},
       "treatments": [{"id": str, "name": str, "kind": str, "contact": str, "cost": str,
                       "offers_medication": bool, "intake_booked": bool, "bed_held": bool,
                       "transport": bool, "bag_packed": bool}, ...],
       "objections": [{"id": str, "objection": str, "answer": str}, ...],
       "aftercare": {"follow_up": str, "if_refused": str},
       "runs": [{"started_at": str, "total_seconds": number,
                 "splits": [{"person_id": str, "seconds": number}, ...]}, ...]
    }}

- Field names, choices and limits are those of the parts in ``tui.core.plan``. A person's
  ``role`` is member, chair, logistics or reader; a specialist's ``role`` is interventionist,
  counsellor, social worker, therapist or other; a treatment's ``kind`` is detox, residential,
  outpatient, methadone, buprenorphine, naltrexone or other.
- People are listed in speaking order; ``order`` is their place in it, counting from 1.
- ``target_seconds`` is a whole number of seconds from 1 to 3600.
- ``attempts`` are one person's timed rehearsals and ``runs`` the timed run-throughs of the
  whole meeting, oldest first. ``started_at`` is an ISO-8601 date and time with a time zone,
  like ``2025-03-01T18:30:00+00:00``; seconds are zero or more. A split's ``person_id`` is
  the ``id`` of the person who spoke.
- An ``id`` is 1 to 64 letters, digits, ``-`` or ``_``, unique within its list.

On import, ``title`` and ``people`` are required, and each person needs ``name``,
``relationship``, ``role``, ``order``, ``target_seconds``, ``statement`` and ``bottom_line``.
Everything else may be left out: missing fields take their defaults and missing ids are
made up. Unknown fields are refused. Control characters are removed from text. A problem is
reported with the path of the value, counting list items from 0, for example
``plan.people[2].target_seconds: Target length must be a whole number.``
"""

import json
from collections.abc import Sequence
from pathlib import Path

from tui.core.plan import (
    AFTERCARE,
    ID_RULE,
    MEETING,
    MOMENT_RULE,
    OBJECTIONS,
    PARTS,
    PEOPLE,
    PLAN,
    REHEARSAL_TABLES,
    SECONDS_RULE,
    SPECIALIST,
    TREATMENTS,
    Part,
    Plan,
    ValidationError,
    clean_value,
    is_id,
    is_moment,
    is_seconds,
    new_id,
    new_ids,
)
from tui.core.plan_file import refuse_constant
from tui.core.safe_text import visible

FORMAT_NAME = "kindred-plan"
FORMAT_VERSION = 1
MAX_IMPORT_BYTES = 50 * 1024 * 1024

DOCUMENT_PARTS = (
    "title",
    "people",
    "specialist",
    "meeting",
    "treatments",
    "objections",
    "aftercare",
    "runs",
)
PLAN_TABLES = (*(part.table for part in PARTS), *REHEARSAL_TABLES)
ATTEMPT_FIELDS = ("started_at", "seconds")
REQUIRED_PERSON_FIELDS = (
    "name",
    "relationship",
    "role",
    "statement",
    "bottom_line",
    "order",
    "target_seconds",
)


# Export


def plan_document(tables: dict[str, list[dict]]) -> dict:
    """The plan in the store's tables as the interchange document described above."""
    plan = Plan.from_tables(tables)
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "plan": {
            "title": plan.title,
            "people": [
                {
                    "id": person["id"],
                    **_fields(PEOPLE, person),
                    "order": place,
                    "attempts": [
                        {"started_at": attempt["started_at"], "seconds": attempt["seconds"]}
                        for attempt in plan.attempts_of(person["id"])
                    ],
                }
                for place, person in enumerate(plan.people, start=1)
            ],
            "specialist": _fields(SPECIALIST, plan.records["specialist"]),
            "meeting": _fields(MEETING, plan.records["meeting"]),
            "treatments": [
                {"id": row["id"], **_fields(TREATMENTS, row)} for row in plan.lists["treatments"]
            ],
            "objections": [
                {"id": row["id"], **_fields(OBJECTIONS, row)} for row in plan.lists["objections"]
            ],
            "aftercare": _fields(AFTERCARE, plan.records["aftercare"]),
            "runs": [
                {
                    "started_at": run["started_at"],
                    "total_seconds": run["total_seconds"],
                    "splits": [
                        {"person_id": split["person_id"], "seconds": split["seconds"]}
                        for split in run["splits"]
                    ],
                }
                for run in plan.lists["runs"]
            ],
        },
    }


def plan_json(tables: dict[str, list[dict]]) -> str:
    # A plan may hold ten thousand rehearsal attempts. Without indentation the json module
    # uses its fast encoder; with characters beyond ASCII as \\u escapes, and without looking
    # for values that contain themselves (a document made here cannot), it is faster still.
    return json.dumps(plan_document(tables), check_circular=False) + "\n"


def _fields(part: Part, record: dict) -> dict:
    return {spec.name: record[spec.name] for spec in part.fields}


# Import


def tables_from_document(document: object) -> dict[str, list[dict]]:
    """The store's tables for an interchange document; ValidationError names what is wrong."""
    plan = _object(
        _check_header(document)["plan"],
        "plan",
        DOCUMENT_PARTS,
        required=("title", "people"),
    )
    tables = {"plan": [{"id": "plan", **_clean_fields(PLAN, plan, "plan")}]}
    tables["people"], tables["attempts"] = _people_and_attempts(plan["people"])
    for part in (SPECIALIST, MEETING, AFTERCARE):
        path = f"plan.{part.table}"
        record = _object(plan.get(part.table, {}), path, [spec.name for spec in part.fields])
        tables[part.table] = [{"id": part.table, **_clean_fields(part, record, path)}]
    for part in (TREATMENTS, OBJECTIONS):
        tables[part.table] = _records(part, plan.get(part.table, []))
    tables["runs"] = [
        _run(run, f"plan.runs[{index}]")
        for index, run in enumerate(_list(plan.get("runs", []), "plan.runs"))
    ]
    return tables


def _check_header(document: object) -> dict:
    if not isinstance(document, dict):
        raise ValidationError(
            f'This is not a Kindred plan: the file must hold a JSON object with "format": '
            f'"{FORMAT_NAME}". Make one with "kindred export --format json".'
        )
    if document.get("format") != FORMAT_NAME:
        raise _refused(
            "format",
            f'This is not a Kindred plan (a plan has "format": "{FORMAT_NAME}"). '
            'Make one with "kindred export --format json".',
        )
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise _refused("version", "Must be the whole number of the format version, like 1.")
    if version > FORMAT_VERSION:
        raise _refused(
            "version",
            f"This plan was written by a newer version of Kindred (format version {version}; "
            f"this version reads version {FORMAT_VERSION}). Update Kindred to import it.",
        )
    if version < FORMAT_VERSION:
        raise _refused(
            "version",
            f"There is no format version {version}; Kindred reads version {FORMAT_VERSION}.",
        )
    return _object(document, "", ("format", "version", "plan"), required=("plan",))


def _people_and_attempts(value: object) -> tuple[list[dict], list[dict]]:
    people, attempts = [], []
    allowed = ("id", *(spec.name for spec in PEOPLE.fields), "attempts")
    for index, raw in enumerate(_list(value, "plan.people")):
        path = f"plan.people[{index}]"
        _object(raw, path, allowed, required=REQUIRED_PERSON_FIELDS)
        person = {"id": _record_id(raw, path), **_clean_fields(PEOPLE, raw, path)}
        people.append(person)
        attempts += _attempts(raw.get("attempts", []), f"{path}.attempts", person["id"])
    _refuse_repeated_ids(people, "plan.people")
    return people, attempts


def _records(part: Part, value: object) -> list[dict]:
    records = []
    allowed = ("id", *(spec.name for spec in part.fields))
    for index, raw in enumerate(_list(value, f"plan.{part.table}")):
        path = f"plan.{part.table}[{index}]"
        _object(raw, path, allowed)
        records.append({"id": _record_id(raw, path), **_clean_fields(part, raw, path)})
    _refuse_repeated_ids(records, f"plan.{part.table}")
    return records


def _attempts(value: object, path: str, person_id: str) -> list[dict]:
    """One person's attempts, as stored. There may be thousands, so each is checked with
    as little work as possible, and only a refused one is looked at again to say why."""
    rows = _list(value, path)
    attempts = []
    for number, (attempt, attempt_id) in enumerate(zip(rows, new_ids(len(rows)), strict=True)):
        if not (
            isinstance(attempt, dict)
            and len(attempt) == len(ATTEMPT_FIELDS)  # so with these two, no other field
            and is_moment(attempt.get("started_at"))
            and is_seconds(attempt.get("seconds"))
        ):
            _check_attempt(attempt, f"{path}[{number}]")  # refuses it, saying why
        attempts.append(
            {
                "id": attempt_id,
                "person_id": person_id,
                "started_at": attempt["started_at"],
                "seconds": attempt["seconds"],
            }
        )
    return attempts


def _check_attempt(value: object, path: str) -> None:
    attempt = _object(value, path, ATTEMPT_FIELDS, required=ATTEMPT_FIELDS)
    _moment(attempt["started_at"], f"{path}.started_at")
    _seconds(attempt["seconds"], f"{path}.seconds")


def _run(value: object, path: str) -> dict:
    keys = ("started_at", "total_seconds", "splits")
    run = _object(value, path, keys, required=keys)
    splits = []
    for index, split in enumerate(_list(run["splits"], f"{path}.splits")):
        split_path = f"{path}.splits[{index}]"
        split_keys = ("person_id", "seconds")
        _object(split, split_path, split_keys, required=split_keys)
        splits.append(
            {
                "person_id": _id(split["person_id"], f"{split_path}.person_id"),
                "seconds": _seconds(split["seconds"], f"{split_path}.seconds"),
            }
        )
    return {
        "id": new_id(),
        "started_at": _moment(run["started_at"], f"{path}.started_at"),
        "total_seconds": _seconds(run["total_seconds"], f"{path}.total_seconds"),
        "splits": splits,
    }


def _clean_fields(part: Part, record: dict, path: str) -> dict:
    """Every field of the part, cleaned by the plan's own rules; missing ones defaulted."""
    cleaned = {}
    for spec in part.fields:
        if spec.name not in record:
            cleaned[spec.name] = spec.default
            continue
        try:
            cleaned[spec.name] = clean_value(spec, record[spec.name])
        except ValueError as error:
            raise _refused(f"{path}.{spec.name}", str(error)) from None
    return cleaned


def _object(value: object, path: str, allowed: Sequence[str], required: Sequence[str] = ()) -> dict:
    if not isinstance(value, dict):
        raise _refused(path, "Must be a JSON object, in { }.")
    for key in value:
        if key not in allowed:
            raise _refused(
                _child(path, _shown(key)),
                f"Not a field Kindred knows here (expected one of: {', '.join(allowed)}).",
            )
    for key in required:
        if key not in value:
            raise _refused(_child(path, key), "Missing.")
    return value


def _child(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _list(value: object, path: str) -> list:
    if not isinstance(value, list):
        raise _refused(path, "Must be a list, in [ ].")
    return value


def _record_id(record: dict, path: str) -> str:
    return _id(record["id"], f"{path}.id") if "id" in record else new_id()


def _id(value: object, path: str) -> str:
    if not isinstance(value, str) or not is_id(value):
        raise _refused(path, ID_RULE)
    return value


def _refuse_repeated_ids(records: list[dict], path: str) -> None:
    first_index: dict[str, int] = {}
    for index, record in enumerate(records):
        earlier = first_index.setdefault(record["id"], index)
        if earlier != index:
            raise _refused(
                f"{path}[{index}].id", f"The same id as {path}[{earlier}]; ids must differ."
            )


def _moment(value: object, path: str) -> str:
    """An ISO-8601 date and time with a time zone, kept exactly as written."""
    if not isinstance(value, str) or not is_moment(value):
        raise _refused(path, MOMENT_RULE)
    return value


def _seconds(value: object, path: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _refused(path, "Must be a number of seconds.")
    if not is_seconds(value):
        raise _refused(path, SECONDS_RULE)
    return value


def _shown(key: str) -> str:
    """A key from the file, safe and short enough to show in a message."""
    return visible(key if len(key) <= 40 else key[:40] + "…")


def _refused(path: str, problem: str) -> ValidationError:
    return ValidationError(f"{path}: {problem}")


def read_document(file: Path) -> object:
    """The JSON value in file; ValidationError says in plain words why it cannot be read."""
    try:
        with open(file, "rb") as stream:
            raw = stream.read(MAX_IMPORT_BYTES + 1)
    except FileNotFoundError:
        raise ValidationError("there is no such file.") from None
    except IsADirectoryError:
        raise ValidationError("it is a folder, not a file.") from None
    except PermissionError:
        raise ValidationError("Kindred is not allowed to read it (permission denied).") from None
    except OSError as error:
        raise ValidationError(f"it cannot be read ({error.strerror}).") from None
    if len(raw) > MAX_IMPORT_BYTES:
        raise ValidationError(
            f"it is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB, too large to be a plan."
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("it is not readable text (it is not UTF-8).") from None
    try:
        return json.loads(text, parse_constant=refuse_constant)
    except json.JSONDecodeError as error:
        raise ValidationError(
            f"it is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})."
        ) from None
    except (ValueError, RecursionError):
        raise ValidationError("it is not valid JSON.") from None
