"""CSS shared by the screens that show a list (the space, theme and profile pickers).

Kept with those screens (added to their DEFAULT_CSS, parsed when one is first shown) so
that the board's first frame does not parse it.
"""

# With NO_COLOR Textual turns every color to grey: the highlighted option must stand
# out by reverse video and bold rather than by color.
OPTION_LIST_NO_COLOR = """
        OptionList:nocolor > .option-list--option-highlighted { text-style: reverse bold; }
"""


def list_box_css(screen: str, prefix: str, width: int) -> str:
    """A modal box of `width` cells centred on `screen`: #<prefix>-box holding a title,
    a list and a hint (the theme and profile pickers)."""
    return (
        f"""
        {screen} {{
            align: center middle;
        }}
        #{prefix}-box {{
            width: {width};
            max-width: 100%;
            height: auto;
            max-height: 90%;
            border: round $primary;
            background: $surface;
            padding: 0 1;
        }}
        #{prefix}-title {{
            text-style: bold;
            padding: 0 0 1 0;
        }}
        #{prefix}-list {{
            height: auto;
            max-height: 1fr;
            border: none;
            padding: 0;
        }}
        #{prefix}-hint {{
            color: $text-muted;
            margin: 1 0 0 0;
        }}
"""
        + OPTION_LIST_NO_COLOR
    )
