"""Small country files and a small guide that uses their placeholders, written for a test.

The numbers are the real emergency numbers, so that tests read like what a user sees; the
other values only need to differ by country.
"""

import json
from pathlib import Path

from tui.core.countries import TEXT_KEYS

# code: (name, the country in a sentence, emergency number, crisis line number)
COUNTRIES = {
    "US": ("United States", "the United States", "911", "988"),
    "CA": ("Canada", "Canada", "911", "988"),
    "GB": ("United Kingdom", "the United Kingdom", "999 or 112", "116 123"),
    "IE": ("Ireland", "Ireland", "112 or 999", "116 123"),
    "AU": ("Australia", "Australia", "000", "13 11 14"),
}
LOCALES = {
    "US": "en_US.UTF-8",
    "CA": "fr_CA.UTF-8",
    "GB": "en_GB.UTF-8",
    "IE": "ga_IE.UTF-8",
    "AU": "en_AU.UTF-8",
    "other": "de_DE.UTF-8",
}
OTHER_TEXT = {key: f"your local {key.replace('_', ' ')}" for key in TEXT_KEYS}
OTHER_TEXT.update(country="your country", emergency="your local emergency number")


def toml_value(value) -> str:
    return json.dumps(value) if isinstance(value, str) else str(value)


def country_toml(code: str, name: str, text: dict[str, str], numbers: list[dict]) -> str:
    lines = [f"code = {toml_value(code)}", f"name = {toml_value(name)}", "", "[text]"]
    lines += [f"{key} = {toml_value(value)}" for key, value in text.items()]
    for number in numbers:
        lines += ["", "[[numbers]]"]
        lines += [f"{key} = {toml_value(value)}" for key, value in number.items()]
    return "\n".join(lines) + "\n"


def number(label: str, digits: str, note: str = "") -> dict:
    entry = {"label": label, "number": digits}
    if note:
        entry["note"] = note
    return {**entry, "source": "A test", "source_year": 2026, "checked": "2026-12-06"}


def sample_text(code: str) -> dict[str, str]:
    name, country, emergency, crisis = COUNTRIES[code]
    text = {key: f"{key.replace('_', ' ')} of {name}" for key in TEXT_KEYS}
    text.update(country=country, emergency=emergency, crisis_line=f"the crisis line ({crisis})")
    return text


def write_countries(content: Path, codes=(*COUNTRIES, "other")) -> Path:
    folder = content / "countries"
    folder.mkdir(parents=True, exist_ok=True)
    for code in codes:
        if code == "other":
            toml = country_toml("other", "Another country", OTHER_TEXT, [])
        else:
            name, _, emergency, crisis = COUNTRIES[code]
            numbers = [
                number("Emergency", emergency, "For an overdose."),
                number("Crisis line", crisis),
            ]
            toml = country_toml(code, name, sample_text(code), numbers)
        (folder / f"{code.lower() if code != 'other' else code}.toml").write_text(toml)
    return folder


SECTIONS = {
    "01-introduction.md": ("introduction", "Introduction", "Planning an intervention together."),
    "02-staying-safe.md": (
        "staying-safe",
        "Staying safe",
        "**Overdose: call {{emergency}} now.**\n\n## Phone numbers\n\n{{phone_numbers}}\n\n"
        "If someone is thinking of suicide, contact {{crisis_line}}.\n",
    ),
    "09-during.md": (
        "during",
        "During the meeting",
        "## Safety at the meeting\n\nHave naloxone in the room.\n",
    ),
    "11-if-refused.md": (
        "if-refused",
        "If treatment is refused",
        "## Keeping your loved one safe\n\nKeep naloxone within reach.\n",
    ),
}


def write_guide(content: Path, with_countries: bool = True) -> Path:
    """A small guide whose safety section starts with the emergency number."""
    content.mkdir(parents=True, exist_ok=True)
    for order, (file_name, (section_id, title, body)) in enumerate(SECTIONS.items(), start=1):
        front = f"---\nid: {section_id}\ntitle: {title}\norder: {order}\n---\n\n"
        (content / file_name).write_text(front + body)
    if with_countries:
        write_countries(content)
    return content
