"""Hostile text (tests/hostile.py) through import and export: kept as written where import
keeps it, refused where too long, and never a control character in what export writes.
Export must also read in a Markdown viewer exactly as the plan says."""

import html
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
from hostile import (
    BY_ID,
    CORPUS,
    STARTED_AT,
    Hostile,
    changed_by_import,
    checkable,
    forbidden_in,
    import_document,
    import_plan,
    objection_record,
    person_record,
    singleton_records,
    treatment_record,
)
from markdown_it import MarkdownIt

from tui.cli import main as kindred
from tui.core.markdown_export import plan_markdown
from tui.core.store import Store

UNCHANGED_BY_IMPORT = [entry for entry in CORPUS if not changed_by_import(entry)]


@pytest.mark.parametrize("entry", UNCHANGED_BY_IMPORT, ids=[e.id for e in UNCHANGED_BY_IMPORT])
def test_import_keeps_text_exactly_as_written(tmp_path, entry):
    """`kindred import` stores this text as it is, so the app shows it as the "store" walk
    saw it."""
    data = tmp_path / "plan.json"
    import_plan(data, [entry], entry, tmp_path)
    tables = Store(data).read()
    person = tables["people"][0]
    assert [person[name] for name in ("name", "relationship", "statement", "bottom_line")] == [
        entry.text.strip(),
        entry.text.strip(),
        entry.text,
        entry.text,
    ]
    assert tables["treatments"][0]["name"] == entry.text.strip()
    assert tables["objections"][0]["objection"] == entry.text.strip()
    assert tables["plan"][0]["title"] == entry.text.strip()
    assert tables["specialist"][0]["name"] == entry.text.strip()


# Export


def raw_tables(batch: list[Hostile]) -> dict[str, list[dict]]:
    """Tables as a plan file could hold them, uncleaned."""
    tables: dict[str, list[dict]] = defaultdict(list)
    for number, entry in enumerate(batch, start=1):
        tables["people"].append(person_record(number, entry))
        tables["treatments"].append(treatment_record(number, entry))
        tables["objections"].append(objection_record(number, entry))
        tables["attempts"].append(
            {
                "id": f"a{number}",
                "person_id": f"p{number}",
                "started_at": STARTED_AT,
                "seconds": 95.0,
            }
        )
    for table, record in singleton_records(batch[0]).items():
        tables[table].append({"id": table, **record})
    return dict(tables)


def without_layout(text: str) -> str:
    return text.replace("\n", "").replace("\t", "")


def markdown_text(markdown: str) -> str:
    """What a Markdown viewer shows: the rendered HTML's text."""
    rendered = MarkdownIt("commonmark").render(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


@pytest.mark.parametrize("entry", CORPUS, ids=[entry.id for entry in CORPUS])
def test_markdown_export_has_no_control_characters(entry):
    text = plan_markdown(raw_tables([entry]))
    assert forbidden_in(without_layout(text)) == []
    if entry.is_clean and entry.kind != "layout":
        viewed = markdown_text(text)
        shown = entry.one_line in viewed and entry.multiline.strip() in viewed
        assert shown, f"{entry.id} is not in the export literally"


def export_params() -> list:
    return [
        pytest.param(fmt, entry, id=f"{fmt}-{entry.id}")
        for fmt in ("md", "json")
        for entry in CORPUS
    ]


def run_export(tmp_path: Path, capsysbinary, tables: dict, fmt: str) -> bytes:
    data = tmp_path / "plan.json"
    Store(data).replace_all(lambda _: tables)
    capsysbinary.readouterr()
    assert kindred(["export", "--format", fmt, "--data", str(data)]) == 0
    return capsysbinary.readouterr().out


@pytest.mark.parametrize(("fmt", "entry"), export_params())
def test_kindred_export_output_has_no_control_characters(tmp_path, capsysbinary, fmt, entry):
    output = run_export(tmp_path, capsysbinary, raw_tables([entry]), fmt)
    text = output.decode("utf-8")  # always UTF-8, whatever the plan holds
    assert forbidden_in(without_layout(text)) == []
    if fmt == "md" and entry.is_clean and entry.kind != "layout":
        shown = entry.one_line in markdown_text(text)
        assert shown, f"{entry.id} is not in the export literally"


def test_imported_plans_export_clean(tmp_path, capsysbinary):
    """What came in through `kindred import` goes out clean, in both formats."""
    batch = [entry for entry in CORPUS if entry.id != "lone-surrogate"]
    data = tmp_path / "plan.json"
    document = tmp_path / "import.json"
    document.write_text(json.dumps(import_document(batch, BY_ID["osc-title"])), "utf-8")
    assert kindred(["import", str(document), "--data", str(data)]) == 0
    for fmt in ("md", "json"):
        capsysbinary.readouterr()
        assert kindred(["export", "--format", fmt, "--data", str(data)]) == 0
        text = capsysbinary.readouterr().out.decode("utf-8")
        assert forbidden_in(text.replace("\n", "").replace("\t", "")) == []
        if fmt == "md":
            text = markdown_text(text)
        for entry in filter(checkable, batch):
            shown = json.dumps(entry.one_line)[1:-1] if fmt == "json" else entry.one_line
            found = shown in text
            assert found, (fmt, entry.id)


def test_import_refuses_text_over_the_limit(tmp_path):
    document = import_document([BY_ID["bold"]], BY_ID["bold"])
    document["plan"]["people"][0]["name"] = BY_ID["long-word"].text
    path = tmp_path / "import.json"
    path.write_text(json.dumps(document), "utf-8")
    assert kindred(["import", str(path), "--data", str(tmp_path / "plan.json")]) == 1
    assert not (tmp_path / "plan.json").exists()


MARKUP = [entry for entry in CORPUS if entry.kind == "markup"]


@pytest.mark.parametrize("entry", MARKUP, ids=[entry.id for entry in MARKUP])
def test_markdown_export_renders_names_literally(entry):
    rendered = markdown_text(plan_markdown(raw_tables([entry])))
    shown = entry.text in rendered
    assert shown, f"a Markdown viewer does not show {entry.text!r} as written"
