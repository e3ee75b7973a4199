import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from tui.app import KindredApp
from tui.guide import load_guide

PROJECT = Path(__file__).resolve().parents[1]

# No time limit on an example: the machine is shared, and a slow moment is not a failure.
settings.register_profile("untimed", deadline=None)
settings.load_profile("untimed")


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    """Every test gets its own data, config and cache directories, never the user's."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("KINDRED_DATA", str(tmp_path / "plan" / "kindred.json"))
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
def make_app(tmp_path):
    def factory(**kwargs) -> KindredApp:
        return KindredApp(load_guide(kwargs.pop("content", None)), **kwargs)

    return factory


@pytest.fixture
def run_kindred():
    """Run Kindred as a separate process, as a user would from a shell, and wait for it."""

    def run(*arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "tui", *arguments],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
            timeout=60,
        )

    return run


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
    import tui.store as store_module

    decoded: list[str] = []
    decode = store_module._decode

    def counting_decode(raw, **options):
        decoded.append(raw)
        return decode(raw, **options)

    monkeypatch.setattr(store_module, "_decode", counting_decode)
    return decoded
