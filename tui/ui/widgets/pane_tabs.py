"""The row of tabs at the top: which part is on screen, and a click to show another; on its
right, the two keys that must always be in sight, safety and hiding the screen (the key bar
along the bottom cuts off what does not fit).

One small widget rather than Textual's Tabs (a container of several widgets with an animated
underline): it is drawn in the first frame at almost no cost, and never animates.
"""

from textual import events
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from tui.ui.messages import ShowPane

PANES = (("guide", "F2 Guide"), ("plan", "F3 Plan"), ("rehearse", "F4 Rehearse"))
GAP = 1
ALWAYS_IN_SIGHT = (("F5", "Safety"), ("F12", "Hide"))


class PaneTabs(Widget):
    current = reactive("guide")

    def _spans(self) -> list[tuple[str, int, int]]:
        """Each pane with the columns its label takes (padded by a space each side)."""
        spans, x = [], GAP
        for pane, label in PANES:
            width = len(label) + 2
            spans.append((pane, x, x + width))
            x += width + GAP
        return spans

    def render(self) -> Content:
        width = self.content_region.width
        labels = Content(" " * GAP)
        line = Content.styled("━" * width, "$foreground 15%")
        for (pane, start, end), (_, label) in zip(self._spans(), PANES, strict=True):
            chosen = pane == self.current
            labels += Content.styled(f" {label} ", "bold" if chosen else "$text-muted")
            labels += " " * GAP
            if chosen:
                line = line.stylize("$accent", start, min(end, width))
        keys = Content("  ").join(
            Content.assemble((key, "bold $text-warning"), " ", description)
            for key, description in ALWAYS_IN_SIGHT
        )
        if labels.cell_length + keys.cell_length + GAP <= width:
            labels += " " * (width - labels.cell_length - keys.cell_length - GAP) + keys
        return Content("\n").join([labels, line])

    def watch_current(self) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        for pane, start, end in self._spans():
            if start <= event.x < end:
                self.post_message(ShowPane(pane))
