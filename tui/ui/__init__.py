"""The Textual app: its screens, widgets, styles and command-palette providers."""
