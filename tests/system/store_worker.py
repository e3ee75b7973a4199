"""Child process for the store tests that need a real second process.

    store_worker.py writer PATH          save an ever-increasing counter until killed
    store_worker.py hammer PATH NAME N   after "go" on stdin, N transactions + N inserts
    store_worker.py as-nobody FOLDER     open, read and change FOLDER/kindred.json as nobody
    store_worker.py size-limit PATH N    try to save a big plan with files capped at N bytes
    store_worker.py saver PATH N         after "go" on stdin, save N times; then how it went

Each reports on stdout, one line per event (JSON where there is something to say).
"""

import codecs
import json
import os
import resource
import signal
import sys
from pathlib import Path

from tinydb import Query

from tui.core.store import Store, StoreError

NOBODY = 65534


def writer(path: Path) -> None:
    store = Store(path)
    counter = store.read()["counter"][0]["n"]
    print(f"start {counter}", flush=True)
    while True:
        counter += 1
        store.upsert("counter", "c", {"n": counter})
        print(counter, flush=True)


def hammer(path: Path, name: str, rounds: int) -> None:
    store = Store(path)
    print("ready", flush=True)
    sys.stdin.readline()
    store.insert("workers", {"id": name, "count": 0})
    for round_number in range(rounds):
        with store.transaction() as database:
            workers = database.table("workers")
            mine = workers.get(Query().id == name)
            workers.update({"count": mine["count"] + 1}, doc_ids=[mine.doc_id])
            shared = database.table("shared")
            total = shared.get(Query().id == "total")
            shared.update({"count": total["count"] + 1}, doc_ids=[total.doc_id])
        store.insert("log", {"id": f"{name}-{round_number}"})
    print("done", flush=True)


def as_nobody(folder: Path) -> None:
    """Open, read, then try to change the plan; report what was read and the error if any."""
    codecs.lookup("utf-8-sig")  # now: nobody may not be allowed to read Python's own files
    os.chdir(folder)
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)
    found: dict = {}

    def open_read_and_change() -> None:
        store = Store(Path("kindred.json"))
        found.update(read_only=store.read_only, plan=store.read())
        store.insert("people", {"id": "nobody"})

    report(open_read_and_change, found)


def size_limit(path: Path, limit: int) -> None:
    store = Store(path)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    big = [{"id": str(n), "text": "x" * 100} for n in range(limit // 50)]
    report(lambda: store.replace_all(lambda _: {"big": big}))


def saver(path: Path, count: int) -> None:
    store = Store(path)
    store.upsert("counter", "c", {"n": 0})
    print("ready", flush=True)
    sys.stdin.readline()
    report(lambda: [store.upsert("counter", "c", {"n": n}) for n in range(1, count + 1)])


def report(action, found: dict | None = None) -> None:
    """Print whether action failed, and why, with what it found."""
    found = found if found is not None else {}
    try:
        action()
    except StoreError as error:
        print(json.dumps({"error": type(error).__name__, "message": error.message, **found}))
    else:
        print(json.dumps({"error": None, **found}))


if __name__ == "__main__":
    command, target, *rest = sys.argv[1:]
    if command == "writer":
        writer(Path(target))
    elif command == "hammer":
        hammer(Path(target), rest[0], int(rest[1]))
    elif command == "as-nobody":
        as_nobody(Path(target))
    elif command == "size-limit":
        size_limit(Path(target), int(rest[0]))
    elif command == "saver":
        saver(Path(target), int(rest[0]))
