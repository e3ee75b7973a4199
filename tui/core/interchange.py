"""The plan as JSON, to export and import: the interchange format, UTF-8 encoded::

    {"format": "kindred-plan", "version": 1, "plan": {
       "title": str,
       "country": str,
       "people": [{"id": str, "name": str, "relationship": str, "role": str,
                   "order": int, "target_seconds": int, "attending": bool, "read_by": str,
                   "enabled": bool, "enabling": str, "statement": str, "bottom_line": str,
                   "attempts": [{"started_at": str, "seconds": number, "words": int,
                                 "fingerprint": str}, ...]}, ...],
       "specialist": {"name": str, "role": str, "contact": str, "agreed": bool},
       "meeting": {"approach": str, "when": str, "place": str, "neutral": bool,
                   "comfortable": bool, "private": bool, "who_brings": str,
                   "how_brought": str},
       "safety": {"naloxone_in_room": bool, "naloxone_holder": str, "emergency_caller": str,
                  "stop_signal": str, "goes_with_them": str, "children_elsewhere": bool,
                  "weapons_medicines_away": bool},
       "treatments": [{"id": str, "name": str, "kind": str, "contact": str, "cost": str,
                       "offers_medication": bool, "intake_booked": bool, "bed_held": bool,
                       "transport": bool, "bag_packed": bool}, ...],
       "objections": [{"id": str, "objection": str, "answer": str, "target_seconds": int,
                       "tries": [{"started_at": str, "seconds": number, "mark": str},
                                 ...]}, ...],
       "aftercare": {"follow_up": str, "if_refused": str},
       "tasks": [{"id": str, "title": str, "owner": str, "due": str, "done": bool,
                  "guide_link": str}, ...],
       "checklist": [{"id": str, "item": str, "owner": str, "done": bool}, ...],
       "rehearsal_dates": [{"id": str, "when": str, "place": str}, ...],
       "runs": [{"started_at": str, "total_seconds": number,
                 "splits": [{"person_id": str, "seconds": number, "fingerprint": str},
                            ...]}, ...],
       "changes": [{"at": str, "who": str, "kind": str, "table": str, "record_id": str,
                    "field": str, "name": str, "before": value, "after": value,
                    "before_cut": bool, "after_cut": bool}, ...]
    }}

- Field names, choices and limits are those of the parts in ``tui.core.plan``. ``country`` is
  US, CA, GB, IE, AU or other (another country), or "" while none is chosen. A person's ``role``
  is member, chair, logistics or reader; a specialist's ``role`` is interventionist,
  counsellor, social worker, therapist or other; a treatment's ``kind`` is detox, residential,
  outpatient, methadone, buprenorphine, naltrexone or other. The meeting's ``approach`` is
  not chosen yet, surprise meeting, invitational meeting or CRAFT first.
- The meeting's and a rehearsal date's ``when`` is a day, ``2026-12-20``, or a day and time
  with a time zone, ``2026-12-20T18:30:00+00:00``; on import ``2026-12-20 18:30`` (taken in
  the local time zone) is read too. Text that is not a date, as plans from before dates were
  real dates hold ("Saturday 10am"), is kept as it is. A task's ``due`` is a day or "".
- A task's or checklist item's ``owner`` is the ``id`` of one of the people, or "" for
  nobody yet. A task's ``guide_link`` is a section of the guide and a heading in it, like
  ``preparation-steps#rehearse``, or "".
- People are listed in speaking order; ``order`` is their place in it, counting from 1.
- ``target_seconds`` is a whole number of seconds from 1 to 3600.
- ``attempts`` are one person's timed rehearsals, ``runs`` the timed run-throughs of the
  whole meeting and ``tries`` the timed tries at answering an objection, oldest first.
  ``started_at`` is an ISO-8601 date and time with a time zone, like
  ``2025-03-01T18:30:00+00:00``; seconds are zero or more. An attempt's ``words`` is the
  statement's word count when it was timed (0 to 20000; attempts made before Kindred
  recorded it have none); its ``fingerprint`` is 16 hex digits that tell which wording of
  the statement was timed (attempts made before Kindred recorded it have none, and count as
  rehearsals until a later one was timed on other words); a split's ``fingerprint`` is the
  same for the speaker's statement in a run-through. A try's ``mark`` is "went well" or
  "needs work". A split's ``person_id`` is the ``id`` of the person who spoke.
- An ``id`` is 1 to 64 letters, digits, ``-`` or ``_``, unique within its list.
- ``changes`` is the plan's history, oldest first (see ``tui.core.history``): when (a date
  and time with a time zone), who (an account name), the kind of change (edit, restore, add,
  delete, move, attempt, try, run or import), where (the part's list, the record's ``id``
  and the field, "" where there is none), the record's name, and the value before and after
  (text, a number, true or false, or null); a text cut to its first 500 characters has
  ``before_cut`` or ``after_cut`` true.

On import, ``title`` and ``people`` are required, and each person needs ``name``,
``relationship``, ``role``, ``order``, ``target_seconds``, ``statement`` and ``bottom_line``.
``changes`` may be left out: the plan file then keeps the history it has. The import itself
is added to the history.
Everything else may be left out: missing fields take their defaults (a missing ``country``
the locale's) and missing ids are made up. Unknown fields are refused. Control characters
are removed from text. A problem is reported with the path of the value, counting list
items from 0, for example
``plan.people[2].target_seconds: Target length must be a whole number.``
"""

import json
from collections.abc import Sequence
from pathlib import Path

from tui.core.history import (
    HISTORY_LIMIT,
    HISTORY_TABLE,
    Change,
    history_of,
    imported_change,
)
from tui.core.plan import (
    AFTERCARE,
    CHECKLIST,
    ID_RULE,
    MARKS,
    MEETING,
    MOMENT_RULE,
    OBJECTIONS,
    PARTS,
    PEOPLE,
    PLAN,
    REHEARSAL_DATES,
    REHEARSAL_TABLES,
    SAFETY,
    SECONDS_RULE,
    SPECIALIST,
    TASKS,
    TREATMENTS,
    Part,
    Plan,
    ValidationError,
    clean_stored_value,
    is_fingerprint,
    is_id,
    is_moment,
    is_seconds,
    is_word_count,
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
    "country",
    "people",
    "specialist",
    "meeting",
    "safety",
    "treatments",
    "objections",
    "aftercare",
    "tasks",
    "checklist",
    "rehearsal_dates",
    "runs",
    HISTORY_TABLE,
)
LIST_PARTS = (TREATMENTS, OBJECTIONS, TASKS, CHECKLIST, REHEARSAL_DATES)
PLAN_TABLES = (*(part.table for part in PARTS), *REHEARSAL_TABLES)
ATTEMPT_FIELDS = ("started_at", "seconds", "words", "fingerprint")
TRY_FIELDS = ("started_at", "seconds", "mark")
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
            "country": plan.country,
            "people": [
                {
                    "id": person["id"],
                    **_fields(PEOPLE, person),
                    "order": place,
                    "attempts": [
                        _exported_attempt(attempt) for attempt in plan.attempts_of(person["id"])
                    ],
                }
                for place, person in enumerate(plan.people, start=1)
            ],
            "specialist": _fields(SPECIALIST, plan.records["specialist"]),
            "meeting": _fields(MEETING, plan.records["meeting"]),
            "safety": _fields(SAFETY, plan.records["safety"]),
            "treatments": _list_of(TREATMENTS, plan),
            "objections": [
                {
                    **objection,
                    "tries": [
                        {name: objection_try[name] for name in TRY_FIELDS}
                        for objection_try in plan.tries_of(objection["id"])
                    ],
                }
                for objection in _list_of(OBJECTIONS, plan)
            ],
            "aftercare": _fields(AFTERCARE, plan.records["aftercare"]),
            **{part.table: _list_of(part, plan) for part in (TASKS, CHECKLIST, REHEARSAL_DATES)},
            "runs": [
                {
                    "started_at": run["started_at"],
                    "total_seconds": run["total_seconds"],
                    "splits": [
                        {
                            "person_id": split["person_id"],
                            "seconds": split["seconds"],
                            **_usable_fingerprint(split),
                        }
                        for split in run["splits"]
                    ],
                }
                for run in plan.lists["runs"]
            ],
            HISTORY_TABLE: [change.to_dict() for change in history_of(tables)],
        },
    }


def _exported_attempt(attempt: dict) -> dict:
    exported = {"started_at": attempt["started_at"], "seconds": attempt["seconds"]}
    if "words" in attempt:
        exported["words"] = attempt["words"]
    return {**exported, **_usable_fingerprint(attempt)}


def _usable_fingerprint(timed: dict) -> dict:
    """An attempt's or a turn's fingerprint, to export; none if a hand-edited file spoiled it."""
    fingerprint = timed.get("fingerprint")
    return {"fingerprint": fingerprint} if is_fingerprint(fingerprint) else {}


def plan_json(tables: dict[str, list[dict]]) -> str:
    # A plan may hold ten thousand rehearsal attempts. Without indentation the json module
    # uses its fast encoder; with characters beyond ASCII as \\u escapes, and without looking
    # for values that contain themselves (a document made here cannot), it is faster still.
    return json.dumps(plan_document(tables), check_circular=False) + "\n"


def _list_of(part: Part, plan: Plan) -> list[dict]:
    return [{"id": row["id"], **_fields(part, row)} for row in plan.lists[part.table]]


def _fields(part: Part, record: dict) -> dict:
    return {spec.name: record[spec.name] for spec in part.fields}


# Import


def tables_from_document(document: object, default_country: str = "") -> dict[str, list[dict]]:
    """The store's tables for an interchange document; ValidationError names what is wrong.
    A plan without a country gets the default (the locale's, when importing a file)."""
    plan = _object(
        _check_header(document)["plan"],
        "plan",
        DOCUMENT_PARTS,
        required=("title", "people"),
    )
    plan_record = {"country": default_country, **plan}
    tables = {"plan": [{"id": "plan", **_clean_fields(PLAN, plan_record, "plan")}]}
    tables["people"], tables["attempts"] = _people_and_attempts(plan["people"])
    for part in (SPECIALIST, MEETING, SAFETY, AFTERCARE):
        path = f"plan.{part.table}"
        record = _object(plan.get(part.table, {}), path, [spec.name for spec in part.fields])
        tables[part.table] = [{"id": part.table, **_clean_fields(part, record, path)}]
    for part in (TREATMENTS, TASKS, CHECKLIST, REHEARSAL_DATES):
        tables[part.table] = _records(part, plan.get(part.table, []))
    tables["objections"], tables["objection_tries"] = _objections_and_tries(
        plan.get("objections", [])
    )
    _refuse_unknown_owners(tables)
    tables["runs"] = [
        _run(run, f"plan.runs[{index}]")
        for index, run in enumerate(_list(plan.get("runs", []), "plan.runs"))
    ]
    if HISTORY_TABLE in plan:
        path = f"plan.{HISTORY_TABLE}"
        changes = _list(plan[HISTORY_TABLE], path)
        tables[HISTORY_TABLE] = [
            _change(change, f"{path}[{index}]") for index, change in enumerate(changes)
        ][-HISTORY_LIMIT:]
    return tables


CHANGE_FIELDS = Change._fields
CHANGE_RULE = (
    "Must be a change as Kindred exports it: when (a date and time with a time zone), who, "
    "one of the kinds of change, and values that are text, numbers, true, false or null."
)


def _change(value: object, path: str) -> dict:
    """One entry of the history, as the store keeps it (see tui.core.history)."""
    _object(value, path, CHANGE_FIELDS, required=("at", "who", "kind"))
    change = imported_change(value)
    if change is None:
        raise _refused(path, CHANGE_RULE)
    return {"id": new_id(), **change.to_dict()}


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


def _records(part: Part, value: object, extra: Sequence[str] = ()) -> list[dict]:
    """The part's records; ``extra`` names fields beyond the part's own, left for the caller."""
    records = []
    allowed = ("id", *(spec.name for spec in part.fields), *extra)
    for index, raw in enumerate(_list(value, f"plan.{part.table}")):
        path = f"plan.{part.table}[{index}]"
        _object(raw, path, allowed)
        records.append({"id": _record_id(raw, path), **_clean_fields(part, raw, path)})
    _refuse_repeated_ids(records, f"plan.{part.table}")
    return records


def _refuse_unknown_owners(tables: dict[str, list[dict]]) -> None:
    people = {person["id"] for person in tables["people"]}
    for part in LIST_PARTS:
        for spec in part.fields:
            if spec.kind != "person":
                continue
            for index, record in enumerate(tables[part.table]):
                if record[spec.name] and record[spec.name] not in people:
                    raise _refused(
                        f"plan.{part.table}[{index}].{spec.name}",
                        "Must be the id of one of the plan's people, or empty for nobody yet.",
                    )


def _objections_and_tries(value: object) -> tuple[list[dict], list[dict]]:
    raws = _list(value, "plan.objections")
    objections = _records(OBJECTIONS, raws, extra=("tries",))
    tries = []
    for index, (raw, objection) in enumerate(zip(raws, objections, strict=True)):
        path = f"plan.objections[{index}].tries"
        tries += [
            {"id": new_id(), "objection_id": objection["id"], **_try(row, f"{path}[{number}]")}
            for number, row in enumerate(_list(raw.get("tries", []), path))
        ]
    return objections, tries


def _try(value: object, path: str) -> dict:
    objection_try = _object(value, path, TRY_FIELDS, required=TRY_FIELDS)
    if objection_try["mark"] not in MARKS:
        raise _refused(f"{path}.mark", 'Must be "went well" or "needs work".')
    return {
        "started_at": _moment(objection_try["started_at"], f"{path}.started_at"),
        "seconds": _seconds(objection_try["seconds"], f"{path}.seconds"),
        "mark": objection_try["mark"],
    }


def _attempts(value: object, path: str, person_id: str) -> list[dict]:
    """One person's attempts, as stored. There may be thousands, so each is checked with
    as little work as possible, and only a refused one is looked at again to say why."""
    rows = _list(value, path)
    attempts = []
    for number, (attempt, attempt_id) in enumerate(zip(rows, new_ids(len(rows)), strict=True)):
        if not (
            isinstance(attempt, dict)
            and is_moment(attempt.get("started_at"))
            and is_seconds(attempt.get("seconds"))
            # and "words" and "fingerprint" if given, and no other field
            and len(attempt) == 2 + ("words" in attempt) + ("fingerprint" in attempt)
            and ("words" not in attempt or is_word_count(attempt["words"]))
            and ("fingerprint" not in attempt or is_fingerprint(attempt["fingerprint"]))
        ):
            _check_attempt(attempt, f"{path}[{number}]")  # refuses it, saying why
        stored = {
            "id": attempt_id,
            "person_id": person_id,
            "started_at": attempt["started_at"],
            "seconds": attempt["seconds"],
        }
        for optional in ("words", "fingerprint"):
            if optional in attempt:
                stored[optional] = attempt[optional]
        attempts.append(stored)
    return attempts


def _check_attempt(value: object, path: str) -> None:
    attempt = _object(value, path, ATTEMPT_FIELDS, required=("started_at", "seconds"))
    _moment(attempt["started_at"], f"{path}.started_at")
    _seconds(attempt["seconds"], f"{path}.seconds")
    if not is_word_count(attempt.get("words", 0)):
        raise _refused(
            f"{path}.words",
            "Must be the number of words in the statement when it was timed: a whole number "
            "from 0 to 20000.",
        )
    _fingerprint(attempt, path)


def _fingerprint(timed: dict, path: str) -> dict:
    """The fingerprint of an attempt or a turn in a run-through, if it has one, to store."""
    if "fingerprint" not in timed:
        return {}
    if not is_fingerprint(timed["fingerprint"]):
        raise _refused(
            f"{path}.fingerprint",
            "Must be the fingerprint of the statement when it was timed: 16 of the digits "
            "0-9 and a-f.",
        )
    return {"fingerprint": timed["fingerprint"]}


def _run(value: object, path: str) -> dict:
    keys = ("started_at", "total_seconds", "splits")
    run = _object(value, path, keys, required=keys)
    splits = []
    for index, split in enumerate(_list(run["splits"], f"{path}.splits")):
        split_path = f"{path}.splits[{index}]"
        required = ("person_id", "seconds")
        _object(split, split_path, (*required, "fingerprint"), required=required)
        splits.append(
            {
                "person_id": _id(split["person_id"], f"{split_path}.person_id"),
                "seconds": _seconds(split["seconds"], f"{split_path}.seconds"),
                **_fingerprint(split, split_path),
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
            cleaned[spec.name] = clean_stored_value(spec, record[spec.name])
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
