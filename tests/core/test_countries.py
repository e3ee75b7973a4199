"""Country data (content/countries/*.toml), the guide filled in for a country, and the
country a new plan takes from the locale."""

import json
import re
from pathlib import Path

import pytest
from country_files import COUNTRIES, LOCALES, write_countries, write_guide
from hypothesis import given
from hypothesis import strategies as st

from tui.core.countries import (
    COUNTRY_NAMES,
    OTHER_COUNTRY,
    TEXT_KEYS,
    country_from_locale,
    load_countries,
)
from tui.core.guide import ContentError, default_content_dir, load_guide

LISTED = list(COUNTRIES)
SHIPPED = default_content_dir()
shipped_countries = pytest.mark.skipif(
    not (SHIPPED / "countries").is_dir(), reason="the shipped guide has no country files yet"
)


def first_block(guide, section_id: str = "staying-safe") -> str:
    return guide[section_id].blocks[0].text


def all_text(guide) -> str:
    return "\n".join(section.plain_text for section in guide.sections)


def digits_in(number: str) -> list[str]:
    """The phone numbers in a value: "999 or 112" -> ["999", "112"]; not digits that are
    part of a name, as in 1800RESPECT."""
    return re.findall(r"(?<!\w)\d[\d -]*\d(?!\w)", number)


def contains_number(text: str, number: str) -> bool:
    return re.search(rf"(?<![\d,.]){re.escape(number)}(?![\d,])", text) is not None


# --- the country files ------------------------------------------------------------------------


def test_countries_load_in_the_plans_order_with_another_country_last(tmp_path):
    countries = load_countries(write_guide(tmp_path / "guide"))
    assert list(countries) == [*LISTED, OTHER_COUNTRY]
    gb = countries["GB"]
    assert gb.name == "United Kingdom" and gb.text["emergency"] == "999 or 112"
    assert set(gb.text) == set(TEXT_KEYS)
    emergency = gb.numbers[0]
    assert (emergency.label, emergency.number, emergency.note) == (
        "Emergency",
        "999 or 112",
        "For an overdose.",
    )
    assert (emergency.source, emergency.source_year, emergency.checked) == (
        "A test",
        2026,
        "2026-12-06",
    )
    assert gb.numbers[1].note == ""  # a note is optional


def test_a_content_directory_without_countries_names_none(tmp_path):
    guide_dir = write_guide(tmp_path / "guide", with_countries=False)
    assert load_countries(guide_dir) is None
    (guide_dir / "02-staying-safe.md").write_text(
        "---\nid: staying-safe\ntitle: Staying safe\norder: 2\n---\n\nCall {{emergency}} now.\n"
    )
    guide = load_guide(guide_dir, country="GB")
    assert first_block(guide) == "Call {{emergency}} now."  # left as written


def test_a_date_checked_may_be_a_toml_date(tmp_path):
    folder = write_countries(tmp_path / "guide")
    gb = folder / "gb.toml"
    gb.write_text(gb.read_text().replace('checked = "2026-12-06"', "checked = 2026-12-07"))
    assert load_countries(tmp_path / "guide")["GB"].numbers[0].checked == "2026-12-07"


def break_file(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = write_countries(tmp_path / "guide")
    path = folder / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize(
    ("name", "old", "new", "said"),
    [
        ("gb.toml", 'name = "United Kingdom"\n', "", "the file has no name"),
        ("gb.toml", 'emergency = "999 or 112"\n', "", "[text] has no emergency"),
        ("gb.toml", 'label = "Crisis line"\n', "", "[[numbers]] number 2 has no label"),
        ("gb.toml", 'source = "A test"\n', "", "number 1 has no source"),
        (
            "gb.toml",
            "[text]\n",
            '[text]\nhelpline = "0800"\n',
            "[text] has a key Kindred does not know: 'helpline'",
        ),
        (
            "gb.toml",
            'code = "GB"\n',
            'code = "GB"\nflag = "x"\n',
            "the file has a key Kindred does not know: 'flag'",
        ),
        (
            "gb.toml",
            'note = "For an overdose."\n',
            'note = "x"\nurl = "x"\n',
            "number 1 has a key Kindred does not know: 'url'",
        ),
        (
            "gb.toml",
            'name = "United Kingdom"',
            "name = 44",
            "name must be text in quotes, not a number",
        ),
        (
            "gb.toml",
            'emergency = "999 or 112"',
            "emergency = 999",
            "[text] emergency must be text in quotes, not a number",
        ),
        ("gb.toml", 'emergency = "999 or 112"', 'emergency = ""', "must be text on one line"),
        (
            "gb.toml",
            'emergency = "999 or 112"',
            'emergency = "999\\n112"',
            "must be text on one line",
        ),
        (
            "gb.toml",
            "source_year = 2026",
            'source_year = "2026"',
            "source_year must be a year, like 2026",
        ),
        (
            "gb.toml",
            'checked = "2026-12-06"',
            'checked = "last week"',
            'checked must be a date, like "2026-12-06"',
        ),
        ("gb.toml", 'code = "GB"', 'code = "UK"', "code is 'UK', but a file called gb.toml"),
        ("gb.toml", "[text]", "[text", "is not valid TOML"),
        (
            "ie.toml",
            "[[numbers]]",
            "[[other_numbers]]",
            "the file has a key Kindred does not know: 'other_numbers'",
        ),
    ],
)
def test_a_country_file_that_cannot_be_used_is_named_with_the_problem(
    tmp_path, name, old, new, said
):
    path = break_file(tmp_path, name, old, new)
    with pytest.raises(ContentError) as problem:
        load_countries(tmp_path / "guide")
    assert str(problem.value).startswith(f"{path}: ")
    assert said in str(problem.value)


def test_text_must_be_a_table(tmp_path):
    folder = write_countries(tmp_path / "guide")
    (folder / "gb.toml").write_text('code = "GB"\nname = "United Kingdom"\ntext = "none"\n')
    with pytest.raises(ContentError, match="gb.toml: text must be a table, \\[text\\]"):
        load_countries(tmp_path / "guide")


def test_a_country_needs_a_number_and_another_country_need_not(tmp_path):
    folder = write_countries(tmp_path / "guide")
    au = folder / "au.toml"
    au.write_text(au.read_text().split("[[numbers]]")[0])
    with pytest.raises(ContentError, match="has no \\[\\[numbers\\]\\]"):
        load_countries(tmp_path / "guide")
    assert not load_countries(write_guide(tmp_path / "g2"))[OTHER_COUNTRY].numbers


def test_a_file_that_is_not_utf8_is_named(tmp_path):
    folder = write_countries(tmp_path / "guide")
    (folder / "gb.toml").write_bytes(b'code = "GB"\nname = "\xff"\n')
    with pytest.raises(ContentError, match="gb.toml: is not UTF-8 text"):
        load_countries(tmp_path / "guide")


def test_another_country_is_required(tmp_path):
    write_countries(tmp_path / "guide", codes=LISTED)
    with pytest.raises(ContentError, match="has no other.toml"):
        load_countries(tmp_path / "guide")


def test_a_broken_country_file_stops_the_guide_loading(tmp_path):
    break_file(tmp_path, "us.toml", 'emergency = "911"\n', "")
    (tmp_path / "guide" / "01-a.md").write_text("---\nid: a\ntitle: A\norder: 1\n---\n\nHi.\n")
    with pytest.raises(ContentError, match="us.toml: \\[text\\] has no emergency"):
        load_guide(tmp_path / "guide")


# --- filling in the guide ---------------------------------------------------------------------


@pytest.mark.parametrize("code", LISTED)
def test_the_guide_gives_the_countrys_numbers(tmp_path, code):
    guide = load_guide(write_guide(tmp_path / "guide"), country=code)
    _, _, emergency, crisis = COUNTRIES[code]
    assert first_block(guide) == f"Overdose: call {emergency} now."
    items = [b.text for b in guide["staying-safe"].blocks if b.kind == "item"]
    assert items == [f"Emergency: {emergency}. For an overdose.", f"Crisis line: {crisis}."]
    assert f"contact the crisis line ({crisis})." in guide["staying-safe"].plain_text
    assert guide.country == code


def test_another_country_names_no_listed_countrys_number(tmp_path):
    guide = load_guide(write_guide(tmp_path / "guide"), country=OTHER_COUNTRY)
    assert first_block(guide) == "Overdose: call your local emergency number now."
    text = all_text(guide)
    for _, _, emergency, crisis in COUNTRIES.values():
        for number in [*digits_in(emergency), crisis]:
            assert not contains_number(text, number)
    assert "your local crisis line" in text


def test_with_no_country_yet_the_guide_gives_every_emergency_number(tmp_path):
    guide = load_guide(write_guide(tmp_path / "guide"), country=None)
    assert first_block(guide) == (
        "Overdose: call your local emergency number (911 in the United States and Canada, "
        "999 or 112 in the United Kingdom, 112 or 999 in Ireland, 000 in Australia) now."
    )
    items = [b.text for b in guide["staying-safe"].blocks if b.kind == "item"]
    assert items == [
        "United States: 911.",
        "Canada: 911.",
        "United Kingdom: 999 or 112.",
        "Ireland: 112 or 999.",
        "Australia: 000.",
        "Another country: your local emergency number.",
    ]
    # Everything else as for another country.
    assert "contact your local crisis line." in guide["staying-safe"].plain_text


def test_a_country_the_guide_has_no_file_for_is_treated_as_none_yet(tmp_path):
    guide_dir = write_guide(tmp_path / "guide")
    (guide_dir / "countries" / "ie.toml").unlink()
    guide = load_guide(guide_dir, country="IE")
    assert guide.country is None
    assert "999 or 112 in the United Kingdom" in first_block(guide)
    assert "Ireland" not in first_block(guide)


def test_an_unknown_placeholder_names_the_file(tmp_path):
    guide_dir = write_guide(tmp_path / "guide")
    path = guide_dir / "09-during.md"
    path.write_text(path.read_text() + "\nCall {{ambulance}}.\n")
    with pytest.raises(ContentError) as problem:
        load_guide(guide_dir, country="GB")
    assert str(problem.value).startswith(f"{path}: there is no placeholder {{{{ambulance}}}}")


def test_the_phone_list_must_stand_on_its_own_line(tmp_path):
    guide_dir = write_guide(tmp_path / "guide")
    path = guide_dir / "09-during.md"
    path.write_text(path.read_text() + "\nNumbers: {{phone_numbers}}\n")
    with pytest.raises(ContentError, match="09-during.md: {{phone_numbers}} must stand alone"):
        load_guide(guide_dir)


def test_a_value_is_put_in_as_written_and_not_filled_in_again(tmp_path):
    guide_dir = write_guide(tmp_path / "guide")
    break_file(tmp_path, "gb.toml", 'emergency = "999 or 112"', 'emergency = "{{country}} 999"')
    guide = load_guide(guide_dir, country="GB")
    assert first_block(guide) == "Overdose: call {{country}} 999 now."


def test_for_country_fills_the_same_guide_in_again(tmp_path):
    guide = load_guide(write_guide(tmp_path / "guide"), country="US")
    assert guide.for_country("US") is guide
    british = guide.for_country("GB")
    assert first_block(british) == "Overdose: call 999 or 112 now."
    assert first_block(guide) == "Overdose: call 911 now."  # the first is unchanged
    assert first_block(british.for_country(None)).startswith("Overdose: call your local")
    unnamed = load_guide(write_guide(tmp_path / "plain", with_countries=False))
    assert unnamed.for_country("GB") is unnamed


def test_search_finds_the_chosen_countrys_numbers(tmp_path):
    guide = load_guide(write_guide(tmp_path / "guide"), country="AU")
    assert {hit.section.id for hit in guide.search("000")} == {"staying-safe"}
    assert guide.search("999") == []
    assert guide.search("13 11 14")


def test_the_cache_keeps_the_guide_as_filled_in_for_two_countries(tmp_path, monkeypatch):
    import tui.core.guide

    guide_dir = write_guide(tmp_path / "guide")
    cache = tmp_path / "cache" / "guide.json"
    load_guide(guide_dir, cache, country=None).for_country("GB")
    parsed = []
    parse = tui.core.guide._parse_blocks
    monkeypatch.setattr(
        tui.core.guide, "_parse_blocks", lambda body: parsed.append(body) or parse(body)
    )
    for country in (None, "GB", None):
        guide = load_guide(guide_dir, cache, country=country)
        assert [section.blocks for section in guide.sections]
    assert parsed == []  # every section, for both, came from the cache
    assert len(json.loads(cache.read_text())["sections"]) == 4 + 1  # safety differs
    assert first_block(load_guide(guide_dir, cache, "GB")) == "Overdose: call 999 or 112 now."


# --- the locale -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "country"),
    [
        ({"LANG": "en_GB.UTF-8"}, "GB"),
        ({"LANG": "en_US.UTF-8"}, "US"),
        ({"LANG": "fr_CA.UTF-8"}, "CA"),
        ({"LANG": "ga_IE.utf8@euro"}, "IE"),
        ({"LANG": "en_AU"}, "AU"),
        ({"LANG": "en_gb.UTF-8"}, "GB"),
        ({"LANG": "de_DE.UTF-8"}, "other"),
        ({"LANG": "ast_ES.UTF-8"}, "other"),
        ({"LANG": "C"}, None),
        ({"LANG": "POSIX"}, None),
        ({"LANG": "C.UTF-8"}, None),
        ({"LANG": "en"}, None),
        ({"LANG": "es_419.UTF-8"}, None),  # a region, not a country
        ({"LANG": ""}, None),
        ({}, None),
        ({"LC_ALL": "en_IE.UTF-8", "LC_MESSAGES": "en_AU.UTF-8", "LANG": "en_US.UTF-8"}, "IE"),
        ({"LC_MESSAGES": "en_AU.UTF-8", "LANG": "en_US.UTF-8"}, "AU"),
        ({"LC_ALL": "", "LC_MESSAGES": "", "LANG": "en_US.UTF-8"}, "US"),
        ({"LC_ALL": "C.UTF-8", "LANG": "en_GB.UTF-8"}, None),  # LC_ALL decides
        ({"LC_CTYPE": "en_GB.UTF-8", "LANG": "C.UTF-8"}, None),  # not about messages
    ],
)
def test_the_country_a_locale_names(environ, country):
    assert country_from_locale(environ) == country


LISTED_CODES = [code for code in COUNTRY_NAMES if code != OTHER_COUNTRY]
languages = st.from_regex(r"[a-z]{2,3}", fullmatch=True)
territories = st.from_regex(r"[A-Z]{2}", fullmatch=True)
tails = st.sampled_from(["", ".UTF-8", ".utf8", ".ISO-8859-1", "@euro", ".UTF-8@latin"])
variables = st.sampled_from(["LC_ALL", "LC_MESSAGES", "LANG"])


@given(languages, territories, tails, variables)
def test_any_locale_naming_a_territory_gives_it_or_another_country(
    language, territory, tail, variable
):
    country = country_from_locale({variable: f"{language}_{territory}{tail}"})
    assert country == (territory if territory in LISTED_CODES else OTHER_COUNTRY)


@given(st.text(alphabet=st.characters(blacklist_characters="_"), max_size=20), variables)
def test_a_locale_without_a_territory_names_no_country(locale, variable):
    assert country_from_locale({variable: locale}) is None


@given(st.dictionaries(variables, st.sampled_from(["", *LOCALES.values(), "C.UTF-8"])))
def test_the_first_locale_variable_set_decides(environ):
    first = next(
        (environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(name)), ""
    )
    assert country_from_locale(environ) == country_from_locale({"LANG": first})


# --- the shipped country files, once they are there -------------------------------------------


@shipped_countries
def test_the_shipped_countries_are_the_plans_choices():
    countries = load_countries(SHIPPED)
    assert list(countries) == list(COUNTRY_NAMES)
    for code, country in countries.items():
        assert country.name == COUNTRY_NAMES[code]


@shipped_countries
def test_every_number_in_a_shipped_countrys_text_is_among_its_numbers():
    for country in load_countries(SHIPPED).values():
        listed = {
            re.sub(r"\D", "", part)
            for number in country.numbers
            for part in digits_in(number.number)
        }
        for key, value in country.text.items():
            for found in digits_in(value):
                plain = re.sub(r"\D", "", found)
                if len(plain) < 3 or re.fullmatch(r"(19|20)\d\d", plain):
                    continue  # a count or a year, not a phone number
                assert plain in listed, f"{country.code} [text] {key}: {found} is not listed"


@shipped_countries
@pytest.mark.parametrize("code", LISTED_CODES)
def test_the_shipped_safety_section_starts_with_the_countrys_number(code):
    guide = load_guide(SHIPPED, country=code)
    emergency = guide.countries[code].text["emergency"]
    assert emergency in first_block(guide)


@shipped_countries
def test_the_shipped_safety_section_for_another_country_names_no_listed_number():
    guide = load_guide(SHIPPED, country=OTHER_COUNTRY)
    text = guide["staying-safe"].plain_text
    countries = load_countries(SHIPPED)
    for code in LISTED_CODES:
        for number in countries[code].numbers:
            for digits in digits_in(number.number):
                assert not contains_number(text, digits), f"{code}: {digits}"
