"""Things at places in an article's text, found by place.

Recognising names and attributing quotes keep asking "which names lie inside this
stretch?", "does this span overlap one already taken?", "who is named just before
here?".  Answered by walking every name of the article, each question costs what the
article holds, and a long article (or one long paragraph) costs the square of its
length: a 5 MB article did not finish in minutes.  A :class:`SpanIndex` keeps each
paragraph's spans sorted by where they start, so each question is a bisection and a
walk over the few spans that start close enough to matter (no span is longer than the
longest one added, which bounds how far back to look).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class SpanIndex(Generic[T]):
    """Items placed at ``(paragraph, start, end)``; spans may be added at any time.

    Items that start at the same place come back in the order they were added."""

    def __init__(self, spans: Iterable[tuple[int, int, int, T]] = ()) -> None:
        self._keys: dict[int, list[tuple[int, int]]] = {}  # (start, order added)
        self._rows: dict[int, list[tuple[int, int, T]]] = {}  # (start, end, item)
        self._longest: dict[int, int] = {}
        self._added = 0
        for paragraph, start, end, item in sorted(spans, key=lambda span: (span[0], span[1])):
            self.add(paragraph, start, end, item)

    def add(self, paragraph: int, start: int, end: int, item: T) -> None:
        keys = self._keys.setdefault(paragraph, [])
        key = (start, self._added)
        self._added += 1
        index = bisect.bisect_right(keys, key)
        keys.insert(index, key)
        self._rows.setdefault(paragraph, []).insert(index, (start, end, item))
        self._longest[paragraph] = max(self._longest.get(paragraph, 0), end - start)

    def starting(self, paragraph: int, low: int, high: int | None = None) -> Iterator[T]:
        """Items that start at ``low`` or later and before ``high`` (None: anywhere
        after), in order of start."""
        for _, _, item in self._from(paragraph, low, high):
            yield item

    def overlapping(self, paragraph: int, start: int, end: int) -> Iterator[T]:
        """Items that share at least one character with ``start``–``end``."""
        for _, found_end, item in self._from(paragraph, start - self._reach(paragraph), end):
            if found_end > start:
                yield item

    def overlaps(self, paragraph: int, start: int, end: int) -> bool:
        return any(found_end > start for _, found_end, _ in
                   self._from(paragraph, start - self._reach(paragraph), end))

    def containing(self, paragraph: int, start: int, end: int) -> Iterator[T]:
        """Items whose span holds the whole of ``start``–``end``."""
        for _, found_end, item in self._from(paragraph, start - self._reach(paragraph),
                                             start + 1):
            if found_end >= end:
                yield item

    def covers(self, paragraph: int, start: int, end: int) -> bool:
        """Whether some item's span holds the whole of ``start``–``end``."""
        return any(found_end >= end for _, found_end, _ in
                   self._from(paragraph, start - self._reach(paragraph), start + 1))

    def ending(self, paragraph: int, end: int) -> Iterator[T]:
        """Items that end exactly at ``end``."""
        for _, found_end, item in self._from(paragraph, end - self._reach(paragraph), end + 1):
            if found_end == end:
                yield item

    def _reach(self, paragraph: int) -> int:
        return self._longest.get(paragraph, 0)

    def _from(self, paragraph: int, low: int, high: int | None) -> Iterator[tuple[int, int, T]]:
        keys = self._keys.get(paragraph)
        if not keys:
            return
        rows = self._rows[paragraph]
        for index in range(bisect.bisect_left(keys, (low, -1)), len(keys)):
            if high is not None and keys[index][0] >= high:
                return
            yield rows[index]
