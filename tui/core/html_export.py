"""The plan as one printable page for the day of the meeting: a run sheet, a card in large
type for each person with their statement, and the bottom lines on a page of their own.

The page is self-contained: no script, no link to another file, no web font. It is rendered
from Kindred's own Markdown, in which every piece of plan text is escaped (see
markdown_export), by a Markdown renderer that drops raw HTML and makes no links or images,
so a name like ``<script>`` or ``[x](javascript:...)`` prints as typed and runs nothing.
"""

import html

from tui.core.countries import Country, emergency_number
from tui.core.dates import spelled_out
from tui.core.markdown_export import day_checklist_lines, literal_line, literal_paragraphs
from tui.core.plan import PEOPLE, Plan, display_name, format_duration

# Both A4 (210 x 297 mm) and US Letter (216 x 279 mm) leave at least 186 x 255 mm inside
# these margins: nothing is wider than the page box, and every card starts a new page.
PRINTED_TICKS = ("☑", "☐")  # done, not done
STYLE = """
@page { margin: 14mm 12mm; }
html { font-family: "DejaVu Serif", Georgia, "Times New Roman", serif; color: #000;
       background: #fff; font-size: 13pt; line-height: 1.35; }
body { margin: 0; }
@media screen { body { max-width: 46em; margin: 1.5em auto; padding: 0 1em; } }
section { overflow-wrap: anywhere; }
h1 { font-size: 20pt; margin: 0 0 0.4em; }
h2 { font-size: 15pt; margin: 1em 0 0.3em; border-bottom: 1px solid #000; }
h3 { font-size: 13pt; margin: 0.8em 0 0.2em; }
ul, ol { margin: 0.2em 0; padding-left: 1.4em; }
.run-sheet ul:last-child { list-style: none; padding-left: 0.2em; }  /* the checklist */
li { margin: 0.1em 0; }
p { margin: 0.3em 0; }
.card, .bottom-lines { break-before: page; }
.card { font-size: 20pt; line-height: 1.5; }
.card h2 { font-size: 30pt; border: none; margin-top: 0; }
.card h2 + p { font-size: 14pt; }
.bottom-lines h2 { font-size: 22pt; }
.bottom-lines h3 { font-size: 16pt; }
.bottom-lines p { font-size: 16pt; line-height: 1.5; }
"""


def plan_html(tables: dict[str, list[dict]], countries: dict[str, Country] | None = None) -> str:
    """The whole printable page, as HTML text; countries (by code) give the emergency number
    of the plan's country."""
    plan = Plan.from_tables(tables)
    sections = [("run-sheet", _run_sheet(plan, countries or {}))]
    count = len(plan.people)
    sections += [
        ("card", _card(plan, place, count, person))
        for place, person in enumerate(plan.people, start=1)
    ]
    sections.append(("bottom-lines", _bottom_lines(plan)))
    renderer = safe_renderer()
    body = "".join(
        f'<section class="{kind}">\n{renderer.render(markdown)}</section>\n'
        for kind, markdown in sections
    )
    title = html.escape(literal_title(plan))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n"
        "</html>\n"
    )


def literal_title(plan: Plan) -> str:
    title = " ".join(plan.title.split())  # already free of control characters
    return f"Run sheet: {title}" if title else "Run sheet for the meeting"


def safe_renderer():
    from markdown_it import MarkdownIt  # here, as the other exports never need it

    class WithoutLinks(MarkdownIt):
        def validateLink(self, url: str) -> bool:
            return False  # no address of any kind is ever taken as a link

    # Raw HTML is shown as text, and links, images and autolinks are not made at all:
    # Kindred's own Markdown has none.
    renderer = WithoutLinks("commonmark", {"html": False, "breaks": True, "linkify": False})
    return renderer.disable(["link", "image", "autolink", "html_inline", "html_block"])


def _run_sheet(plan: Plan, countries: dict[str, Country]) -> str:
    meeting = plan.records["meeting"]
    facts = [
        ("When", spelled_out(meeting["when"]) or "not set yet"),
        ("Where", meeting["place"] or "not set yet"),
        ("Approach", meeting["approach"]),
        ("Who brings your loved one", meeting["who_brings"] or "not agreed yet"),
        ("The specialist", _specialist(plan.records["specialist"])),
        ("Treatment booked", _treatment_booked(plan)),
        ("Emergency number", _emergency_number(plan, countries)),
        ("Who holds the naloxone", _naloxone_holder(plan.records["safety"])),
    ]
    lines = [f"- **{label}:** {literal_line(value)}" for label, value in facts]
    lines.append(
        "- **If anyone overdoses:** call the emergency number, give naloxone, and stay "
        "with them until help comes."
    )
    order = [
        f"{place}. {literal_line(display_name(PEOPLE, person))}{_relationship(person)}, "
        f"{format_duration(person['target_seconds'])}{_reader(person)}"
        for place, person in enumerate(plan.people, start=1)
    ]
    return "\n\n".join(
        [
            f"# {literal_line(literal_title(plan))}",
            "\n".join(lines),
            "## Speaking order, with target lengths",
            "\n".join(order) or "Nobody yet.",
            "## Checklist for the day",
            day_checklist_lines(plan, ticks=PRINTED_TICKS) or "Nothing on the checklist yet.",
        ]
    )


def _emergency_number(plan: Plan, countries: dict[str, Country]) -> str:
    if not countries:  # a guide that names no country
        return "your local emergency number"
    return emergency_number(countries, plan.country)


def _naloxone_holder(safety: dict) -> str:
    holder = safety["naloxone_holder"].strip()
    if not holder:
        return "nobody named yet"
    return holder if safety["naloxone_in_room"] else f"{holder} (not yet ticked as in the room)"


def _specialist(specialist: dict) -> str:
    parts = [specialist["name"], specialist["contact"]]
    return ", ".join(part for part in parts if part) or "not found yet"


def _treatment_booked(plan: Plan) -> str:
    booked = [t for t in plan.lists["treatments"] if t["intake_booked"]]
    if not booked:
        return "no intake booked yet"
    described = []
    for treatment in booked:
        held = ", bed held" if treatment["bed_held"] else ""
        contact = f", {treatment['contact']}" if treatment["contact"] else ""
        name = treatment["name"] or "(unnamed treatment option)"
        described.append(f"{name} ({treatment['kind']}{held}){contact}")
    return "; ".join(described)


def _relationship(person: dict) -> str:
    return f" ({literal_line(person['relationship'])})" if person["relationship"] else ""


def _reader(person: dict) -> str:
    if person["attending"]:
        return ""
    reader = person["read_by"] or "someone not chosen yet"
    return f", read by {literal_line(reader)}"


def _card(plan: Plan, place: int, count: int, person: dict) -> str:
    facts = f"Speaks {place} of {count} · target {format_duration(person['target_seconds'])}"
    if not person["attending"]:
        facts += f" · read by {literal_line(person['read_by'] or 'someone not chosen yet')}"
    statement = literal_paragraphs(person["statement"]) or "No statement written yet."
    return "\n\n".join([f"## {literal_line(display_name(PEOPLE, person))}", facts, statement])


def _bottom_lines(plan: Plan) -> str:
    blocks = [
        "## Bottom lines",
        "Read these only if your loved one refuses treatment.",
    ]
    written = [person for person in plan.people if person["bottom_line"].strip()]
    for person in written:
        blocks += [
            f"### {literal_line(display_name(PEOPLE, person))}",
            literal_paragraphs(person["bottom_line"]),
        ]
    if not written:
        blocks.append("Nobody has written a bottom line.")
    return "\n\n".join(blocks)
