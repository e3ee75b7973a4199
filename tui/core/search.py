"""Search over the guide: words match whatever their ending, the words families type find the
guide's own terms, titles and headings come first, and when nothing is found the closest
sections are offered instead.

The guide's words are gathered at the first search, not at start-up.
"""

import re
from functools import cache
from itertools import islice
from typing import NamedTuple

from tui.core.guide import Hit, Section

SNIPPET_CONTEXT = 32
SOURCES_HEADING = "Sources"
TITLE, HEADING, TEXT, SOURCES = range(4)  # where a hit is found, in the order hits are listed
CLOSE_WORD = 0.7  # how alike two words must be (the pairs of letters they share)
CLOSEST_WORDS = 12  # the query's words weighed to suggest sections; beyond, a pasted text

WORD = re.compile(r"\w+(?:['’]\w+)*")
VOWELS = re.compile("[aeiouy]+")

Phrase = tuple[str, ...]  # the stems of a word or a phrase


@cache
def stem(word: str) -> str:
    """The word without the endings that do not change what it is about, so that
    "refuse", "refused", "refuses", "refusing" and "refusal" all give "refus"."""
    word = word.casefold().replace("’", "'").removesuffix("'s")
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies"):
        word = word[:-3] + "y" if len(word) > 4 else word[:-1]  # families, but dies
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ied"):
        word = word[:-3] + "y" if len(word) > 4 else word[:-1]  # worried, but died
    elif word.endswith("eed"):
        word = word[:-1] if len(word) > 5 else word  # agreed, but need
    elif word.endswith(("ed", "ing")):
        word = _without_verb_ending(word)
    elif word.endswith(("sal", "val", "wal", "rral")) and len(word) > 6:
        word = word[:-3] if word.endswith("rral") else word[:-2]  # refusal, referral
    if len(word) >= 5 and word.endswith("e") and not word.endswith("ee"):
        word = word[:-1]  # refuse, like refused
    return word


def _without_verb_ending(word: str) -> str:
    base = word[:-2] if word.endswith("ed") else word[:-3]
    if len(base) < 2 or not VOWELS.search(base, 1 if base[0] == "y" else 0):
        return word  # red, thing, bring
    if len(base) == 2 and base[1] == "y":
        return base[0] + "ie"  # dying, lying
    if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "aeioulsz":
        return base[:-1]  # stopped, planning; but calling, missed, added
    vowels = VOWELS.findall(base)
    one_short_vowel = len(vowels) == 1 and len(vowels[0]) == 1
    if (
        one_short_vowel
        and len(base) <= 4
        and base[-1] not in "aeiouwxy"
        and (len(base) == 2 or base[-2] in "aeiou")
    ):
        return base + "e"  # using, hoping, giving
    return base


def phrase_of(text: str) -> Phrase:
    return tuple(map(stem, WORD.findall(text)))


class Place(NamedTuple):
    """A section's title or one of its blocks."""

    section: Section
    block_index: int  # 0 for the title: a title hit opens its section at the top
    text: str
    kind: int  # TITLE, HEADING, TEXT or SOURCES


class SearchIndex:
    def __init__(self, sections: list[Section], search_words: dict[str, tuple[str, ...]]):
        self.places: list[Place] = []
        for section in sections:
            self.places.append(Place(section, 0, section.title, TITLE))
            for index, block in enumerate(section.blocks):
                if block.kind == "heading":
                    kind = HEADING
                else:
                    kind = SOURCES if block.heading == SOURCES_HEADING else TEXT
                self.places.append(Place(section, index, block.text, kind))
        self.words = [phrase_of(place.text) for place in self.places]
        self.word_sets = [set(words) for words in self.words]
        self.terms: dict[Phrase, tuple[Phrase, ...]] = {}  # a family's words -> the guide's
        for family, guide_words in search_words.items():
            phrase = phrase_of(family)
            self.terms[phrase] = self.terms.get(phrase, ()) + tuple(map(phrase_of, guide_words))
        self.heading_words = [(section, _heading_words(section)) for section in sections]
        self.naming: dict[str, int] = {}  # each word of the titles and headings: in how many
        for _, words in self.heading_words:
            for word in words:
                self.naming[word] = self.naming.get(word, 0) + 1

    def search(self, query: str, limit: int) -> list[Hit]:
        """Every place where the query's words stand together (or the guide's words for
        them), titles first, then headings, the text, and the sources."""
        phrase = phrase_of(query)
        if not phrase or limit <= 0:
            return []
        found = {
            match for term in (phrase, *self.terms.get(phrase, ())) for match in self._find(term)
        }
        matches: list[tuple[int, int, int]] = []
        for match in sorted(found, key=lambda m: (m[0], m[1], -m[2])):
            if matches and matches[-1][0] == match[0] and match[1] < matches[-1][2]:
                continue  # inside a longer match of another term
            matches.append(match)
        matches.sort(key=lambda m: (self.places[m[0]].kind, m[0], m[1]))
        return [self._hit(*match) for match in matches[:limit]]

    def _find(self, term: Phrase) -> list[tuple[int, int, int]]:
        """Where a word or a phrase occurs: place, first word, word after the last."""
        found = []
        for number, words in enumerate(self.words):
            if term[0] in self.word_sets[number]:
                for position, word in enumerate(words):
                    if word == term[0] and words[position : position + len(term)] == term:
                        found.append((number, position, position + len(term)))
        return found

    def _hit(self, number: int, first: int, after: int) -> Hit:
        """The hit on words first to after (not included) of a place."""
        place = self.places[number]
        spans = [match.span() for match in islice(WORD.finditer(place.text), after)]
        start, end = spans[first][0], spans[-1][1]
        snippet, snippet_start, snippet_end = _snippet(place.text, start, end)
        if place.kind == TITLE:
            return Hit(place.section, 0, 0, 0, snippet, snippet_start, snippet_end, True)
        return Hit(
            place.section, place.block_index, start, end, snippet, snippet_start, snippet_end
        )

    def closest_sections(self, query: str, count: int) -> list[Section]:
        """Sections whose title or headings share words with the query, or have words
        close to its words, best first; none when nothing comes close."""
        words = phrase_of(query)[:CLOSEST_WORDS]
        wanted = {word for word in words if len(word) > 2}  # not "if", "of", "he"
        for word in words:
            for term in self.terms.get((word,), ()):
                wanted.update(term)
        likeness = [_likeness(want, self.naming) for want in wanted]
        scored = []
        for section, names in self.heading_words:
            score = sum(
                max((alike.get(name, 0.0) for name in names), default=0.0) for alike in likeness
            )
            if score > 0:
                scored.append((score, section))
        scored.sort(key=lambda item: -item[0])  # in guide order where scores are equal
        return [section for score, section in scored[:count] if score >= scored[0][0] / 2]


def _heading_words(section: Section) -> set[str]:
    """The words of a section's title and headings, but not of its list of sources."""
    words = set(phrase_of(section.title))
    for heading in section.headings:
        if heading.text != SOURCES_HEADING:
            words.update(phrase_of(heading.text))
    return words


def _likeness(wanted: str, naming: dict[str, int]) -> dict[str, float]:
    """How much each word of the titles and headings that is alike to the wanted word
    counts: its likeness (1 for the same word), shared among the sections naming it."""
    pairs = _letter_pairs(wanted)
    alike = {}
    for word, sections in naming.items():
        if word == wanted:
            alike[word] = 1.0 / sections
            continue
        other = _letter_pairs(word)
        likeness = 2 * len(pairs & other) / (len(pairs) + len(other))
        if likeness >= CLOSE_WORD:
            alike[word] = likeness / sections
    return alike


@cache
def _letter_pairs(word: str) -> frozenset[str]:
    """The pairs of letters side by side in a word: a misspelt word keeps most of them."""
    return frozenset(word[index : index + 2] for index in range(max(1, len(word) - 1)))


def _snippet(text: str, start: int, end: int) -> tuple[str, int, int]:
    """A short piece of text around a match, cut at spaces, and where the match lies in it."""
    first = max(0, start - SNIPPET_CONTEXT)
    last = min(len(text), end + SNIPPET_CONTEXT)
    if first > 0:
        space = text.find(" ", first, start)
        first = space + 1 if space != -1 else first
    if last < len(text):
        space = text.rfind(" ", end, last)
        last = space if space != -1 else last
    prefix = "…" if first > 0 else ""
    suffix = "…" if last < len(text) else ""
    offset = len(prefix) - first
    return prefix + text[first:last] + suffix, start + offset, end + offset
