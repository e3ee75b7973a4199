"""The row of keys along the bottom: Textual's Footer, letting go of the keys it showed before.

The footer builds its key widgets anew whenever the keys change (every move of the focus),
and each key stays referenced by a watcher on the footer's `compact` setting until that
setting is set again, which never happens here: without this, every key ever shown would be
kept for as long as the app runs. test_keys_the_key_bar_no_longer_shows_are_let_go fails if
Textual's footer changes so that this no longer lets them go.
"""

from textual.widgets import Footer


class KeyBar(Footer):
    async def recompose(self) -> None:
        await super().recompose()
        # Setting `compact` again runs its watchers, which first drops those of removed keys.
        self.mutate_reactive(Footer.compact)
