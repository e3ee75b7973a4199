"""The meeting's date and time: what a person may type, how it is stored, what is refused,
and that dates written as words in older plans are kept."""

import os
import time
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.dates import days_until, moment_of, parse_day, parse_moment, spelled_out, typed_form
from tui.core.interchange import plan_document, tables_from_document
from tui.core.plan import MEETING, TASKS, Plan, ValidationError, clean_value, field_of, readiness
from tui.core.session import FieldKey, PlanSession
from tui.core.store import Store

WHEN = field_of(MEETING, "when")
MEETING_WHEN = FieldKey("meeting", "meeting", "when")
TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def london():
    """The local time zone is London's: GMT in winter, an hour ahead in summer."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/London"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2026-12-20 18:30", "2026-12-20T18:30:00+00:00"),
        ("  2026-12-20   18:30 ", "2026-12-20T18:30:00+00:00"),
        ("2026-12-20T18:30", "2026-12-20T18:30:00+00:00"),
        ("2026-12-20 6:30pm", "2026-12-20T18:30:00+00:00"),
        ("2026-12-20 6:30 PM", "2026-12-20T18:30:00+00:00"),
        ("2026-12-20 6pm", "2026-12-20T18:00:00+00:00"),
        ("2026-12-20 12am", "2026-12-20T00:00:00+00:00"),
        ("2026-12-20 12pm", "2026-12-20T12:00:00+00:00"),
        ("2026-12-20 at 9:05", "2026-12-20T09:05:00+00:00"),
        ("2026-12-20, 18.30", "2026-12-20T18:30:00+00:00"),
        ("2026-6-5 9:00", "2026-06-05T09:00:00+01:00"),  # summer time
        ("2026-12-20", "2026-12-20"),
        ("2026-12-20T18:30:00-05:00", "2026-12-20T18:30:00-05:00"),  # an offset is kept
        ("2026-12-20T18:30:00Z", "2026-12-20T18:30:00+00:00"),
        ("", ""),
    ],
)
def test_what_a_person_types_and_how_it_is_stored(typed, stored):
    assert clean_value(WHEN, typed) == stored


def test_the_offset_is_the_one_on_the_meeting_day_not_today():
    assert parse_moment("2026-07-01 10:00").endswith("+01:00")
    assert parse_moment("2026-11-01 10:00").endswith("+00:00")


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("Saturday 12 December, 10am", "write the year, month and day"),
        ("20/12/2026 18:30", "like 2026-12-20 18:30"),
        ("2026-02-30", "February 2026 has no day 30"),
        ("2026-13-01", "the month must be from 1 to 12"),
        ("2026-12-20 25:00", "between 00:00 and 23:59"),
        ("2026-12-20 18:75", "between 00:00 and 23:59"),
        ("2026-12-20 13pm", "the hour must be from 1 to 12"),
        ("2026-12-20 18", "with its minutes"),
        ("0001-01-01", "the year must be between 1900 and 2999"),
        ("2026-12-20 18:30 +25:00", "not a time zone offset"),
    ],
)
def test_a_date_that_cannot_be_read_is_refused_in_plain_words(typed, says):
    with pytest.raises(ValidationError, match="Date and time") as refusal:
        clean_value(WHEN, typed)
    assert says in str(refusal.value)


def test_a_due_date_is_a_day():
    due = field_of(TASKS, "due")
    assert clean_value(due, " 2026-12-10 ") == "2026-12-10"
    assert clean_value(due, "") == ""
    with pytest.raises(ValidationError, match="Due by: '2026-12-10 18:00' is not a date"):
        clean_value(due, "2026-12-10 18:00")
    assert parse_day("2026-1-2") == "2026-01-02"


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2999, 12, 31)))
def test_what_the_form_shows_reads_back_as_the_same_stored_value(moment):
    stored = parse_moment(moment.strftime("%Y-%m-%d %H:%M"))
    assert parse_moment(typed_form(stored)) == stored


def test_the_form_shows_an_offset_only_when_it_is_not_the_local_one():
    assert typed_form("2026-12-20T18:30:00+00:00") == "2026-12-20 18:30"
    assert typed_form("2026-06-20T18:30:00+01:00") == "2026-06-20 18:30"
    assert typed_form("2026-12-20T18:30:00-05:00") == "2026-12-20 18:30 -05:00"
    assert typed_form("2026-12-20") == "2026-12-20"
    assert typed_form("Saturday 10am") == "Saturday 10am"


def test_a_date_in_words_for_printing():
    assert spelled_out("2026-12-20T18:30:00+00:00") == "Sunday 20 December 2026, 18:30"
    assert spelled_out("2026-12-20") == "Sunday 20 December 2026"
    assert spelled_out("next Saturday") == "next Saturday"


def test_days_until_counts_the_meeting_day_in_its_own_time_zone():
    assert days_until("2026-12-20T18:30:00+00:00", TODAY) == 19
    assert days_until("2026-12-01", TODAY) == 0
    assert days_until("2026-11-30T23:30:00-05:00", TODAY) == -1
    assert days_until("Saturday 10am", TODAY) is None
    assert days_until("", TODAY) is None


# Plans from before dates were real dates


OLD_WHEN = "Saturday 12 December, 10am"


def test_an_old_date_in_words_is_kept_and_shown_as_written():
    plan = Plan.from_tables({"meeting": [{"id": "meeting", "when": OLD_WHEN}]})
    assert plan.records["meeting"]["when"] == OLD_WHEN
    assert moment_of(OLD_WHEN) is None


@pytest.mark.parametrize(
    ("when", "detail"),
    [
        ("", "Choose the day and the time"),
        (OLD_WHEN, "It is written in words, not yet as a date"),
        ("2026-12-20", "Add the time of day too"),
        ("2026-12-20T18:30:00+00:00", ""),
    ],
)
def test_readiness_says_when_the_date_is_not_a_real_date_yet(when, detail):
    plan = Plan.from_tables({"meeting": [{"id": "meeting", "when": when}]})
    item = next(i for i in readiness(plan, TODAY) if i.label == "The meeting has a date and a time")
    assert item.done is (detail == "")
    assert item.detail.startswith(detail)


def test_an_old_export_with_a_date_in_words_imports_and_exports_unchanged(sample_document):
    sample_document["plan"]["meeting"]["when"] = OLD_WHEN
    tables = tables_from_document(sample_document)
    assert tables["meeting"][0]["when"] == OLD_WHEN
    assert plan_document(tables)["plan"]["meeting"]["when"] == OLD_WHEN


def test_a_typed_date_in_an_imported_file_is_stored_as_a_real_date(sample_document):
    sample_document["plan"]["meeting"]["when"] = "2026-12-20 18:30"
    tables = tables_from_document(sample_document)
    assert tables["meeting"][0]["when"] == "2026-12-20T18:30:00+00:00"


def test_a_refused_date_keeps_the_last_good_one_and_an_old_one_is_kept_until_changed(tmp_path):
    path = tmp_path / "plan.json"
    Store(path).upsert("meeting", "meeting", {"when": OLD_WHEN, "place": "Mum's"})
    session = PlanSession(Store(path))
    session.set_field(FieldKey("meeting", "meeting", "place"), "Aunt May's")
    assert Store(path).read()["meeting"][0]["when"] == OLD_WHEN  # nothing lost

    with pytest.raises(ValidationError):
        session.set_field(MEETING_WHEN, "next Saturday")
    assert Store(path).read()["meeting"][0]["when"] == OLD_WHEN

    session.set_field(MEETING_WHEN, "2026-12-20 18:30")
    with pytest.raises(ValidationError):
        session.set_field(MEETING_WHEN, "2026-12-32 18:30")
    assert Store(path).read()["meeting"][0]["when"] == "2026-12-20T18:30:00+00:00"
    assert session.plan.records["meeting"]["when"] == "2026-12-20T18:30:00+00:00"
