"""One person's editing session on a plan file: validated edits, saved at once, merged with
the saves of other sessions on the same file. The tasks and checklist Kindred offers (see
tui.core.tasks) are added with the first change to a new plan and when the approach changes."""

from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import cast

from tui.core import history
from tui.core.approaches import APPROACH_NAMES, NOT_CHOSEN
from tui.core.plan import (
    PARTS,
    PARTS_BY_TABLE,
    PEOPLE,
    PLAN,
    REHEARSAL_TABLES,
    Plan,
    ValidationError,
    clean_record,
    clean_value,
    display_name,
    field_of,
    new_id,
    placed,
    renumbered,
    speaking_order,
)
from tui.core.plan_file import kept_path
from tui.core.private_file import write_private_file
from tui.core.rehearsal import Attempt, ObjectionTry, RunRecord
from tui.core.store import LockHeld, Store, StoreError
from tui.core.tasks import offer_for_new_approach, offer_for_new_plan

PLAN_TABLES = (*PARTS_BY_TABLE, *REHEARSAL_TABLES)
UNSAVED = "unsaved"  # names the private file of edits that could not be saved
OWNED_TABLES = tuple(
    part.table for part in PARTS if any(spec.kind == "person" for spec in part.fields)
)


@dataclass(frozen=True)
class FieldKey:
    table: str
    record_id: str  # a singleton part's record id is its table name
    field: str


class RecordGone(StoreError):
    """An edit to a record that another session deleted, so it could not be saved."""


class PlanSession:
    """One person's editing session on a plan file, merged field by field with the saves of
    other sessions on the same file.

    `plan` is the file as this session last read it, with this session's edits that are not
    on disk yet (`unsaved`) laid over it. Every change is one locked transaction: the store
    reads the file again, and the change and every waiting edit are written into what is
    there now, one field at a time. So edits to different fields, from any number of
    sessions, are all kept; for one field, the later save wins. An edit the disk refused
    stays in `unsaved` and goes with the next save. An edit whose record another session
    deleted cannot be saved: save_unsaved raises RecordGone and keeps it in words
    (`edits_of_deleted`), to be copied to a private file like the edits not saved.

    After each save the plan is read again. A field edited here (`edited_here`) whose value
    then comes back changed by someone else's save is noted, and reload_from_disk returns
    it, so that the screen can say whose later save is shown; the value this session had
    saved is kept in `your_versions` until it is edited again, so that the person can put
    it back. changed_on_disk says whether another session has saved since this one last
    showed the plan, including a save taken in along with one of ours.

    Edits of fields and reading the plan again wait for another program's lock at most
    `lock_wait_seconds` (by default the store's usual wait) and then raise LockHeld; the
    edits stay in `unsaved`, and keep_field takes more without trying to save. Changes of
    records (add, delete, move, rehearsals) wait as long and then raise LockHeld having
    changed nothing; once saved, they never raise LockHeld.

    A plan without a country shows `default_country` (the locale's) at once and takes it
    with its next save: opening a plan never writes.

    Every change is noted in the plan's history (tui.core.history), in the same save: by
    `who` (this account's name), at the time `clock` gives. What Kindred adds by itself (the
    tasks offered for an approach, the locale's country) is not noted: the change that
    brought it is.
    """

    def __init__(
        self,
        store: Store,
        default_country: str | None = None,
        lock_wait_seconds: float | None = None,
        who: str | None = None,
        clock: Callable[[], datetime] = history.now_in_utc,
    ):
        """default_country (the locale's) is the country of a plan that has none: shown at
        once, and saved with the plan's next save, so that opening a plan never writes.
        who names the person in the history (by default this account's name)."""
        self.store = store
        self.who = who or history.account_name()
        self.clock = clock
        self.default_country = default_country
        self.lock_wait_seconds = lock_wait_seconds
        tables = store.read(wait_seconds=lock_wait_seconds)
        self.plan = self._plan_from(tables)
        self._history_rows = tables.get(history.HISTORY_TABLE, [])
        self._stamp = store.stamp()
        self.unsaved: dict[FieldKey, object] = {}  # edits the disk refused, retried on next save
        self.edits_of_deleted: list[str] = []  # in words: their record was deleted elsewhere
        self.edited_here: set[FieldKey] = set()
        self.your_versions: dict[FieldKey, object] = {}  # what another's later save replaced
        self._restores: set[FieldKey] = set()  # unsaved edits that put an earlier value back
        self._others_saved = False  # another session's save was taken in with one of ours
        self._overwritten: list[FieldKey] = []

    def _plan_from(self, tables: dict[str, list[dict]], earlier: Plan | None = None) -> Plan:
        plan = Plan.from_tables(tables, earlier)
        if self.default_country and not plan.country:
            plan.records["plan"]["country"] = self.default_country
        return plan

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    def set_field(self, key: FieldKey, raw_value: object) -> object:
        """Validate and save one field.

        Raises ValidationError when the value is refused, StoreError (SaveFailed, LockHeld)
        when it could not be saved: the edit is then kept and saved with the next save, and
        RecordGone when another session deleted the record.
        """
        value = self.keep_field(key, raw_value)
        self.save_unsaved()
        return value

    def restore_field(self, key: FieldKey, earlier_value: object) -> object:
        """Put an earlier value from the history back into a field, saved as set_field saves
        and noted in the history as put back."""
        value = self.keep_field(key, earlier_value)
        self._restores.add(key)
        self.save_unsaved()
        return value

    @property
    def history(self) -> list[history.Change]:
        """The plan's history as last read, oldest first: read from the file's rows only when
        asked (about 10 ms for a full history), not with every save."""
        return history.history_of({history.HISTORY_TABLE: self._history_rows})

    def keep_field(self, key: FieldKey, raw_value: object) -> object:
        """Validate one field's edit and keep it, to be saved with the next save; returns
        the value kept. ValidationError when the value is refused."""
        spec = field_of(PARTS_BY_TABLE[key.table], key.field)
        value = clean_value(spec, raw_value)
        if spec.kind == "person" and value and self.plan.record("people", str(value)) is None:
            raise ValidationError(f"{spec.label}: that person is no longer in the plan.")
        self.unsaved[key] = value
        self._restores.discard(key)
        self._apply_locally(key, value)
        self.edited_here.add(key)
        self.your_versions.pop(key, None)
        return value

    def save_unsaved(self) -> None:
        """Save every edit not yet on disk, in one save."""
        if not self.unsaved:
            return
        with self._writing(self.lock_wait_seconds):
            pass
        gone = list(self.unsaved)
        self.edits_of_deleted += [
            f"{self._in_words(key, value)}(deleted in another session)\n"
            for key, value in self.unsaved.items()
        ]
        self.unsaved.clear()
        self._reload_after_saving()
        if gone:
            part = PARTS_BY_TABLE[gone[0].table]
            raise RecordGone(
                f"This {part.item_name} was deleted in another session, so the change could not "
                "be saved.",
                self.store.path,
            )

    def add(self, table: str, values: dict | None = None) -> str:
        part = PARTS_BY_TABLE[table]
        record = {**clean_record(part, values or {}), "id": new_id()}
        with self._writing(self.lock_wait_seconds) as database:
            if table == "people":
                record["order"] = (
                    max((row.get("order", 0) for row in database.table(table)), default=0) + 1
                )
            database.table(table).insert(record)
            self._note(
                database, history.ADD, table, record["id"], name=record.get(part.label_field, "")
            )
        self._reload_after_saving()
        return record["id"]

    def delete(self, table: str, record_id: str) -> None:
        with self._writing(self.lock_wait_seconds) as database:
            gone = database.table(table).get(_by_id(record_id))
            if gone is not None and table in PARTS_BY_TABLE:
                name = display_name(PARTS_BY_TABLE[table], gone)
                self._note(database, history.DELETE, table, record_id, name=name)
            elif gone is not None:  # a rehearsal: noted with how long it took
                seconds = gone.get("seconds", gone.get("total_seconds"))
                self._note(database, history.DELETE, table, record_id, before=seconds)
            database.table(table).remove(_by_id(record_id))
            if table == "people":
                database.table("attempts").remove(_by_field("person_id", record_id))
                for owned in OWNED_TABLES:
                    database.table(owned).update({"owner": ""}, _by_field("owner", record_id))
            if table == "objections":
                database.table("objection_tries").remove(_by_field("objection_id", record_id))
        self.unsaved = {key: v for key, v in self.unsaved.items() if key.record_id != record_id}
        self._reload_after_saving()

    def move_person(self, person_id: str, step: int) -> None:
        """Move someone earlier (-1) or later (+1) in the speaking order."""
        with self._writing(self.lock_wait_seconds) as database:
            people = database.table("people")
            current = Plan.from_tables({"people": people.all()}).lists["people"]
            places = renumbered(current, person_id, step)
            for record_id, place in places.items():
                people.update({"order": place}, _by_id(record_id))
            self._note_move(database, current, person_id, places)
        self._reload_after_saving()

    def place_person(self, person_id: str, typed_place: object) -> int:
        """Move someone to the place typed in their "Place in the speaking order"; the others
        keep their order around them. Returns the place they now have."""
        place = cast(int, clean_value(field_of(PEOPLE, "order"), typed_place))
        with self._writing(self.lock_wait_seconds) as database:
            people = database.table("people")
            current = Plan.from_tables({"people": people.all()}).lists["people"]
            places = {}
            if any(person["id"] == person_id for person in current):
                places = placed(current, person_id, place)
                for record_id, number in places.items():
                    people.update({"order": number}, _by_id(record_id))
                self._note_move(database, current, person_id, places)
        self._reload_after_saving()
        if person_id not in places:
            raise RecordGone(
                "This person was deleted in another session, so the change could not be saved.",
                self.store.path,
            )
        return places[person_id]

    def record_attempt(self, person_id: str, attempt: Attempt) -> None:
        with self._writing(self.lock_wait_seconds) as database:
            database.table("attempts").insert(
                {"id": new_id(), "person_id": person_id, **attempt.to_dict()}
            )
            person = database.table("people").get(_by_id(person_id)) or {}
            name = display_name(PEOPLE, person)
            self._note(
                database, history.ATTEMPT, "people", person_id, name=name, after=attempt.seconds
            )
        self._reload_after_saving()

    def record_try(self, objection_id: str, objection_try: ObjectionTry) -> None:
        """Save a try at answering an objection; RecordGone if another session deleted the
        objection meanwhile."""
        with self._writing(self.lock_wait_seconds) as database:
            gone = not database.table("objections").contains(_by_id(objection_id))
            if not gone:
                database.table("objection_tries").insert(
                    {"id": new_id(), "objection_id": objection_id, **objection_try.to_dict()}
                )
                objection = database.table("objections").get(_by_id(objection_id))
                name = display_name(PARTS_BY_TABLE["objections"], objection)
                self._note(
                    database,
                    history.TRY,
                    "objections",
                    objection_id,
                    name=name,
                    after=objection_try.seconds,
                )
        self._reload_after_saving()
        if gone:
            raise RecordGone(
                "This objection was deleted in another session, so the try was not saved.",
                self.store.path,
            )

    def record_run(self, run: RunRecord) -> None:
        with self._writing(self.lock_wait_seconds) as database:
            database.table("runs").insert({"id": new_id(), **run.to_dict()})
            self._note(database, history.RUN, after=run.total_seconds)
        self._reload_after_saving()

    def unsaved_text(self) -> str:
        """The edits not on disk, to read: where each belongs, then its text."""
        entries = [self._in_words(key, value) for key, value in self.unsaved.items()]
        return "\n".join(entries + self.edits_of_deleted)

    def _in_words(self, key: FieldKey, value: object) -> str:
        part = PARTS_BY_TABLE[key.table]
        record = _record(self.plan, key)
        label = field_of(part, key.field).label
        if record and not part.singleton:
            heading = f"{part.title} ({display_name(part, record)}), {label}"
        else:
            heading = f"{part.title}, {label}"
        return f"{heading}:\n{value}\n"

    def keep_unsaved_privately(self, moment: datetime, also: Sequence[str] = ()) -> Path:
        """Write the edits that could not be saved, and `also` (other changes, named), to a
        file beside the plan that only this user can read, and return its name. OSError if
        that cannot be written either."""
        path = kept_path(self.store.path, UNSAVED, moment)
        path = path.with_name(path.name + ".txt")
        heading = (
            f"Changes to the plan {self.store.path.name} that Kindred could not save "
            f"({moment:%Y-%m-%d %H:%M}). Type them in again, or copy them from here.\n\n"
        )
        named = "".join(f"\nNot saved either: {change}.\n" for change in also)
        write_private_file(path, (heading + self.unsaved_text() + named).encode("utf-8"))
        return path

    def changed_on_disk(self) -> bool:
        """Has another session saved since this one last showed the plan?"""
        return self._others_saved or self.store.stamp() != self._stamp

    def reload_from_disk(self) -> list[FieldKey]:
        """Take in another session's saves; returns the fields edited here that they changed
        (what this session had is in your_versions)."""
        self._reload(self.lock_wait_seconds)
        overwritten, self._overwritten = self._overwritten, []
        self._others_saved = False
        return overwritten

    @contextmanager
    def _writing(self, wait_seconds: float | None = None):
        """A transaction that also saves the edits still waiting (those whose record is gone
        stay waiting, for save_unsaved to report), and notes whether someone else saved
        since we last looked."""
        if self.store.stamp() != self._stamp:
            self._others_saved = True
        edits = dict(self.unsaved)
        restores = set(self._restores)
        with self.store.transaction(wait_seconds=wait_seconds) as database:
            new_plan = _is_empty(database)
            approach_before = _approach(database)
            yield database
            saved = []
            for key, before, name in _save_edits(database, edits):
                saved.append(key)
                if before != edits[key]:
                    kind = history.RESTORE if key in restores else history.EDIT
                    self._note(
                        database,
                        kind,
                        key.table,
                        key.record_id,
                        field=key.field,
                        name=name,
                        before=before,
                        after=edits[key],
                    )
            _offer_tasks(database, new_plan, approach_before)
            if self.default_country:
                _give_a_country(database, self.default_country)
        for key in saved:
            if self.unsaved.get(key) == edits[key]:
                del self.unsaved[key]
                self._restores.discard(key)

    def _note(self, database, kind: str, table: str = "", record_id: str = "", **details) -> None:
        """Note a change in the history, in the save being made."""
        change = history.new_change(
            self.who, self.clock(), kind, table=table, record_id=record_id, **details
        )
        history.add_to_history(database, [change])

    def _note_move(
        self, database, people: list[dict], person_id: str, places: dict[str, int]
    ) -> None:
        """Note that someone moved in the speaking order from their place among people."""
        in_order = [person["id"] for person in speaking_order(people)]
        if person_id not in in_order:  # deleted in another session
            return
        before, after = in_order.index(person_id) + 1, places.get(person_id)
        if after is not None and after != before:
            name = display_name(PEOPLE, next(p for p in people if p["id"] == person_id))
            self._note(
                database, history.MOVE, "people", person_id, name=name, before=before, after=after
            )

    def _reload_after_saving(self) -> None:
        try:
            self._reload(self.lock_wait_seconds)
        except LockHeld:
            self._others_saved = True  # saved: the plan is read again at the next look

    def _reload(self, wait_seconds: float | None = None) -> None:
        before = self.plan
        stamp = self.store.stamp()
        tables = self.store.read(wait_seconds=wait_seconds)
        self.plan = self._plan_from(tables, earlier=before)
        self._history_rows = tables.get(history.HISTORY_TABLE, [])
        self._stamp = stamp
        for key, value in self.unsaved.items():
            self._apply_locally(key, value)
        overwritten = [
            key
            for key in self.edited_here
            if key not in self.unsaved
            and _value(before, key) != _value(self.plan, key)
            and _value(self.plan, key) is not None
        ]
        for key in overwritten:
            self.your_versions[key] = _value(before, key)
            self.edited_here.discard(key)  # told once; edited again, it is the person's again
        self._overwritten += overwritten

    def _apply_locally(self, key: FieldKey, value: object) -> None:
        record = _record(self.plan, key)
        if record is not None:
            record[key.field] = value


def _record(plan: Plan, key: FieldKey) -> dict | None:
    if PARTS_BY_TABLE[key.table].singleton:
        return plan.record(key.table)
    return plan.record(key.table, key.record_id)


def _value(plan: Plan, key: FieldKey) -> object:
    record = _record(plan, key)
    return None if record is None else record.get(key.field)


def _by_id(record_id: str):
    return _by_field("id", record_id)


def _by_field(field: str, value: str):
    # TinyDB is imported when the plan is first changed (see Store.transaction), not sooner.
    from tinydb import where

    return where(field) == value


def _is_empty(database) -> bool:
    return not any(len(database.table(table)) for table in PLAN_TABLES)


def _approach(database) -> str:
    meeting = database.table("meeting").get(_by_id("meeting"))
    approach = meeting.get("approach") if meeting else None
    return approach if isinstance(approach, str) and approach in APPROACH_NAMES else NOT_CHOSEN


def _offer_tasks(database, new_plan: bool, approach_before: str) -> None:
    """Add the tasks and checklist that a new plan or a new approach is offered."""
    approach = _approach(database)
    taken_away: list[str] = []
    if new_plan and not _is_empty(database):
        additions = offer_for_new_plan(approach)
    elif approach != approach_before:
        tasks, checklist = database.table("tasks").all(), database.table("checklist").all()
        additions, taken_away = offer_for_new_approach(tasks, checklist, approach_before, approach)
    else:
        return
    for table, records in additions.items():
        if records:
            database.table(table).insert_multiple(records)
    for task_id in taken_away:
        database.table("tasks").remove(_by_id(task_id))


def _save_edits(database, edits: dict[FieldKey, object]) -> list[tuple[FieldKey, object, str]]:
    """Write the edits; returns those saved (not those whose record was deleted), each with
    the value it replaced and the name of its record."""
    saved = []
    for key, value in edits.items():
        part = PARTS_BY_TABLE[key.table]
        table = database.table(key.table)
        record = table.get(_by_id(key.record_id))
        if record is None and not part.singleton:
            continue
        before = (record or {}).get(key.field, field_of(part, key.field).default)
        name = part.title if part.singleton else display_name(part, {**record, key.field: value})
        if part.singleton:
            _upsert(table, key.record_id, {key.field: value})
        else:
            table.update({key.field: value}, _by_id(key.record_id))
        saved.append((key, before, name))
    return saved


def _give_a_country(database, country: str) -> None:
    """The plan takes the country if it has none that Kindred can use."""
    plans = database.table(PLAN.table)
    stored = plans.get(_by_id(PLAN.table))
    current = Plan.from_tables({PLAN.table: [stored] if stored else []}).country
    if not current:
        _upsert(plans, PLAN.table, {"country": country})


def _upsert(table, record_id: str, changes: dict) -> None:
    if table.contains(_by_id(record_id)):
        table.update(changes, _by_id(record_id))
    else:
        table.insert({"id": record_id, **changes})
