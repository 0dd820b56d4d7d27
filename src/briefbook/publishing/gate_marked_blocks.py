"""Blocks of a page's source marked on their own, found by reading the source itself.

The final gate (:mod:`.gate`) must not trust the build it checks, so it finds the withheld
portions of a kept page again, from the page's text: every ``{marking}`` directive and
every directive with a ``:marking:`` option, at any depth. MyST pages are parsed with
MyST's own Markdown parser (so a fence inside a code block is not a portion), reST pages
by indentation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any


def marked_blocks(text: str, suffix: str, extensions: Iterable[str] = ()) -> Iterator[
        tuple[int, str, str]]:
    """``(line, marking, source lines)`` of every block of a page marked on its own:
    ``{marking}`` directives and directives with a ``:marking:`` option, at any depth
    (MyST pages are parsed with MyST's own Markdown parser; reST by indentation)."""
    if suffix == ".rst":
        yield from _rst_marked_blocks(text)
    else:
        yield from _myst_marked_blocks(text.splitlines(), 0, frozenset(extensions))


@lru_cache(maxsize=4)
def _markdown(extensions: frozenset[str]) -> Any:
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    known = {"colon_fence", "deflist", "fieldlist", "dollarmath", "amsmath", "tasklist",
             "substitution", "html_admonition", "html_image", "linkify", "replacements",
             "smartquotes", "strikethrough", "attrs_inline", "attrs_block"}
    try:
        config = MdParserConfig(enable_extensions=set(extensions) & known - {"linkify"})
    except Exception:
        config = MdParserConfig(enable_extensions={"colon_fence"})
    return create_md_parser(config, RendererHTML)


def _directive_marking(info: str, content: str) -> str:
    """The marking of a directive fence (``{marking} LEVEL`` or a ``:marking:`` option)."""
    name, _, argument = info.strip()[1:].partition("}")
    if name.strip() == "marking":
        return argument.strip() or "?"
    lines = content.splitlines()
    if lines and lines[0].strip() == "---":  # options as a YAML block
        for line in lines[1:]:
            if line.strip() == "---":
                break
            key, _, value = line.partition(":")
            if key.strip() == "marking":
                return value.strip().strip("'\"") or "?"
        return ""
    for line in lines:
        match = re.match(r"\s*:([\w-]+):\s*(.*)$", line)
        if not match:
            break
        if match.group(1) == "marking":
            return match.group(2).strip() or "?"
    return ""


def _myst_marked_blocks(lines: list[str], offset: int, extensions: frozenset[str]) -> Iterator[
        tuple[int, str, str]]:
    for token in _markdown(extensions).parse("\n".join(lines)):
        if token.type not in ("fence", "colon_fence") or token.map is None:
            continue
        info = token.info.strip()
        if not info.startswith("{"):
            continue
        start, end = token.map
        marking = _directive_marking(info, token.content)
        if marking:
            yield offset + start + 1, marking, "\n".join(lines[start:end])
        else:  # a kept block may hold a withheld one
            yield from _myst_marked_blocks(token.content.splitlines(), offset + start + 1,
                                           extensions)


def _rst_marked_blocks(text: str) -> Iterator[tuple[int, str, str]]:
    lines = text.splitlines()
    directive = re.compile(r"^(\s*)\.\.\s+([\w:-]+)::\s*(.*)$")
    for index, line in enumerate(lines):
        match = directive.match(line)
        if not match:
            continue
        indent = len(match.group(1))
        end = index + 1
        while end < len(lines) and (not lines[end].strip()
                                    or len(lines[end]) - len(lines[end].lstrip()) > indent):
            end += 1
        body = lines[index:end]
        marking = match.group(3).strip() if match.group(2) == "marking" else ""
        if not marking:
            for option in body[1:]:
                found = re.match(r"\s*:marking:\s*(.*)$", option)
                if found:
                    marking = found.group(1).strip() or "?"
                    break
                if option.strip() and not re.match(r"\s*:[\w-]+:", option):
                    break
        if marking:
            yield index + 1, marking, "\n".join(body)
