"""Plain Python, never Textual: the guide, the plan, editing, rehearsal, storage, export."""
