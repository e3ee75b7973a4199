"""Command palette entries: guide sections, people and actions, found by name.

Names are shown literally: Textual's own highlighter would read them as markup.
"""

from collections.abc import Awaitable, Callable, Iterator

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

Entry = tuple[str, Callable[[], Awaitable[None] | None]]

# Longer entries (a guide's title can be any length) are cut: the time Textual's fuzzy
# matching takes grows very fast with the length of the text it searches, and a cut entry
# still shows more than a line of the palette.
LONGEST_ENTRY = 100


def shortened(text: str) -> str:
    return text if len(text) <= LONGEST_ENTRY else text[: LONGEST_ENTRY - 1] + "…"


def literal_highlight(matcher, text: str) -> Content:
    """Like Matcher.highlight, but the text is never parsed as markup."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if score:
        for offset in offsets:
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class LiteralProvider(Provider):
    """Finds entries by fuzzy match on their plain-text names."""

    def entries(self) -> Iterator[Entry]:
        raise NotImplementedError

    def shortened_entries(self) -> Iterator[Entry]:
        for text, command in self.entries():
            yield shortened(text), command

    async def discover(self) -> Hits:
        for text, command in self.shortened_entries():
            yield DiscoveryHit(Content(text), command, text=text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, command in self.shortened_entries():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, literal_highlight(matcher, text), command, text)


class GuideSections(LiteralProvider):
    def entries(self) -> Iterator[Entry]:
        for section in self.app.guide.sections:
            yield f"Guide: {section.title}", self._opener(section.id)

    def _opener(self, section_id: str):
        async def open_section() -> None:
            await self.app.main_screen.open_guide(section_id)

        return open_section


class PlanPeople(LiteralProvider):
    def entries(self) -> Iterator[Entry]:
        session = self.app.session
        if session is None:
            return
        for person in session.plan.people:
            name = person["name"] or "(unnamed person)"
            yield f"Plan: {name}", self._opener(person["id"])
            yield f"Rehearse: {name}", self._rehearser(person["id"])

    def _opener(self, person_id: str):
        def open_person() -> None:
            from tui.ui.widgets.plan_pane import ListEntry  # loaded with the plan, not sooner

            self.app.main_screen.open_plan_entry(ListEntry("record", "people", person_id))

        return open_person

    def _rehearser(self, person_id: str):
        def rehearse() -> None:
            self.app.main_screen.rehearse(person_id)

        return rehearse


class Actions(LiteralProvider):
    def entries(self) -> Iterator[Entry]:
        seen = {"", "Find anything"}
        for binding in self.app.BINDINGS:
            if binding.description not in seen:
                seen.add(binding.description)
                yield binding.description, self._runner(binding.action)
        yield "Changes: who changed what", self._changes
        yield "Export for printing", self._exporter("html")
        yield "Export to calendar", self._exporter("ics")

    def _exporter(self, fmt: str):
        def export() -> None:
            from tui.ui.screens.export import ask_and_export  # loaded when first used

            ask_and_export(self.app, fmt)

        return export

    def _changes(self) -> None:
        self.app.main_screen.show_changes()

    def _runner(self, action: str):
        async def run() -> None:
            await self.app.run_action(action)

        return run
