"""The countries the guide speaks for: their phone numbers and the words that differ by
country, from content/countries/*.toml (one file each), and the guide's placeholders
filled in from them.

A guide section writes {{emergency}} where the emergency number goes; a line holding only
{{phone_numbers}} becomes a list of the country's numbers. Until the plan has a country,
the guide gives every listed country's emergency number. Pure core: no Textual here.
"""

import re
from collections import namedtuple
from collections.abc import Mapping
from datetime import date
from pathlib import Path

# The countries a plan can be for, in the order offered, by the names it shows them by.
OTHER_COUNTRY = "other"
COUNTRY_NAMES = {
    "US": "United States",
    "CA": "Canada",
    "GB": "United Kingdom",
    "IE": "Ireland",
    "AU": "Australia",
    OTHER_COUNTRY: "Another country",
}
COUNTRIES_FOLDER = "countries"
TEXT_KEYS = (
    "country",
    "emergency",
    "crisis_line",
    "drug_helpline",
    "poison_line",
    "violence_line",
    "naloxone_forms",
    "medication_term",
    "find_treatment",
    "naloxone_access",
    "medication_notes",
    "good_samaritan",
    "never_use_alone",
    "heroin_medical_use",
    "family_support",
)
LIST_KEY = "phone_numbers"
FILE_KEYS = ("code", "name", "text", "numbers")
NUMBER_KEYS = ("label", "number", "note", "source", "source_year", "checked")
OPTIONAL_NUMBER_KEYS = ("note",)

_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}")
_LOCALE = r"[A-Za-z]{2,3}_([A-Za-z]{2})(?:[.@].*)?"  # language_TERRITORY.codeset@modifier

# Named tuples of collections, not typing: the command-line tools import this module (for
# the locale's country) and start faster without typing.


class Number(namedtuple("Number", "label number note source source_year checked")):
    """A phone number: its note is "" when there is none; its source says who says it is
    right, in which year; checked is the day it was checked, YYYY-MM-DD."""

    __slots__ = ()


class Country(namedtuple("Country", "code name text numbers")):
    """code as in the plan ("GB", "other"); name as the plan's choice shows it; text the
    value of each of TEXT_KEYS; numbers its Numbers."""

    __slots__ = ()


def country_from_locale(environ: Mapping[str, str]) -> str | None:
    """The country a new plan takes from the user's locale (LC_ALL, else LC_MESSAGES, else
    LANG, as the C library reads them): "GB" for en_GB.UTF-8, "other" for a country the
    plan cannot choose (de_DE), None when it names no country (C, POSIX, C.UTF-8, unset)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        locale = environ.get(name, "")
        if locale:
            match = re.fullmatch(_LOCALE, locale)
            if match is None:
                return None
            territory = match.group(1).upper()
            return territory if territory in COUNTRY_NAMES else OTHER_COUNTRY
    return None


def _problem(path: Path, message: str) -> Exception:
    """The guide's ContentError, naming the file; tui.core.guide is imported only for a problem."""
    from tui.core.guide import ContentError

    return ContentError(f"{path}: {message}")


def load_countries(content_dir: Path) -> dict[str, Country] | None:
    """The countries in the content directory's countries folder, listed countries in the
    plan's order and "other" last; None when there is no such folder (a guide that names
    no country, such as a counsellor's own edition)."""
    folder = content_dir / COUNTRIES_FOLDER
    if not folder.is_dir():
        return None
    countries = {}
    for path in sorted(folder.glob("*.toml")):
        country = _load_country(path)
        countries[country.code] = country
    if OTHER_COUNTRY not in countries:
        raise _problem(
            folder,
            f"has no {OTHER_COUNTRY}.toml, the text for another country "
            "(and for a plan whose country is not chosen yet).",
        )
    order = [*COUNTRY_NAMES, *sorted(countries)]
    return {code: countries[code] for code in sorted(countries, key=order.index)}


def _load_country(path: Path) -> Country:
    import tomllib  # only when the guide names countries

    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise _problem(path, "is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as error:
        raise _problem(path, f"is not valid TOML ({error}).") from None
    except OSError as error:
        raise _problem(path, f"cannot be read ({error.strerror}).") from None
    _check_keys(path, "the file", data, FILE_KEYS, optional=("numbers",))
    code = _text(path, "code", data["code"])
    expected = path.stem if path.stem == OTHER_COUNTRY else path.stem.upper()
    if code != expected:
        raise _problem(
            path, f"code is {code!r}, but a file called {path.name} must have code = {expected!r}."
        )
    text = data["text"]
    if not isinstance(text, dict):
        raise _problem(path, "text must be a table, [text].")
    _check_keys(path, "[text]", text, TEXT_KEYS)
    numbers = data.get("numbers", [])
    if not isinstance(numbers, list) or not all(isinstance(n, dict) for n in numbers):
        raise _problem(path, "numbers must be tables, each starting [[numbers]].")
    if not numbers and code != OTHER_COUNTRY:
        raise _problem(path, "has no [[numbers]]; a country needs at least its emergency number.")
    return Country(
        code=code,
        name=_text(path, "name", data["name"]),
        text={key: _text(path, f"[text] {key}", text[key]) for key in TEXT_KEYS},
        numbers=tuple(_number(path, index, raw) for index, raw in enumerate(numbers, 1)),
    )


def _number(path: Path, index: int, raw: dict) -> Number:
    where = f"[[numbers]] number {index}"
    _check_keys(path, where, raw, NUMBER_KEYS, optional=OPTIONAL_NUMBER_KEYS)
    year = raw["source_year"]
    if type(year) is not int:
        raise _problem(path, f"{where}: source_year must be a year, like 2026.")
    return Number(
        label=_text(path, f"{where}: label", raw["label"]),
        number=_text(path, f"{where}: number", raw["number"]),
        note=_text(path, f"{where}: note", raw["note"]) if "note" in raw else "",
        source=_text(path, f"{where}: source", raw["source"]),
        source_year=year,
        checked=_day(path, f"{where}: checked", raw["checked"]),
    )


def _check_keys(
    path: Path, where: str, table: dict, keys: tuple[str, ...], optional: tuple[str, ...] = ()
) -> None:
    unknown = [key for key in table if key not in keys]
    if unknown:
        raise _problem(
            path,
            f"{where} has a key Kindred does not know: {unknown[0]!r} "
            f"(it knows {', '.join(keys)}).",
        )
    missing = [key for key in keys if key not in table and key not in optional]
    if missing:
        raise _problem(path, f"{where} has no {', '.join(missing)}.")


def _text(path: Path, where: str, value: object) -> str:
    """A value that goes into the guide: text on one line."""
    if not isinstance(value, str):
        raise _problem(path, f"{where} must be text in quotes, not {_kind(value)}.")
    if not value.strip() or "\n" in value or "\r" in value:
        raise _problem(path, f"{where} must be text on one line, not empty.")
    return value


def _day(path: Path, where: str, value: object) -> str:
    """A date, written "2026-12-06" or 2026-12-06."""
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise _problem(path, f'{where} must be a date, like "2026-12-06".') from None


def _kind(value: object) -> str:
    names = {
        bool: "true or false",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "a table",
    }
    return names.get(type(value), "a date or time")


# Filling in the placeholders


def render(body: str, path: Path, countries: dict[str, Country] | None, code: str | None) -> str:
    """A guide section's text with its placeholders filled in for the country with this
    code, or for a plan with no country yet (None, or a code the guide has no file for).
    Without countries (no countries folder) the text is left as it is."""
    if countries is None:
        return body
    country = countries.get(code) if code else None
    if country is not None:
        values, numbers = country.text, country_number_lines(country)
    else:
        values = {**countries[OTHER_COUNTRY].text, "emergency": _every_emergency(countries)}
        numbers = _every_emergency_line(countries)
    phone_list = "\n".join(f"- {line}" for line in numbers)

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key in values:
            return values[key]
        if key == LIST_KEY:
            raise _problem(path, f"{{{{{LIST_KEY}}}}} must stand alone on its own line.")
        raise _problem(
            path,
            f"there is no placeholder {match.group()}; those Kindred "
            f"knows are {', '.join(TEXT_KEYS)} and {LIST_KEY}.",
        )

    lines = [
        phone_list if line.strip() == f"{{{{{LIST_KEY}}}}}" else _PLACEHOLDER.sub(fill, line)
        for line in body.split("\n")
    ]
    return "\n".join(lines)


def country_number_lines(country: Country) -> list[str]:
    """Each phone number as the guide lists it: "Label: number. Note."; for a file with no
    numbers (another country), its emergency number."""
    if not country.numbers:
        return [f"Emergency: {country.text['emergency']}."]
    return [
        f"{number.label}: {number.number}." + (f" {number.note}" if number.note else "")
        for number in country.numbers
    ]


def emergency_number(countries: dict[str, Country], code: str) -> str:
    """What the guide says to call in an emergency for a plan with this country: its
    number or, for a plan with no country yet, every listed country's."""
    country = countries.get(code) if code else None
    return country.text["emergency"] if country is not None else _every_emergency(countries)


def _listed(countries: dict[str, Country]) -> list[Country]:
    return [country for code, country in countries.items() if code != OTHER_COUNTRY]


def _every_emergency(countries: dict[str, Country]) -> str:
    """The emergency number of every listed country, for a plan with no country yet, as used
    in "call {{emergency}} now": "your local emergency number (911 in the United States
    and Canada, 999 or 112 in the United Kingdom, ...)"."""
    where_by_number: dict[str, list[str]] = {}
    for country in _listed(countries):
        where_by_number.setdefault(country.text["emergency"], []).append(country.text["country"])
    local = countries[OTHER_COUNTRY].text["emergency"]
    if not where_by_number:
        return local
    each = [f"{number} in {_and(places)}" for number, places in where_by_number.items()]
    return f"{local} ({', '.join(each)})"


def _every_emergency_line(countries: dict[str, Country]) -> list[str]:
    other = countries[OTHER_COUNTRY]
    return [
        *(f"{country.name}: {country.text['emergency']}." for country in _listed(countries)),
        f"{other.name}: {other.text['emergency']}.",
    ]


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
