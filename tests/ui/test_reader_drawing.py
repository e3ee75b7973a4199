"""The reader draws only the lines on screen, so a long section turns as fast as a short one."""

from textual.visual import Visual

from tui.ui.widgets import reader


async def test_a_long_section_draws_only_the_lines_on_screen(make_app, monkeypatch):
    drawn = []

    class CountingVisual:
        @staticmethod
        def to_strips(widget, visual, width, height, style):
            drawn.append(height)
            return Visual.to_strips(widget, visual, width, height, style)

    app = make_app()
    monkeypatch.setattr(reader, "Visual", CountingVisual)
    async with app.run_test(size=(80, 24)) as pilot:
        shown = app.main_screen.guide_pane.reader
        longest = max(app.guide.sections, key=lambda section: len(section.blocks))
        await pilot.pause()
        drawn.clear()
        await shown.show(longest)
        await pilot.pause()
        assert shown.text.size.height > 3 * shown.size.height  # the section is long
        assert 0 < sum(drawn) <= shown.size.height
        drawn.clear()
        shown.focus()
        await pilot.press("pagedown")
        await pilot.pause()
        assert 0 < sum(drawn) <= shown.size.height
