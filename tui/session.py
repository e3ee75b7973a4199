"""One person's editing session on a plan file: validated edits, saved at once, merged with
the saves of other sessions on the same file."""

from dataclasses import dataclass

from tinydb import where

from tui.plan import (
    PARTS_BY_TABLE,
    Plan,
    clean_record,
    clean_value,
    defaults,
    field_of,
    new_id,
    renumbered,
)
from tui.rehearsal import Attempt, RunRecord
from tui.store import Store


@dataclass(frozen=True)
class FieldKey:
    table: str
    record_id: str  # a singleton part's record id is its table name
    field: str


class PlanSession:
    def __init__(self, store: Store):
        self.store = store
        self.plan = Plan.from_tables(store.read())
        self._stamp = store.stamp()
        self.unsaved: dict[FieldKey, object] = {}  # edits the disk refused, retried on next save
        self.edited_here: set[FieldKey] = set()

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    def set_field(self, key: FieldKey, raw_value: object) -> object:
        """Validate and save one field.

        Raises ValidationError when the value is refused, and SaveFailed (from the store) when
        the disk is not writable: the edit is then kept and saved with the next save.
        """
        value = clean_value(field_of(PARTS_BY_TABLE[key.table], key.field), raw_value)
        self.unsaved[key] = value
        self._apply_locally(key, value)
        self.edited_here.add(key)
        self.save_unsaved()
        return value

    def save_unsaved(self) -> None:
        """Save every edit not yet on disk, in one save; raises SaveFailed and keeps them."""
        if not self.unsaved:
            return
        edits = dict(self.unsaved)
        with self.store.transaction() as database:
            for key, value in edits.items():
                table = database.table(key.table)
                if PARTS_BY_TABLE[key.table].singleton:
                    _upsert(table, key.record_id, {key.field: value})
                else:
                    _update(table, key.record_id, {key.field: value})
        for key, value in edits.items():
            if self.unsaved.get(key) == value:
                del self.unsaved[key]
        self._reload()

    def add(self, table: str, values: dict | None = None) -> str:
        part = PARTS_BY_TABLE[table]
        record = {**clean_record(part, values or {}), "id": new_id()}
        if table == "people":
            record["order"] = len(self.plan.lists["people"]) + 1
        self.store.insert(table, record)
        self._reload()
        return record["id"]

    def delete(self, table: str, record_id: str) -> None:
        with self.store.transaction() as database:
            _remove(database.table(table), record_id)
            if table == "people":
                _remove_where(database.table("attempts"), "person_id", record_id)
        self.unsaved = {key: v for key, v in self.unsaved.items() if key.record_id != record_id}
        self._reload()

    def move_person(self, person_id: str, step: int) -> None:
        """Move someone earlier (-1) or later (+1) in the speaking order."""
        with self.store.transaction() as database:
            people = database.table("people")
            places = renumbered(
                [{**defaults(PARTS_BY_TABLE["people"]), **row} for row in people.all()],
                person_id,
                step,
            )
            for record_id, place in places.items():
                _update(people, record_id, {"order": place})
        self._reload()

    def record_attempt(self, person_id: str, attempt: Attempt) -> None:
        self.store.insert("attempts", {"id": new_id(), "person_id": person_id, **attempt.to_dict()})
        self._reload()

    def record_run(self, run: RunRecord) -> None:
        self.store.insert("runs", {"id": new_id(), **run.to_dict()})
        self._reload()

    def changed_on_disk(self) -> bool:
        return self.store.stamp() != self._stamp

    def reload_from_disk(self) -> list[FieldKey]:
        """Take in another session's saves; returns the fields edited here that they changed."""
        before = self.plan
        self._reload()
        for key, value in self.unsaved.items():
            self._apply_locally(key, value)
        return [
            key
            for key in self.edited_here
            if key not in self.unsaved and _value(before, key) != _value(self.plan, key)
        ]

    def _reload(self) -> None:
        self._stamp = self.store.stamp()
        self.plan = Plan.from_tables(self.store.read())

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
    return where("id") == record_id


def _upsert(table, record_id: str, changes: dict) -> None:
    if table.contains(_by_id(record_id)):
        table.update(changes, _by_id(record_id))
    else:
        table.insert({"id": record_id, **changes})


def _update(table, record_id: str, changes: dict) -> None:
    table.update(changes, _by_id(record_id))


def _remove(table, record_id: str) -> None:
    table.remove(_by_id(record_id))


def _remove_where(table, field: str, value: str) -> None:
    table.remove(where(field) == value)
