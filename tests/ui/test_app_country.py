"""The plan's country, as a family member meets it: the guide's numbers, the question at the
first start, the choice on the Overview, and safety at the meeting."""

import json
import re
from datetime import datetime

import pytest
from country_files import COUNTRIES, LOCALES, write_guide

from tui.core import plan_file
from tui.core.countries import load_countries
from tui.core.guide import default_content_dir
from tui.core.store import Store
from tui.ui.screens.country import CountryScreen
from tui.ui.widgets.plan_pane import OVERVIEW
from tui.ui.widgets.record_form import RecordForm

FOREIGN_NUMBERS = ["911", "999", "112", "000", "988", "116 123", "13 11 14"]


@pytest.fixture
def guide_dir(tmp_path):
    return write_guide(tmp_path / "guide")


@pytest.fixture
def data(tmp_path):
    return tmp_path / "plan" / "kindred.json"


def saved_plan_record(data) -> dict:
    return next(iter(json.loads(data.read_text())["plan"].values()))


def reader_lines(app) -> list[str]:
    return str(app.main_screen.guide_pane.reader.text.render()).split("\n")


def first_line(app) -> str:
    """The section's first paragraph as the reader shows it, below the title and its rule."""
    lines = reader_lines(app)
    start = next(i for i, line in enumerate(lines) if line.startswith("━")) + 1
    while not lines[start].strip():
        start += 1
    paragraph = []
    for line in lines[start:]:
        if not line.strip():
            break
        paragraph.append(line.strip())
    return " ".join(paragraph)


def shows_number(text: str, number: str) -> bool:
    return re.search(rf"(?<![\d,]){re.escape(number)}(?![\d,])", text) is not None


async def started(pilot) -> None:
    await pilot.app.main_screen.work_panes_ready.wait()
    await pilot.pause()


async def press_f5(pilot) -> None:
    await pilot.press("f5")
    await pilot.pause()
    assert pilot.app.main_screen.guide_pane.current.id == "staying-safe"
    assert pilot.app.main_screen.guide_pane.reader.scroll_y == 0


# --- F5 in each country -------------------------------------------------------------------------


@pytest.mark.parametrize("code", list(COUNTRIES))
async def test_f5_starts_with_the_countrys_emergency_number(
    make_app, guide_dir, data, monkeypatch, code
):
    monkeypatch.setenv("LANG", LOCALES[code])
    app = make_app(content=guide_dir, data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert not isinstance(app.screen, CountryScreen)
        await press_f5(pilot)
        assert first_line(app) == f"Overdose: call {COUNTRIES[code][2]} now."
        await pilot.press("f3")
        assert COUNTRIES[code][0] in str(app.query_one("#field-country").render())


async def test_f5_for_another_country_shows_no_foreign_number(
    make_app, guide_dir, data, monkeypatch
):
    monkeypatch.setenv("LANG", LOCALES["other"])
    app = make_app(content=guide_dir, data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await press_f5(pilot)
        assert first_line(app) == "Overdose: call your local emergency number now."
        section = "\n".join(reader_lines(app))
        assert [number for number in FOREIGN_NUMBERS if shows_number(section, number)] == []
        assert "your local emergency number" in section


async def test_a_plans_country_wins_over_the_locale(make_app, guide_dir, data, monkeypatch):
    Store(data).insert("plan", {"id": "plan", "title": "Ours", "country": "AU"})
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    app = make_app(content=guide_dir, data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await press_f5(pilot)
        assert first_line(app) == "Overdose: call 000 now."
    assert saved_plan_record(data)["country"] == "AU"


SHIPPED = default_content_dir()


@pytest.mark.skipif(not (SHIPPED / "countries").is_dir(), reason="no shipped country files yet")
@pytest.mark.parametrize("code", list(LOCALES))
async def test_f5_in_the_shipped_guide(make_app, data, monkeypatch, code):
    monkeypatch.setenv("LANG", LOCALES[code])
    countries = load_countries(SHIPPED)
    app = make_app(content=SHIPPED, data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await press_f5(pilot)
        line = first_line(app)
        section = "\n".join(reader_lines(app))
    if code != "other":
        assert countries[code].text["emergency"] in line
        return
    assert "your local emergency number" in line
    foreign = {
        digits
        for country in countries.values()
        for number in country.numbers
        for digits in re.findall(r"(?<!\w)\d[\d -]*\d(?!\w)", number.number)
    }
    assert [number for number in sorted(foreign) if shows_number(section, number)] == []


# --- the first start, where the locale names no country ---------------------------------------


@pytest.mark.parametrize("keys", [["k"], ["3"], ["down", "down", "enter"]])
async def test_the_first_start_asks_which_country(make_app, guide_dir, data, monkeypatch, keys):
    monkeypatch.setenv("LANG", "C.UTF-8")
    app = make_app(content=guide_dir, data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert isinstance(app.screen, CountryScreen)
        await pilot.press(*keys)
        await pilot.pause()
        assert not isinstance(app.screen, CountryScreen)
        await press_f5(pilot)
        assert first_line(app) == "Overdose: call 999 or 112 now."
    assert saved_plan_record(data)["country"] == "GB"


@pytest.mark.parametrize(
    ("key", "code"),
    [
        ("u", "US"),
        ("c", "CA"),
        ("i", "IE"),
        ("a", "AU"),
        ("o", "other"),
        ("1", "US"),
        ("6", "other"),
    ],
)
async def test_one_key_chooses_each_country(make_app, guide_dir, data, monkeypatch, key, code):
    monkeypatch.setenv("LANG", "POSIX")
    app = make_app(content=guide_dir, data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press(key)
        await pilot.pause()
        assert app.guide.country == code
    assert saved_plan_record(data)["country"] == code


@pytest.mark.parametrize("key", ["escape", "l"])
async def test_later_leaves_the_country_unset_and_the_guide_gives_every_number(
    make_app, guide_dir, data, monkeypatch, key
):
    monkeypatch.setenv("LANG", "C.UTF-8")
    app = make_app(content=guide_dir, data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press(key)
        await pilot.pause()
        assert not isinstance(app.screen, CountryScreen)
        await press_f5(pilot)
        assert first_line(app) == (
            "Overdose: call your local emergency number (911 in the United States and "
            "Canada, 999 or 112 in the United Kingdom, 112 or 999 in Ireland, 000 in "
            "Australia) now."
        )
        await pilot.press("f3")
        assert "Not chosen yet" in str(app.query_one("#field-country").render())
    assert not data.exists()  # nothing was chosen, so nothing was written


async def test_f5_during_the_question_shows_every_number(make_app, guide_dir, data, monkeypatch):
    monkeypatch.setenv("LC_ALL", "C")
    app = make_app(content=guide_dir, data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert isinstance(app.screen, CountryScreen)
        await press_f5(pilot)
        assert not isinstance(app.screen, CountryScreen)
        assert "999 or 112 in the United Kingdom" in first_line(app)


async def test_the_question_comes_back_at_the_next_start_until_answered(
    make_app, guide_dir, data, monkeypatch
):
    monkeypatch.setenv("LANG", "C.UTF-8")
    for answer, asked in (("escape", True), ("i", True), ("escape", False)):
        app = make_app(content=guide_dir, data_path=data)
        async with app.run_test(size=(80, 24)) as pilot:
            await started(pilot)
            assert isinstance(app.screen, CountryScreen) is asked
            if asked:
                await pilot.press(answer)
                await pilot.pause()
    assert saved_plan_record(data)["country"] == "IE"


async def test_a_plan_open_read_only_is_not_asked_about(make_app, guide_dir, data, monkeypatch):
    data.parent.mkdir(mode=0o700)
    data.write_bytes(b'{"people": {"1": {"name": "Anna"')  # damaged; its backup is not
    backup = plan_file.backup_path(data, datetime(2026, 12, 1, 18, 30))
    backup.write_text('{"meta": {"1": {"schema": 1}}, "people": {"1": {"id": "a", "name": "Ann"}}}')
    for path in (data, backup):
        path.chmod(0o600)
    before = data.read_bytes(), backup.read_bytes()
    monkeypatch.setenv("LANG", "C.UTF-8")
    app = make_app(content=guide_dir, data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("enter")  # Open read-only
        await pilot.pause()
        assert app.main_screen.plan_pane.session.read_only
        assert len(app.screen_stack) == 1  # no question: the answer could not be saved
        await press_f5(pilot)
        assert "999 or 112 in the United Kingdom" in first_line(app)
    assert (data.read_bytes(), backup.read_bytes()) == before


# --- an old plan file ---------------------------------------------------------------------------


@pytest.mark.parametrize("with_meta", [True, False], ids=["schema-1", "schema-0"])
async def test_an_old_plan_without_a_country_opens_and_takes_the_locales(
    make_app, guide_dir, data, monkeypatch, with_meta
):
    old = {
        "people": {"1": {"id": "anna", "name": "Anna", "order": 1}},
        "plan": {"1": {"id": "plan", "title": "Spring plan"}},
    }
    if with_meta:
        old = {"meta": {"1": {"schema": 1}}, **old}
    data.parent.mkdir(mode=0o700)
    data.write_text(json.dumps(old))
    data.chmod(0o600)
    before = data.read_bytes()
    monkeypatch.setenv("LANG", "en_IE.UTF-8")
    app = make_app(content=guide_dir, data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("f3")
        assert "Ireland" in str(app.query_one("#field-country").render())
        await press_f5(pilot)
        assert first_line(app) == "Overdose: call 112 or 999 now."
        assert data.read_bytes() == before  # opening a plan never writes
        await pilot.press("f3")
        app.query_one("#field-title").focus()
        await pilot.press("end", *" 2", "tab")
        await pilot.pause(0.2)
    saved = json.loads(data.read_text())
    assert saved_plan_record(data) == {"id": "plan", "title": "Spring plan 2", "country": "IE"}
    assert saved["people"]["1"]["name"] == "Anna"


# --- changing the country on the Overview -------------------------------------------------------


async def test_changing_the_country_on_the_overview_changes_the_guide_at_once(
    make_app, guide_dir, data, monkeypatch
):
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    app = make_app(content=guide_dir, data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await press_f5(pilot)
        assert first_line(app) == "Overdose: call 999 or 112 now."
        await pilot.press("f3")
        app.query_one("#field-country").focus()
        await pilot.press("right")  # United Kingdom -> Ireland
        await pilot.pause()
        assert "Ireland" in str(app.query_one("#field-country").render())
        assert saved_plan_record(data)["country"] == "IE"
        await pilot.press("f2")
        await pilot.pause()
        assert app.main_screen.guide_pane.current.id == "staying-safe"
        assert first_line(app) == "Overdose: call 112 or 999 now."
        await pilot.press("slash", *"116 123")
        await pilot.pause()
        assert [hit.section.id for hit in app.screen.hits] == ["staying-safe", "staying-safe"]


async def test_the_overview_offers_every_country_by_name(make_app, guide_dir, data, monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    app = make_app(content=guide_dir, data_path=data)
    names = []
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("f3")
        field = app.query_one("#field-country")
        field.focus()
        for _ in range(6):
            names.append(re.search(r"● (.+?)  ↑ ↓", str(field.render())).group(1))
            await pilot.press("right")
    assert names == [
        "United States",
        "Canada",
        "United Kingdom",
        "Ireland",
        "Australia",
        "Another country",
    ]


async def test_a_country_chosen_in_another_session_changes_the_guide(
    make_app, guide_dir, data, monkeypatch
):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    app = make_app(content=guide_dir, data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await press_f5(pilot)
        assert first_line(app) == "Overdose: call 911 now."
        Store(data).upsert("plan", "plan", {"country": "AU"})
        app.main_screen.plan_pane.check_outside_changes()
        await pilot.pause()
        assert first_line(app) == "Overdose: call 000 now."


# --- safety at the meeting ----------------------------------------------------------------------


async def test_filling_in_safety_at_the_meeting_counts_in_readiness(make_app, guide_dir, data):
    app = make_app(content=guide_dir, data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("f3")
        nav = app.main_screen.plan_pane.nav
        # Of nineteen, only "no task is overdue" holds for a new plan.
        assert "ready 1/23" in str(nav.get_option_at_index(0).prompt)
        nav.focus()
        nav.highlighted = next(
            index
            for index in range(nav.option_count)
            if nav.get_option_at_index(index).id == "safety"
        )
        await pilot.pause()
        form = app.main_screen.plan_pane.page
        assert isinstance(form, RecordForm) and form.heading == "Safety at the meeting"
        await pilot.press("enter", "space")  # naloxone will be in the room
        await pilot.press("tab", *"Anna", "tab", *"Ben", "tab", *"The chair stands up")
        await pilot.press("tab", *"Uncle Tom", "tab", "space", "tab", "space", "escape")
        await pilot.pause(0.2)
        assert "ready 7/23" in str(nav.get_option_at_index(0).prompt)
    saved = next(iter(json.loads(data.read_text())["safety"].values()))
    assert saved == {
        "id": "safety",
        "naloxone_in_room": True,
        "naloxone_holder": "Anna",
        "emergency_caller": "Ben",
        "stop_signal": "The chair stands up",
        "goes_with_them": "Uncle Tom",
        "children_elsewhere": True,
        "weapons_medicines_away": True,
    }


async def test_a_safety_item_opens_where_it_is_settled_then_the_guide_where_it_is_explained(
    make_app, guide_dir, data
):
    app = make_app(content=guide_dir, data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("f3")

        async def choose_the_naloxone_item() -> str:
            readiness = app.query_one("#readiness")
            labels = [str(option.prompt) for option in readiness.options]
            index = next(i for i, label in enumerate(labels) if "Naloxone is in the room" in label)
            readiness.focus()
            readiness.highlighted = index
            await pilot.press("enter")
            await pilot.pause()
            return labels[index]

        assert "Bring naloxone, and say who holds it." in await choose_the_naloxone_item()
        form = app.main_screen.plan_pane.page
        assert app.focused is form.query_one("#field-naloxone_in_room")
        await pilot.press("space", "tab", *"Anna", "escape")
        await pilot.pause(0.2)
        app.main_screen.plan_pane.rebuild_nav(OVERVIEW)
        await pilot.pause()
        assert (await choose_the_naloxone_item()).startswith("✔")
        assert app.main_screen.guide_pane.current.id == "during"
        assert app.focused is app.main_screen.guide_pane.reader


# --- a bottom line that takes away safety -------------------------------------------------------


async def test_a_bottom_line_that_takes_away_safety_is_pointed_out_with_the_guide(
    make_app, guide_dir, data
):
    app = make_app(content=guide_dir, data_path=data)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("f3")
        app.main_screen.plan_pane.nav.focus()
        await pilot.press("a", *"Anna")
        form = app.main_screen.plan_pane.page
        notes = form.query_one("#bottom-line-notes")
        link = form.query_one("#bottom-line-guide")
        assert not notes.display and not link.display
        form.query_one("#field-bottom_line").focus()
        await pilot.press(*"If you refuse, we will kick you out.")
        await pilot.pause()
        assert notes.display and link.display
        assert form.scroll_offset.y + form.scrollable_content_region.height > link.virtual_region.y
        assert "“kick you out”: If they must leave, say where they can go" in str(notes.render())
        assert "If treatment is refused › Keeping your loved one safe" in str(link.render())
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert app.main_screen.current_pane == "guide"
        assert app.main_screen.guide_pane.current.id == "if-refused"
        await pilot.press("f3")
        form = app.main_screen.plan_pane.page
        area = form.query_one("#field-bottom_line")
        area.focus()
        area.text = "If you refuse, I will stop paying your phone bill."
        await pilot.pause()
        assert not form.query_one("#bottom-line-notes").display
