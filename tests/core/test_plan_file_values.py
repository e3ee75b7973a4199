"""Valid JSON written straight into the plan file (by hand, by another program, by a bug)
that Kindred's own import would refuse: it is found when the file is read, said in words by
the app, the doctor and export, and never stops Kindred with a traceback. What can be read of
it can still be looked at, read-only."""

import json
import os
import re
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from examples import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.cli import main
from tui.core.calendar_export import plan_calendar
from tui.core.dates import typed_form
from tui.core.history import HISTORY_TABLE, history_of, newest_first, shown_time
from tui.core.interchange import plan_json
from tui.core.markdown_export import plan_markdown
from tui.core.plan import PARTS, Plan, ValidationError, readiness
from tui.core.session import FieldKey, PlanSession
from tui.core.store import Store, StoreError, UnreadableFile
from tui.core.timing import history_line, statement_history

GOOD_ATTEMPT = {
    "id": "t1",
    "person_id": "anna",
    "started_at": "2025-03-01T18:30:00+00:00",
    "seconds": 95.5,
}
GOOD_RUN = {
    "id": "r1",
    "started_at": "2025-03-02T18:30:00+00:00",
    "total_seconds": 200,
    "splits": [{"person_id": "anna", "seconds": 95.5}],
}
ANNA = {"id": "anna", "name": "Anna", "order": 1, "target_seconds": 120}


def plan_text(people=(ANNA,), attempts=(GOOD_ATTEMPT,), runs=(GOOD_RUN,), **more) -> str:
    def numbered(rows):
        return {str(number): row for number, row in enumerate(rows, start=1)}

    tables = {
        "meta": {"1": {"schema": 1}},
        "people": numbered(people),
        "attempts": numbered(attempts),
        "runs": numbered(runs),
    }
    tables.update({name: numbered(rows) for name, rows in more.items()})
    return json.dumps(tables)


def with_raw(text: str, value: str) -> str:
    """The file's text with the marker string replaced by a raw JSON number."""
    return text.replace('"RAW"', value)


UNUSABLE = {
    "seconds of 1e999": (
        with_raw(plan_text(attempts=[{**GOOD_ATTEMPT, "seconds": "RAW"}]), "1e999"),
        '"attempts", document "1", "seconds"',
    ),
    "seconds with 5,000 digits": (
        with_raw(plan_text(attempts=[{**GOOD_ATTEMPT, "seconds": "RAW"}]), "9" * 5_000 + ".5"),
        '"attempts", document "1", "seconds"',
    ),
    "a year-1 date at +14:00": (
        plan_text(attempts=[{**GOOD_ATTEMPT, "started_at": "0001-01-01T00:00:00+14:00"}]),
        '"attempts", document "1", "started_at"',
    ),
    "a run's split of 1e999": (
        with_raw(
            plan_text(runs=[{**GOOD_RUN, "splits": [{"person_id": "anna", "seconds": "RAW"}]}]),
            "1e999",
        ),
        '"runs", document "1", "splits"',
    ),
    "a run in year 9999 at -14:00": (
        plan_text(runs=[{**GOOD_RUN, "started_at": "9999-12-31T23:59:59-14:00"}]),
        '"runs", document "1", "started_at"',
    ),
    "a target of 1e999 seconds": (
        with_raw(plan_text(people=[{**ANNA, "target_seconds": "RAW"}]), "1e999"),
        '"people", document "1", "target_seconds"',
    ),
    "a role Kindred does not know": (
        plan_text(people=[{**ANNA, "role": "king"}]),
        '"people", document "1", "role"',
    ),
    "an id import refuses": (
        plan_text(people=[{**ANNA, "id": "an na"}], attempts=[], runs=[]),
        '"people", document "1", "id"',
    ),
    "two people with one id": (
        plan_text(people=[ANNA, {**ANNA, "name": "Ann"}], attempts=[], runs=[]),
        '"people", document "2", "id"',
    ),
    "a place of -1": (
        plan_text(people=[{**ANNA, "order": -1}]),
        '"people", document "1", "order"',
    ),
    "a yes-or-no of 1": (
        plan_text(meeting=[{"id": "meeting", "private": 1}]),
        '"meeting", document "1", "private"',
    ),
}


@pytest.fixture
def plan(tmp_path) -> Path:
    folder = tmp_path / "private"
    folder.mkdir(mode=0o700)
    return folder / "kindred.json"


@pytest.mark.parametrize(("text", "place"), UNUSABLE.values(), ids=UNUSABLE.keys())
def test_a_value_import_would_refuse_makes_the_file_unusable_and_is_named(plan, text, place):
    plan.write_text(text)
    plan.chmod(0o600)
    with pytest.raises(UnreadableFile) as caught:
        Store(plan)
    message = caught.value.message
    assert message.startswith(f"The plan file {plan} holds a value Kindred cannot use ({place}")
    assert "Kindred has not changed it." in message
    assert plan.read_text() == text


@pytest.mark.parametrize(("text", "place"), UNUSABLE.values(), ids=UNUSABLE.keys())
def test_the_doctor_and_export_name_it_too(plan, text, place, capsys):
    plan.write_text(text)
    plan.chmod(0o600)
    capsys.readouterr()
    assert main(["doctor", "--data", str(plan)]) == 1
    out = capsys.readouterr().out
    assert f"it holds a value Kindred cannot use ({place}" in out
    assert "No problems found" not in out
    for fmt in ("md", "json"):
        assert main(["export", "--format", fmt, "--data", str(plan)]) == 1
        out, err = capsys.readouterr()
        assert out == ""
        assert err.startswith(f"kindred: The plan file {plan} holds a value Kindred cannot use")
    assert plan.read_text() == text


@pytest.mark.parametrize(("text", "place"), UNUSABLE.values(), ids=UNUSABLE.keys())
def test_what_can_be_read_can_be_looked_at_read_only(plan, text, place):
    plan.write_text(text)
    session = PlanSession(Store(plan, read_only=True))
    look_at_everything(session)
    with pytest.raises(StoreError):
        session.set_field(FieldKey("plan", "plan", "title"), "Spring plan")
    assert plan.read_text() == text


def look_at_everything(session: PlanSession) -> None:
    """What the screens show of a plan."""
    plan = session.plan
    readiness(plan, date(2026, 12, 1))
    for person in plan.people:
        plan.rehearsals_of(person["id"])
    tables = session.store.read()
    plan_markdown(tables)
    json.loads(plan_json(tables))


# Any JSON value at all, and files shaped like a plan holding any values, some of them
# numbers JSON can write but Python reads as infinity or with thousands of digits.
RAW_NUMBERS = ["1e999", "-1e999", "9" * 400 + ".5", "1e-999", "9" * 4_000]
MOMENTS = st.sampled_from(
    [
        "2025-03-01T18:30:00+00:00",
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-14:00",
        "2025-03-01T18:30:00",
        "not a time",
        "",
    ]
)
RAW = st.sampled_from([f"RAW{n}" for n in range(len(RAW_NUMBERS))])
ANY_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | MOMENTS
    | RAW,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
IDS = st.sampled_from(["anna", "ben", "an na", ""]) | ANY_VALUE
SECONDS = RAW | st.floats(0, 1e6) | st.integers(-5, 10**7) | ANY_VALUE
LIKELY = {
    "id": IDS,
    "person_id": IDS,
    "started_at": MOMENTS | ANY_VALUE,
    "seconds": SECONDS,
    "total_seconds": SECONDS,
    "splits": st.lists(st.fixed_dictionaries({"person_id": IDS, "seconds": SECONDS}), max_size=2)
    | ANY_VALUE,
    **{spec.name: SECONDS | ANY_VALUE for part in PARTS for spec in part.fields},
}
# Documents with the fields of the plan's records, holding likely and unlikely values.
DOCUMENTS = st.fixed_dictionaries({}, optional=LIKELY)
NUMBERED = st.dictionaries(st.integers(1, 3).map(str), DOCUMENTS, max_size=3)
TABLES = st.fixed_dictionaries(
    {},
    optional={
        "meta": st.just({"1": {"schema": 1}}) | NUMBERED,
        **{
            name: NUMBERED
            for name in [*(part.table for part in PARTS), "attempts", "runs", "notes"]
        },
    },
)


def file_text(value: object) -> str:
    text = json.dumps(value)
    for number, raw in enumerate(RAW_NUMBERS):
        text = text.replace(f'"RAW{number}"', raw)
    return text


@settings(
    max_examples=examples(400),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(value=ANY_VALUE | TABLES)
def test_no_json_value_read_as_a_plan_file_stops_kindred(tmp_path, value, capsys):
    plan = Path(tempfile.mkdtemp(dir=tmp_path)) / "kindred.json"
    plan.write_text(file_text(value))
    plan.chmod(0o600)
    for read_only in (False, True):
        try:
            session = PlanSession(Store(plan, read_only=read_only))
        except UnreadableFile as problem:
            assert problem.message and not read_only
            continue
        look_at_everything(session)
        first_edits = [
            FieldKey("plan", "plan", "title"),
            *(FieldKey("people", person["id"], "name") for person in session.plan.people[:1]),
        ]
        for key in first_edits:
            try:
                session.set_field(key, "Ann")
            except (StoreError, ValidationError) as refusal:
                assert read_only, refusal
    for command in (["doctor"], ["export"], ["export", "--format", "json"]):
        assert main([*command, "--data", str(plan)]) in (0, 1)
    assert not re.search("Traceback", "".join(capsys.readouterr()))


# Moments at the very ends of the calendar (years 1 and 9999, at offsets up to 14 hours):
# every view and export shows them in any local time zone, or leaves them out.
ENDS = [
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00+00:00",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59+00:00",
    "0001-01-01",
    "9999-12-31",
]
ZONES = ["UTC", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago"]


@pytest.fixture(params=ZONES)
def zone(request):
    before = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def plan_with_a_moment(place: str, moment: str) -> str:
    """A plan file with one moment in one place: the meeting, a rehearsal date, an
    attempt's start or the history."""
    tables = json.loads(plan_text(runs=[], meeting=[{"id": "meeting", "when": ""}]))
    where = {
        "meeting": ("meeting", "when"),
        "rehearsal date": ("rehearsal_dates", "when"),
        "attempt": ("attempts", "started_at"),
        "history": (HISTORY_TABLE, "at"),
    }
    table, field = where[place]
    if table == "rehearsal_dates":
        tables[table] = {"1": {"id": "r1", "when": "", "place": "Ben's"}}
    if table == HISTORY_TABLE:
        change = {"who": "ben", "kind": "edit", "table": "plan", "record_id": "plan"}
        tables[table] = {"1": {**change, "field": "title", "before": "", "after": "Plan"}}
    tables[table]["1"][field] = moment
    return json.dumps(tables)


# Where any text is kept (a date typed in words before dates were real dates), and which
# moments an attempt may start at (those that can be turned into UTC).
KEPT_AS_TEXT = {"meeting", "rehearsal date"}
USABLE_STARTS = {"0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+00:00"}


@pytest.mark.parametrize("place", ["meeting", "rehearsal date", "attempt", "history"])
@pytest.mark.parametrize("moment", ENDS)
def test_a_moment_at_the_end_of_the_calendar_is_shown_or_left_out(
    tmp_path, zone, place, moment, capsys
):
    plan = tmp_path / "kindred.json"
    plan.write_text(plan_with_a_moment(place, moment))
    plan.chmod(0o600)
    try:
        session = PlanSession(Store(plan))
    except UnreadableFile as problem:
        assert place == "attempt" and moment not in USABLE_STARTS, problem.message
        return
    assert place in KEPT_AS_TEXT or moment in USABLE_STARTS or place == "history"
    look_at_everything(session)
    tables = session.store.read()
    plan_calendar(tables, datetime.now(UTC))
    assert typed_form(moment).startswith(moment[: len("0001-01-01")])
    for change in newest_first(history_of(tables)):
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", shown_time(change))
    for entry in statement_history(Plan.from_tables(tables), "anna"):
        assert history_line(entry, 120)
    for command in (
        ["doctor"],
        *(["export", "--format", kind] for kind in ("md", "json", "html", "ics")),
    ):
        assert main([*command, "--data", str(plan)]) == 0, command
    assert "Traceback" not in "".join(capsys.readouterr())
