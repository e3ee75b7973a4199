"""One save with 100, 1,000 and 10,000 attempts stored, with tui.core.store.Store, and one
edit saved by a session with 10,000 attempts and a full history of changes. Prints JSON.

    python bench/storage_probe.py --folder DIR --saves N

The floor for each size is the least a save of the same plan could cost: json.dumps of the
same data, one write and one fsync of a new file.
"""

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tinydb import where

from tui.core.history import HISTORY_LIMIT, HISTORY_TABLE, add_to_history, new_change
from tui.core.plan import new_id
from tui.core.store import Store

SIZES = (100, 1_000, 10_000)
PEOPLE = 5


def tables_with(attempts: int) -> dict[str, list[dict]]:
    people = [
        {"id": f"person-{n}", "name": f"Person {n}", "order": n, "target_seconds": 120}
        for n in range(1, PEOPLE + 1)
    ]
    rows = [
        {
            "id": new_id(),
            "person_id": people[n % PEOPLE]["id"],
            "started_at": "2026-11-01T10:00:00+00:00",
            "seconds": 95.5,
        }
        for n in range(attempts)
    ]
    return {"people": people, "attempts": rows}


def attempt() -> dict:
    return {
        "id": new_id(),
        "person_id": "person-1",
        "started_at": "2026-11-27T10:00:00+00:00",
        "seconds": 101.3,
    }


def floor_save(path: Path, data: dict) -> float:
    started = time.perf_counter()
    payload = json.dumps(data, ensure_ascii=False).encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, payload)
        os.fsync(fd)
    finally:
        os.close(fd)
    return time.perf_counter() - started


def measure(folder: Path, attempts: int, saves: int) -> dict:
    store = Store(folder / f"plan-{attempts}.json")
    store.replace_all(lambda _: tables_with(attempts))
    size = os.path.getsize(store.path)
    on_disk = json.loads(store.path.read_bytes())  # the same data, in the file's own layout
    times, floors = [], []
    for _ in range(saves):
        # Alternate the two, so a slow moment of the disk falls on both alike.
        doc = attempt()
        on_disk["attempts"][str(len(on_disk["attempts"]) + 1)] = doc
        floors.append(floor_save(folder / f"floor-{attempts}.json", on_disk))
        started = time.perf_counter()
        store.insert("attempts", doc)
        times.append(time.perf_counter() - started)
    return {"attempts": attempts, "file_bytes": size, "save": times, "floor": floors}


def history_rows() -> list[dict]:
    """A full history: edits of names, and every tenth of a statement kept cut."""
    start = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
    rows = []
    for n in range(HISTORY_LIMIT):
        field, text = ("statement", "We love you. " * 60) if n % 10 == 0 else ("name", "Person")
        change = new_change(
            f"account{n % 3}",
            start + timedelta(minutes=n),
            "edit",
            table="people",
            record_id="person-1",
            field=field,
            name="Person 1",
            before=f"{text} {n}",
            after=f"{text} {n + 1}",
        )
        rows.append({"id": new_id(), **change.to_dict()})
    return rows


def measure_full_history(folder: Path, saves: int) -> dict:
    """One save of an edit and its entry in the history, as a session makes it, with SIZES[-1]
    attempts and a full history stored: the oldest change is dropped in the same save."""
    attempts = SIZES[-1]
    store = Store(folder / "plan-full-history.json")
    store.replace_all(lambda _: {**tables_with(attempts), HISTORY_TABLE: history_rows()})
    size = os.path.getsize(store.path)
    times, floors = [], []
    for n in range(saves):
        on_disk = json.loads(store.path.read_bytes())
        floors.append(floor_save(folder / "floor-full-history.json", on_disk))
        change = new_change(
            "bench",
            datetime(2026, 12, 1, tzinfo=UTC) + timedelta(hours=n),
            "edit",
            table="people",
            record_id="person-2",
            field="name",
            before=f"Name {n - 1}",
            after=f"Name {n}",
        )
        started = time.perf_counter()
        with store.transaction() as database:
            database.table("people").update({"name": f"Name {n}"}, where("id") == "person-2")
            add_to_history(database, [change])
        times.append(time.perf_counter() - started)
    return {
        "attempts": attempts,
        "changes": HISTORY_LIMIT,
        "file_bytes": size,
        "save": times,
        "floor": floors,
    }


def filesystem(folder: Path) -> str:
    """The type of file system the plan files are on (saves wait for it to sync)."""
    best, kind = "", "unknown"
    with open("/proc/mounts", encoding="utf-8") as mounts:
        for line in mounts:
            fields = line.split()
            point = fields[1]
            if str(folder.resolve()).startswith(point) and len(point) > len(best):
                best, kind = point, fields[2]
    return kind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--saves", type=int, default=7)
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    results = [measure(args.folder, attempts, args.saves) for attempts in SIZES]
    full_history = measure_full_history(args.folder, args.saves)
    json.dump(
        {"filesystem": filesystem(args.folder), "sizes": results, "full_history": full_history},
        sys.stdout,
    )


if __name__ == "__main__":
    main()
