"""One save with 100, 1,000 and 10,000 attempts stored, with tui.core.store.Store. Prints JSON.

    python bench/storage_probe.py --folder DIR --saves N

The floor for each size is the least a save of the same plan could cost: json.dumps of the
same data, one write and one fsync of a new file.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

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
    json.dump({"filesystem": filesystem(args.folder), "sizes": results}, sys.stdout)


if __name__ == "__main__":
    main()
