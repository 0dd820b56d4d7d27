"""Long literal word lists kept readable in source.

Gazetteer regions, title words, speech verbs: lists of a hundred words read best as a
paragraph of text; :func:`words` turns one into the list it means.  (A literal
``"...".split()`` would do the same, but linters rewrite it into an unreadable list.)
"""

from __future__ import annotations


def words(text: str) -> list[str]:
    """The whitespace-separated words of ``text``."""
    return text.split()
