"""What every test shares: its own data, config and cache folders, and sample plans.

Tests are in three folders: core (plain Python, fast: `uv run pytest tests/core`), ui (the
app with Textual's pilot, and snapshots) and system (real processes, terminals and tmux).
"""

import json
import uuid
from pathlib import Path

import pytest
from hypothesis import settings

from tui.cli import main

# No time limit on an example: the machine is shared, and a slow moment is not a failure.
settings.register_profile("untimed", deadline=None)
settings.load_profile("untimed")


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory, monkeypatch):
    """Every test gets its own data, config and cache directories, never the user's. They
    are made only if the test writes there: most tests never do."""
    home = tmp_path_factory.getbasetemp() / "homes" / uuid.uuid4().hex
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "xdg-cache"))
    monkeypatch.setenv("KINDRED_DATA", str(home / "plan" / "kindred.json"))
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(autouse=True, scope="session")
def locale_naming_a_country():
    """A locale that names a country, whatever the machine's, so that a new plan has one and
    nothing asks which. Set for the whole session: module fixtures run the app too."""
    with pytest.MonkeyPatch.context() as session:
        session.setenv("LANG", "en_US.UTF-8")
        for name in ("LC_ALL", "LC_MESSAGES"):
            session.delenv(name, raising=False)
        yield


@pytest.fixture
def sample_document() -> dict:
    """A valid plan as the JSON interchange document: two people (one with attempts, one not
    at the meeting), every part filled in, and a run-through. A fresh copy for each test."""
    return {
        "format": "kindred-plan",
        "version": 1,
        "plan": {
            "title": "Spring plan",
            "people": [
                {
                    "id": "anna",
                    "name": "Anna",
                    "relationship": "sister",
                    "role": "chair",
                    "statement": "I love you.\n\nPlease come with us today.",
                    "bottom_line": "I will stop paying your rent.",
                    "order": 2,
                    "target_seconds": 120,
                    "attempts": [
                        {"started_at": "2025-03-01T18:30:00+00:00", "seconds": 130.5},
                        {"started_at": "2025-03-02T19:30:00+01:00", "seconds": 110},
                    ],
                },
                {
                    "id": "bob",
                    "name": "Bob",
                    "relationship": "friend",
                    "role": "member",
                    "statement": "You were always there for me.",
                    "bottom_line": "",
                    "order": 1,
                    "target_seconds": 90,
                    "attending": False,
                    "read_by": "Anna",
                    "enabled": True,
                    "enabling": "I lent you money. I will stop.",
                },
            ],
            "specialist": {"name": "Dr Rivera", "contact": "555-0100", "agreed": True},
            "meeting": {"when": "Saturday 10am", "place": "Mum's house", "neutral": True},
            "treatments": [{"id": "hope", "name": "Hope House", "intake_booked": True}],
            "objections": [{"objection": "I don't have a problem.", "answer": "We have seen it."}],
            "aftercare": {"follow_up": "Weekly family meeting."},
            "runs": [
                {
                    "started_at": "2025-03-03T18:00:00+00:00",
                    "total_seconds": 200.2,
                    "splits": [
                        {"person_id": "bob", "seconds": 85.1},
                        {"person_id": "anna", "seconds": 115.1},
                    ],
                }
            ],
        },
    }


@pytest.fixture
def decoded_files(monkeypatch) -> list[str]:
    """The text of every plan file the store decodes from now on, in order."""
    from tui.core import plan_file

    decoded: list[str] = []
    decode = plan_file.decode

    def counting_decode(raw, **options):
        decoded.append(raw)
        return decode(raw, **options)

    monkeypatch.setattr(plan_file, "decode", counting_decode)
    return decoded


@pytest.fixture
def data(tmp_path) -> Path:
    """Where the test's plan file goes, in a folder not made yet."""
    return tmp_path / "private" / "kindred.json"


@pytest.fixture
def saved_plan(data, sample_document) -> Path:
    """A plan file holding the sample document, made by `kindred import`."""
    document = data.parent.parent / "saved.json"
    document.write_text(json.dumps(sample_document), encoding="utf-8")
    assert main(["import", str(document), "--data", str(data)]) == 0
    return data
