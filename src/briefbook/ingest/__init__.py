"""``briefbook ingest``: from a raw article to an annotated briefing page.

The work is split one concept per module so each can be tested (and replaced) alone.

Reading an article (bytes to an :class:`~.model.Article`, refusing what cannot be read
with a message naming file and line):

* :mod:`.reader` reads a file, text or saved page; :mod:`.web` reads web pages and URLs,
  with :mod:`.web_page` reading the markup (headline, site name, bylines, the body's ends);
* :mod:`.decoding` (encodings, limits), :mod:`.parsing` (text to an article, putting
  together :mod:`.metadata_lines`, :mod:`.header` with :mod:`.furniture`,
  :mod:`.paragraphs`), and what they share: :mod:`.dates`, :mod:`.sentences`,
  :mod:`.publishers`, :mod:`.bylines`.

Analysing it:

* :mod:`.recognition` finds people, places and organisations (rules, or a spaCy model
  corrected by them), with :mod:`.name_patterns` (titles, labels, name shapes, shared
  with linking and attribution) and :mod:`.name_corrections` (article-wide fixes);
* :mod:`.linker` finds registry entities with one Aho-Corasick pass per paragraph;
* :mod:`.quotes` attributes quotations (:mod:`.quote_marks` finds them,
  :mod:`.speech_patterns` and :mod:`.speakers` say who spoke); :mod:`.syntax` reads a
  model's parse;
* :mod:`.candidates` proposes entities the registry lacks, offline; :mod:`.variants`
  groups the forms of one name; :mod:`.gazetteer` and :mod:`.wordlists` are the data.

Writing it:

* :mod:`.writer` renders MyST in which article text can never become live markup;
* :mod:`.bibtex` appends the article's own source entry; :mod:`.merge` and
  :mod:`.update` refresh an article the book already holds; :mod:`.journal` completes
  an interrupted run;
* :mod:`.stubs` appends unreviewed registry stubs (``--add-candidates``), as planned by
  :mod:`.stub_plan` with roles from :mod:`.stub_roles`;
* :mod:`.pipeline` runs a batch with progress, summary and exit codes, over the inputs
  :mod:`.inputs` expands; :mod:`.metadata` holds the batch's ``--date``/``--author``;
  :mod:`.bench` times it.

:mod:`.model` holds the records passed between the stages and the JSON contract;
:mod:`.spans` indexes spans by position.
"""

from __future__ import annotations

from briefbook.ingest.model import Analysis, Article, IngestError
from briefbook.ingest.pipeline import analyse_text, ingest_paths

__all__ = ["Analysis", "Article", "IngestError", "analyse_text", "ingest_paths"]
