"""Rules for NO_COLOR that belong to the list screens (pickers), added to their CSS.

With NO_COLOR Textual turns every color to grey: the highlighted option must stand out
by reverse video and bold rather than by color. Kept here, with the screens that show
an OptionList, so that the board's first frame does not parse them.
"""

OPTION_LIST_NO_COLOR = """
        OptionList:nocolor > .option-list--option-highlighted { text-style: reverse bold; }
"""
