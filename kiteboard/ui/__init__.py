"""The Textual user interface: screens, widgets, styles."""
