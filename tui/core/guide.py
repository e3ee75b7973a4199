"""The guide: Markdown sections from the content directory (searched by tui.core.search).

Parsing Markdown takes a while at start-up (the parser alone takes longer to import than
the rest of the guide to read), so the app keeps the parsed sections in a cache file, used
only for sections whose text is exactly the one that was parsed.
"""

import json
import re
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from tui.core.private_file import read_own_file, write_private_file
from tui.core.safe_text import shown_path, visible

if TYPE_CHECKING:
    from tui.core.search import SearchIndex

FRONT_MATTER_KEYS = ("id", "title", "order")
BLOCK_KINDS = ("heading", "paragraph", "item", "quote", "code", "rule")
CACHE_FORMAT = 1
CACHE_OTHER_FILLINGS = 2  # how many other countries' sections the cache keeps
SEARCH_WORDS_FILE = "search-words.txt"


class ContentError(Exception):
    """A guide directory or file that cannot be used, said in plain words."""


class Span(NamedTuple):
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False


class Block(NamedTuple):
    """One thing the reader shows: a heading, a paragraph, a list item, a quote."""

    kind: str  # one of BLOCK_KINDS
    spans: tuple[Span, ...]
    level: int = 0  # heading level, or list nesting depth for items
    marker: str = ""  # "•" or "3." for list items
    heading: str = ""  # the nearest heading above, for search context

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)


class Heading(NamedTuple):
    level: int
    text: str
    slug: str
    block_index: int


@dataclass
class Section:
    id: str
    title: str
    order: int
    body: str
    path: Path = field(repr=False)
    cached_blocks: list | None = field(default=None, repr=False, compare=False)  # from the cache
    template: str = field(default="", repr=False, compare=False)  # body before filling in

    @cached_property
    def blocks(self) -> tuple[Block, ...]:
        if self.cached_blocks is not None:
            try:
                return tuple(_block_from_cache(block) for block in self.cached_blocks)
            except (TypeError, ValueError):
                pass  # not what Kindred writes there: parse the text instead
        return _parse_blocks(self.body)

    @cached_property
    def headings(self) -> tuple[Heading, ...]:
        return tuple(
            Heading(block.level, block.text, slugify(block.text), index)
            for index, block in enumerate(self.blocks)
            if block.kind == "heading"
        )

    @cached_property
    def plain_text(self) -> str:
        return "\n".join(block.text for block in self.blocks)

    def block_for_heading(self, slug: str) -> int:
        """Index of the block of the heading with this slug, or 0 when there is none."""
        for heading in self.headings:
            if heading.slug == slug:
                return heading.block_index
        return 0


class Hit(NamedTuple):
    section: Section
    block_index: int
    start: int  # where the match lies within the block's text (nowhere for a title)
    end: int
    snippet: str
    snippet_start: int  # where the match lies within the snippet
    snippet_end: int
    in_title: bool = False  # found in the section's title: the snippet is the title

    @property
    def context(self) -> str:
        """The section title and the heading the hit stands under."""
        heading = "" if self.in_title else self.section.blocks[self.block_index].heading
        return f"{self.section.title} › {heading}" if heading else self.section.title


def section_hit(section: Section) -> Hit:
    """A section's title as a hit with nothing marked: it opens the section at the top."""
    return Hit(section, 0, 0, 0, section.title, 0, 0, in_title=True)


class Guide:
    def __init__(
        self,
        sections: list[Section],
        directory: Path,
        countries: dict | None = None,
        country: str | None = None,
        cache_path: Path | None = None,
        search_words: dict[str, tuple[str, ...]] | None = None,
    ):
        self.sections = sorted(sections, key=lambda section: section.order)
        self.directory = directory
        self.countries = countries  # countries.Country by code; None if it names none
        self.country = country  # the code it is filled in for; None for no country yet
        self.cache_path = cache_path
        self.search_words = search_words or {}  # a family's word -> the guide's words
        self._by_id = {section.id: section for section in self.sections}

    def for_country(self, country: str | None) -> "Guide":
        """The guide filled in for another country (a plan's country code, or None); this
        guide itself if that would change nothing."""
        if self.countries is None or _known(self.countries, country) == self.country:
            return self
        return _filled_in(
            self.sections,
            self.directory,
            self.countries,
            country,
            self.cache_path,
            self.search_words,
        )

    def __getitem__(self, section_id: str) -> Section:
        return self._by_id[section_id]

    def __contains__(self, section_id: str) -> bool:
        return section_id in self._by_id

    def index_of(self, section_id: str) -> int:
        return self.sections.index(self._by_id[section_id])

    def search(self, query: str, limit: int = 200) -> list[Hit]:
        """Every place in the guide where the query's words stand together, whatever their
        endings, and the guide's own terms for a word families use; titles and headings
        first, case ignored."""
        return self._search_index.search(query, limit)

    def closest_sections(self, query: str, count: int = 3) -> list[Section]:
        """The sections whose title or headings come closest to the query, best first."""
        return self._search_index.closest_sections(query, count)

    @cached_property
    def _search_index(self) -> "SearchIndex":
        from tui.core.search import SearchIndex

        return SearchIndex(self.sections, self.search_words)


def slugify(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-")


def default_content_dir() -> Path:
    """The guide shipped with Kindred: inside the package when installed, else the checkout's."""
    package_dir = Path(__file__).resolve().parents[1]
    installed = package_dir / "content"
    return installed if installed.is_dir() else package_dir.parent / "content"


def default_cache_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("kindred")) / "guide.json"


def load_guide(
    directory: Path | None = None, cache_path: Path | None = None, country: str | None = None
) -> Guide:
    """The guide in directory (the shipped one by default), its placeholders filled in for
    the plan's country (a code such as "GB"; None while the plan has none). With a cache
    path, sections parsed before come from that file, and the file is brought up to date
    if it was not."""
    from tui.core.countries import load_countries

    directory = directory or default_content_dir()
    if not directory.is_dir():
        raise ContentError(
            f"The guide directory {shown_path(directory)} does not exist or is not a directory."
        )
    files = sorted(directory.glob("*.md"))
    if not files:
        raise ContentError(
            f"The guide directory {shown_path(directory)} has no Markdown (.md) files."
        )
    sections = [_load_section(path) for path in files]
    _check_unique(sections, "id")
    _check_unique(sections, "order")
    return _filled_in(
        sections,
        directory,
        load_countries(directory),
        country,
        cache_path,
        _load_search_words(directory / SEARCH_WORDS_FILE),
    )


def _filled_in(
    sections: list[Section],
    directory: Path,
    countries: dict | None,
    country: str | None,
    cache_path: Path | None,
    search_words: dict[str, tuple[str, ...]],
) -> Guide:
    """The guide with the placeholders of each section's template filled in for the country."""
    from tui.core.countries import render

    country = _known(countries, country)
    filled = [
        replace(
            section,
            body=render(section.template, section.path, countries, country),
            cached_blocks=None,
        )
        for section in sections
    ]
    if cache_path is not None:
        _use_cache(filled, cache_path)
    return Guide(filled, directory, countries, country, cache_path, search_words)


def _known(countries: dict | None, country: str | None) -> str | None:
    """The country code if the guide has a file for it, else None (no country yet)."""
    return country if countries and country in countries else None


def _use_cache(sections: list[Section], path: Path) -> None:
    cached = _read_cache(path)
    for section in sections:
        section.cached_blocks = cached.get(section.body)
    if any(section.cached_blocks is None for section in sections):
        parsed = {
            section.body: [_block_to_cache(block) for block in section.blocks]
            for section in sections
        }
        # The sections as filled in for another country stay too (the newest first), so
        # that a plan whose country is not the locale's does not make every start parse.
        others = [(body, blocks) for body, blocks in cached.items() if body not in parsed]
        parsed.update(others[: len(sections) * CACHE_OTHER_FILLINGS])
        payload = json.dumps({"format": CACHE_FORMAT, "sections": parsed}).encode()
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_private_file(path, payload)
        except OSError:
            pass  # the guide is read all the same, only not faster next time


def _read_cache(path: Path) -> dict[str, list]:
    """Parsed blocks by section text; empty when the file is missing, not one of ours, or
    could have been written by someone else (the guide holds safety advice)."""
    raw = read_own_file(path)
    if raw is None:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
        return {}
    sections = data.get("sections")
    return sections if isinstance(sections, dict) else {}


def _block_to_cache(block: Block) -> list:
    spans = [[span.text, span.bold, span.italic, span.code] for span in block.spans]
    return [block.kind, block.level, block.marker, block.heading, spans]


def _block_from_cache(cached: list) -> Block:
    kind, level, marker, heading, spans = cached
    if kind not in BLOCK_KINDS or type(level) is not int:
        raise ValueError(kind)
    return Block(
        kind,
        tuple(_span_from_cache(span) for span in spans),
        level,
        _cached_text(marker),
        _cached_text(heading),
    )


def _span_from_cache(cached: list) -> Span:
    text, bold, italic, code = cached
    if not all(type(flag) is bool for flag in (bold, italic, code)):
        raise ValueError(cached)
    return Span(_cached_text(text), bold, italic, code)


def _cached_text(text: object) -> str:
    """Text as the parser left it: nothing a terminal would act on."""
    if not isinstance(text, str) or visible(text, multiline=True) != text:
        raise ValueError(text)
    return text


def _check_unique(sections: list[Section], key: str) -> None:
    seen: dict[object, Path] = {}
    for section in sections:
        value = getattr(section, key)
        if value in seen:
            raise ContentError(
                f"{shown_path(section.path)}: {key} {value!r} is already used by "
                f"{shown_path(seen[value].name)}."
            )
        seen[value] = section.path


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError(f"{shown_path(path)}: is not UTF-8 text.") from None
    except OSError as error:
        raise ContentError(f"{shown_path(path)}: cannot be read ({error.strerror}).") from None


def _load_search_words(path: Path) -> dict[str, tuple[str, ...]]:
    """The words families type and the guide's words for the same things, one line each:
    "rehab, rehab center: residential, inpatient". Empty without the file."""
    if not path.exists():
        return {}
    words: dict[str, tuple[str, ...]] = {}
    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{path}, line {number}"
        family, colon, guide = line.partition(":")
        if not colon or ":" in guide:
            raise ContentError(
                f"{where}: expected the family's words, a colon, then the guide's words, "
                f"got {line!r}."
            )
        terms = _word_list(where, guide, "after the colon")
        for word in _word_list(where, family, "before the colon"):
            words[word] = words.get(word, ()) + terms
    return words


def _word_list(where: str, text: str, side: str) -> tuple[str, ...]:
    items = [" ".join(item.split()) for item in text.split(",")]
    for item in items:
        if not item:
            raise ContentError(f"{where}: a word is missing {side}.")
        if not any(character.isalnum() for character in item):
            raise ContentError(f"{where}: {item!r} {side} has no letter or digit in it.")
    return tuple(item.casefold() for item in items)


def _load_section(path: Path) -> Section:
    text = _read_text(path)
    meta, body = _split_front_matter(path, text)
    missing = [key for key in FRONT_MATTER_KEYS if not meta.get(key)]
    if missing:
        raise ContentError(f"{shown_path(path)}: the front matter has no {', '.join(missing)}.")
    try:
        order = int(meta["order"])
    except ValueError:
        problem = f"order must be a whole number, not {meta['order']!r}"
        raise ContentError(f"{shown_path(path)}: {problem}.") from None
    return Section(
        id=visible(meta["id"]),
        title=visible(meta["title"]),
        order=order,
        body=body,
        path=path,
        template=body,
    )


def _split_front_matter(path: Path, text: str) -> tuple[dict[str, str], str]:
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        raise ContentError(f"{shown_path(path)}: does not start with front matter (a line '---').")
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    except StopIteration:
        raise ContentError(
            f"{shown_path(path)}: the front matter is not closed by a line '---'."
        ) from None
    meta = {}
    for number, line in enumerate(lines[1:end], start=2):
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        if not colon:
            raise ContentError(
                f"{shown_path(path)}, line {number}: expected 'key: value', got {line!r}."
            )
        meta[key.strip()] = _unquote(value.strip())
    return meta, "\n".join(lines[end + 1 :]).strip() + "\n"


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


@cache
def _markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def _parse_blocks(body: str) -> tuple[Block, ...]:
    blocks: list[Block] = []
    list_stack: list[list[int]] = []  # per open list: [next number] or [] for bullets
    quote_depth = 0
    pending_marker = ""
    heading = ""
    tokens = _markdown().parse(body)
    for position, token in enumerate(tokens):
        if token.type == "bullet_list_open":
            list_stack.append([])
        elif token.type == "ordered_list_open":
            list_stack.append([int(token.attrGet("start") or 1)])
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_stack.pop()
        elif token.type == "list_item_open":
            counter = list_stack[-1]
            if counter:
                pending_marker = f"{counter[0]}."
                counter[0] += 1
            else:
                pending_marker = "•"
        elif token.type == "list_item_close" and pending_marker:
            blocks.append(
                Block("item", (), level=len(list_stack), marker=pending_marker, heading=heading)
            )
            pending_marker = ""
        elif token.type == "blockquote_open":
            quote_depth += 1
        elif token.type == "blockquote_close":
            quote_depth -= 1
        elif token.type == "inline":
            opener = tokens[position - 1]
            spans = _inline_spans(token)
            if opener.type == "heading_open":
                heading = "".join(span.text for span in spans)
                blocks.append(Block("heading", spans, level=int(opener.tag[1])))
            elif pending_marker:
                blocks.append(
                    Block(
                        "item", spans, level=len(list_stack), marker=pending_marker, heading=heading
                    )
                )
                pending_marker = ""
            else:
                kind = "quote" if quote_depth else "paragraph"
                if list_stack:
                    kind = "item"  # a further paragraph of a list item
                blocks.append(Block(kind, spans, level=len(list_stack), heading=heading))
        elif token.type in ("fence", "code_block"):
            code = visible(token.content.rstrip("\n"), multiline=True)
            blocks.append(Block("code", (Span(code, code=True),), heading=heading))
        elif token.type == "hr":
            blocks.append(Block("rule", (), heading=heading))
    return tuple(blocks)


def _inline_spans(token) -> tuple[Span, ...]:
    spans: list[Span] = []
    bold = italic = False
    for child in token.children or ():
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
        elif child.type in ("text", "html_inline"):
            spans.append(Span(visible(child.content), bold, italic))
        elif child.type == "code_inline":
            spans.append(Span(visible(child.content), bold, italic, code=True))
        elif child.type == "softbreak":
            spans.append(Span(" ", bold, italic))
        elif child.type == "hardbreak":
            spans.append(Span("\n", bold, italic))
    return tuple(_merge(spans))


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in spans:
        previous = merged[-1] if merged else None
        if previous and (previous.bold, previous.italic, previous.code) == (
            span.bold,
            span.italic,
            span.code,
        ):
            merged[-1] = Span(previous.text + span.text, span.bold, span.italic, span.code)
        else:
            merged.append(span)
    return merged
