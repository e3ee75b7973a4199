"""Nothing said "saved" that is not on disk, and nothing typed or pasted holds up the screen."""

import time

from textual import events

from tui.core.plan import LONG_TEXT_LIMIT, NAME_LIMIT
from tui.ui.widgets.record_form import RecordForm


def shown_notifications(app) -> str:
    return "\n".join(str(toast.render()) for toast in app.screen.query("Toast"))


async def test_a_huge_paste_is_cut_to_the_field_and_later_keys_stay_quick(make_app, tmp_path):
    app = make_app(data_path=tmp_path / "plan.json")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f3", "a", *"Anna")
        form = app.query_one(RecordForm)
        name = form.query_one("#field-name")
        name.post_message(events.Paste("x" * 5_000))
        await pilot.pause()
        assert len(name.value) == NAME_LIMIT
        statement = form.query_one("#field-statement")
        statement.focus()
        await pilot.press(*"I love you. ")
        statement.post_message(events.Paste("We are scared for you. " * 50_000))  # over 1 MB
        await pilot.pause()
        assert len(statement.value) == LONG_TEXT_LIMIT
        assert statement.value.startswith("I love you. We are scared")
        assert f"holds at most {LONG_TEXT_LIMIT:,} characters" in shown_notifications(app)
        started = time.monotonic()
        await pilot.press("end", "!")
        await pilot.pause()
        assert time.monotonic() - started < 1.0  # 2.5 s a key with the whole paste
