"""``briefbook ingest``: from a raw article to an annotated briefing page.

The work is split one concept per module so each can be tested (and replaced) alone:

* :mod:`.reader` turns bytes into an :class:`~.model.Article` (metadata, paragraphs,
  pull quotes) and refuses what it cannot read with a message naming file and line;
* :mod:`.linker` finds registry entities with one Aho-Corasick pass per paragraph;
* :mod:`.quotes` finds quotations and attributes them to a speaker;
* :mod:`.candidates` proposes entities the registry lacks, offline;
* :mod:`.writer` renders MyST in which article text can never become live markup;
* :mod:`.bibtex` appends the article's own source entry;
* :mod:`.pipeline` runs a batch with progress, summary and exit codes.
"""

from __future__ import annotations

from briefbook.ingest.model import Analysis, Article, IngestError
from briefbook.ingest.pipeline import analyse_text, ingest_paths

__all__ = ["Analysis", "Article", "IngestError", "analyse_text", "ingest_paths"]
