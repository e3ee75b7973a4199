"""The tasks, the checklist and the dates through the JSON format, the printable page for the
day (`kindred export --format html`) and the calendar file (`--format ics`)."""

import json
import os
import stat
import subprocess
import sys
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from country_files import write_countries
from hostile import CORPUS
from icalendar import Calendar

from tui.cli import main as kindred
from tui.core.calendar_export import plan_calendar
from tui.core.countries import load_countries
from tui.core.html_export import plan_html, safe_renderer
from tui.core.interchange import plan_document, plan_json, tables_from_document
from tui.core.plan import ValidationError

PROJECT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def day_document(sample_document) -> dict:
    """The sample plan with a real date, an approach, tasks, a checklist and a rehearsal."""
    plan = sample_document["plan"]
    plan["meeting"].update(
        approach="surprise meeting", when="2026-12-20T18:30:00+01:00", who_brings="Bob"
    )
    plan["tasks"] = [
        {
            "id": "book",
            "title": "Book the intake",
            "owner": "anna",
            "due": "2026-12-10",
            "done": False,
            "guide_link": "preparation-steps#arrange-treatment-in-advance",
        },
        {
            "id": "bag",
            "title": "Pack the bag",
            "owner": "",
            "due": "2026-12-19",
            "done": True,
            "guide_link": "",
        },
        {
            "id": "write",
            "title": "Write the statements",
            "owner": "bob",
            "due": "",
            "done": False,
            "guide_link": "three-messages",
        },
    ]
    plan["checklist"] = [
        {"id": "id-card", "item": "ID and insurance card", "owner": "anna", "done": False},
        {"id": "phones", "item": "Charged phones", "owner": "", "done": True},
    ]
    plan["rehearsal_dates"] = [
        {"id": "r1", "when": "2026-12-18T19:00:00+00:00", "place": "Anna's flat"},
        {"id": "r2", "when": "2026-12-19", "place": ""},
    ]
    return sample_document


# The JSON format


def test_tasks_checklist_and_dates_survive_export_and_import(day_document):
    exported = plan_document(tables_from_document(day_document))["plan"]
    for part in ("tasks", "checklist", "rehearsal_dates"):
        assert exported[part] == day_document["plan"][part]
    assert exported["meeting"]["approach"] == "surprise meeting"
    assert exported["meeting"]["when"] == "2026-12-20T18:30:00+01:00"
    once = plan_json(tables_from_document(day_document))
    assert plan_json(tables_from_document(json.loads(once))) == once


def test_an_old_export_without_them_imports_with_none(sample_document):
    plan = plan_document(tables_from_document(sample_document))["plan"]
    assert plan["tasks"] == plan["checklist"] == plan["rehearsal_dates"] == []
    assert plan["meeting"]["approach"] == "not chosen yet"


@pytest.mark.parametrize(
    ("part", "record", "says"),
    [
        ("tasks", {"title": "x", "owner": "nobody-here"}, "plan.tasks[0].owner: Must be the id"),
        ("checklist", {"item": "x", "owner": "zed"}, "plan.checklist[0].owner: Must be the id"),
        ("tasks", {"title": "x", "due": "soon"}, "plan.tasks[0].due: Due by: 'soon' is not"),
        ("tasks", {"title": "x", "guide_link": "http://x"}, "plan.tasks[0].guide_link:"),
        ("rehearsal_dates", {"when": 7}, "plan.rehearsal_dates[0].when: Date and time must be"),
    ],
)
def test_an_import_refuses_what_the_plan_could_not_hold(sample_document, part, record, says):
    sample_document["plan"][part] = [record]
    with pytest.raises(ValidationError) as refusal:
        tables_from_document(sample_document)
    assert str(refusal.value).startswith(says)


# The printable page


class Page(HTMLParser):
    """Every element with its attributes, the text shown, and the style sheets."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        (self.styles if self._in_style else self.text).append(data)

    def tags(self) -> set[str]:
        return {tag for tag, _ in self.elements}

    def sections(self) -> list[str]:
        return [attrs.get("class", "") for tag, attrs in self.elements if tag == "section"]


HOSTILE_NAMES = [
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "![photo](https://evil.example/x.png)",
    "<https://evil.example/track>",
    "javascript:alert(document.cookie)",
    '<a href="//evil.example">click</a>',
    "<link rel=stylesheet href=https://evil.example/s.css>",
    "<style>@import url(https://evil.example/s.css)</style>",
    "<iframe src=https://evil.example></iframe>",
    "[ref]\n\n[ref]: https://evil.example",
    "&lt;script&gt; &#106;avascript:",
]


def hostile_plan(text: str) -> dict:
    person = {
        "name": text,
        "relationship": text,
        "statement": text,
        "bottom_line": text,
        "read_by": text,
        "attending": False,
    }
    return {
        "plan": [{"id": "plan", "title": text}],
        "people": [{"id": "p1", "order": 1, **person}, {"id": "p2", "order": 2, **person}],
        "specialist": [{"id": "specialist", "name": text, "contact": text}],
        "meeting": [{"id": "meeting", "when": text, "place": text, "who_brings": text}],
        "treatments": [{"id": "t", "name": text, "contact": text, "intake_booked": True}],
        "checklist": [{"id": "c", "item": text, "owner": "p1"}],
        "safety": [{"id": "safety", "naloxone_holder": text}],
    }


@pytest.mark.parametrize("text", HOSTILE_NAMES + [entry.text for entry in CORPUS])
def test_hostile_text_prints_as_typed_and_runs_nothing(text):
    page = Page(plan_html(hostile_plan(text)))
    assert not page.tags() & {"script", "iframe", "img", "link", "object", "embed", "a"}
    for tag, attrs in page.elements:
        assert set(attrs) <= {"class", "lang", "charset"}, (tag, attrs)
    assert page.tags() >= {"html", "head", "style", "body", "section"}
    assert len([tag for tag, _ in page.elements if tag == "style"]) == 1
    style = "".join(page.styles)
    assert "url(" not in style and "@import" not in style and "//" not in style
    if text in HOSTILE_NAMES and "\n" not in text:
        assert text in "".join(page.text)  # printed exactly as typed, brackets and all


def test_the_page_is_a_run_sheet_then_a_card_for_each_speaker_then_the_bottom_lines(
    day_document,
):
    text = plan_html(tables_from_document(day_document))
    page = Page(text)
    assert page.sections() == ["run-sheet", "card", "card", "bottom-lines"]
    assert "<ol>\n<li>Bob (friend)" in text  # the speaking order, numbered
    shown = "".join(page.text)
    for expected in (
        "Run sheet: Spring plan",
        "When: Sunday 20 December 2026, 18:30 +01:00",
        "Where: Mum's house",
        "Approach: surprise meeting",
        "Who brings your loved one: Bob",
        "The specialist: Dr Rivera, 555-0100",
        "Treatment booked: Hope House (residential)",
        "Bob (friend), 1:30, read by Anna\nAnna (sister), 2:00",
        "☐ ID and insurance card — Anna",
        "☑ Charged phones — nobody yet",
        "Speaks 2 of 2 · target 2:00",
        "Read these only if your loved one refuses treatment.",
        "I will stop paying your rent.",
    ):
        assert expected in shown, expected
    # Cards and the bottom lines each start a page; the page fits A4 and US Letter.
    assert ".card, .bottom-lines { break-before: page; }" in text
    assert "@page { margin: 14mm 12mm; }" in text  # no paper size: the printer's own
    card_text = text.split('<section class="card">')[1]
    assert card_text.index("Bob") < card_text.index("You were always there for me.")


@pytest.mark.parametrize(
    ("country", "emergency"),
    [
        ("GB", "Emergency number: 999 or 112"),
        ("other", "Emergency number: your local emergency number"),
        (
            "",
            "Emergency number: your local emergency number (911 in the United States and "
            "Canada, 999 or 112 in the United Kingdom",
        ),
    ],
)
def test_the_run_sheet_gives_the_countrys_emergency_number(
    day_document, tmp_path, country, emergency
):
    countries = load_countries(write_countries(tmp_path / "guide").parent)
    day_document["plan"]["country"] = country
    shown = "".join(Page(plan_html(tables_from_document(day_document), countries)).text)
    assert emergency in shown
    assert "If anyone overdoses: call the emergency number, give naloxone" in shown


def test_without_countries_the_run_sheet_says_to_call_the_local_emergency_number(day_document):
    day_document["plan"]["country"] = "GB"
    shown = "".join(Page(plan_html(tables_from_document(day_document))).text)
    assert "Emergency number: your local emergency number" in shown


@pytest.mark.parametrize(
    ("safety", "holder"),
    [
        ({}, "Who holds the naloxone: nobody named yet"),
        (
            {"naloxone_in_room": True, "naloxone_holder": "  Anna "},
            "Who holds the naloxone: Anna\n",
        ),
        (
            {"naloxone_holder": "Anna"},
            "Who holds the naloxone: Anna (not yet ticked as in the room)",
        ),
    ],
)
def test_the_run_sheet_says_who_holds_the_naloxone(day_document, safety, holder):
    day_document["plan"]["safety"] = safety
    shown = "".join(Page(plan_html(tables_from_document(day_document))).text)
    assert holder in shown


def test_the_renderer_itself_drops_raw_html_links_and_images_even_unescaped():
    rendered = safe_renderer().render(
        "<script>alert(1)</script>\n\n[a](javascript:alert(1)) ![i](https://evil.example/i.png) "
        "<https://evil.example> [r]\n\n[r]: https://evil.example\n\n<b onclick=x>b</b>"
    )
    page = Page(rendered)
    assert page.tags() <= {"p"}
    assert "&lt;script&gt;" in rendered


def test_a_statement_keeps_its_line_breaks_and_paragraphs():
    tables = hostile_plan("x")
    tables["people"][0]["statement"] = "Sam,\nI love you.\n\n- not a list\n1. not a number"
    text = plan_html(tables)
    assert "<p>Sam,<br />\nI love you.</p>" in text
    assert "<p>- not a list<br />\n1. not a number</p>" in text


# The calendar file


def events_of(calendar_bytes: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(calendar_bytes)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_calendar_has_the_meeting_the_rehearsals_and_the_tasks_with_due_dates(
    day_document,
):
    raw = plan_calendar(tables_from_document(day_document), NOW)
    calendar = Calendar.from_ical(raw)
    assert str(calendar["VERSION"]) == "2.0" and "Kindred" in str(calendar["PRODID"])
    events = events_of(raw)
    assert set(events) == {
        "meeting@kindred.invalid",
        "rehearsal-r1@kindred.invalid",
        "rehearsal-r2@kindred.invalid",
        "task-book@kindred.invalid",
        "task-bag@kindred.invalid",
    }

    meeting = events["meeting@kindred.invalid"]
    assert str(meeting["SUMMARY"]) == "Spring plan: the meeting"
    assert meeting.decoded("DTSTART") == datetime(2026, 12, 20, 17, 30, tzinfo=UTC)
    assert meeting.decoded("DTEND") == datetime(2026, 12, 20, 18, 30, tzinfo=UTC)
    assert str(meeting["LOCATION"]) == "Mum's house"
    assert meeting.decoded("DTSTAMP") == NOW

    rehearsal = events["rehearsal-r1@kindred.invalid"]
    assert rehearsal.decoded("DTSTART") == datetime(2026, 12, 18, 19, 0, tzinfo=UTC)
    all_day = events["rehearsal-r2@kindred.invalid"]
    assert all_day.decoded("DTSTART") == date(2026, 12, 19)
    assert all_day.decoded("DTEND") == date(2026, 12, 20)

    book = events["task-book@kindred.invalid"]
    assert str(book["SUMMARY"]) == "Book the intake"
    assert book.decoded("DTSTART") == date(2026, 12, 10)
    assert str(book["DESCRIPTION"]) == "Who sees to it: Anna."
    bag = events["task-bag@kindred.invalid"]
    assert str(bag["SUMMARY"]) == "Pack the bag (done)"
    assert str(bag["DESCRIPTION"]) == "Who sees to it: nobody yet."


def test_a_meeting_without_a_real_date_is_left_out_and_text_is_escaped(sample_document):
    sample_document["plan"]["title"] = "Plan; with, commas\\ and <b>"
    sample_document["plan"]["tasks"] = [{"title": "Call Mum; then Dad, at 6", "due": "2026-12-02"}]
    raw = plan_calendar(tables_from_document(sample_document), NOW)
    events = list(events_of(raw).values())
    assert [str(event["SUMMARY"]) for event in events] == ["Call Mum; then Dad, at 6"]
    assert str(Calendar.from_ical(raw)["X-WR-CALNAME"]) == "Plan; with, commas\\ and <b>"


def test_the_events_keep_their_ids_from_one_export_to_the_next(day_document):
    tables = tables_from_document(day_document)
    first = events_of(plan_calendar(tables, NOW))
    later = events_of(plan_calendar(tables, datetime(2026, 12, 5, tzinfo=UTC)))
    assert set(first) == set(later)


# The command line


@pytest.mark.parametrize(
    ("fmt", "starts"), [("html", b"<!DOCTYPE html>"), ("ics", b"BEGIN:VCALENDAR")]
)
def test_export_writes_a_private_page_or_calendar(saved_plan, tmp_path, fmt, starts, capsys):
    output = tmp_path / f"day.{fmt}"
    assert kindred(["export", "--format", fmt, "-o", str(output), "--data", str(saved_plan)]) == 0
    assert output.read_bytes().startswith(starts)
    assert stat.S_IMODE(os.stat(output).st_mode) == 0o600
    assert kindred(["export", "--format", fmt, "--data", str(saved_plan)]) == 0
    assert capsys.readouterr().out.encode().startswith(starts)


def test_the_exported_page_gives_the_shipped_emergency_number(
    sample_document, data, tmp_path, capsys
):
    sample_document["plan"]["country"] = "GB"
    sample_document["plan"]["safety"] = {"naloxone_in_room": True, "naloxone_holder": "Bob"}
    document = tmp_path / "plan.json"
    document.write_text(json.dumps(sample_document), encoding="utf-8")
    assert kindred(["import", str(document), "--data", str(data)]) == 0
    assert kindred(["export", "--format", "html", "--data", str(data)]) == 0
    shown = "".join(Page(capsys.readouterr().out).text)
    assert "Emergency number: 999" in shown
    assert "Who holds the naloxone: Bob" in shown


def test_a_json_export_loads_neither_the_calendar_library_nor_the_page_renderer(saved_plan):
    code = (
        "import sys; from tui.cli import main; "
        f"main(['export', '--format', 'json', '--data', {str(saved_plan)!r}]); "
        "print([m for m in ('icalendar', 'markdown_it', 'tui.core.html_export') "
        "if m in sys.modules], file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout)["format"] == "kindred-plan"
    assert result.stderr.strip().splitlines()[-1] == "[]"
