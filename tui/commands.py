"""Command palette entries: guide sections by title (shown literally, never as markup)."""

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content


def literal_highlight(matcher, text: str) -> Content:
    """Like Matcher.highlight, but the text is never parsed as markup."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if score:
        for offset in offsets:
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class GuideSections(Provider):
    def _sections(self):
        app = self.app
        for section in app.guide.sections:
            yield f"Guide: {section.title}", section.id

    async def discover(self) -> Hits:
        for text, section_id in self._sections():
            yield DiscoveryHit(Content(text), self._opener(section_id), text=text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, section_id in self._sections():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, literal_highlight(matcher, text), self._opener(section_id), text)

    def _opener(self, section_id: str):
        async def open_section() -> None:
            await self.app.open_guide(section_id)

        return open_section
