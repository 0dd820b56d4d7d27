"""From ingested draft to publishable book: the review queue, its decisions, linking.

* what review and ingest remember between runs (rejected names, why ingest proposed each
  name) is :mod:`briefbook.entities.review_state`, below both, beside the registry;
* :mod:`.model` holds the records every interface shares (items, outcomes, the
  :class:`~.model.Session` protocol); :mod:`.book` finds a book's registry and pages;
* :mod:`.pages` reads pages' MyST source as plain text, :mod:`.queue` turns unreviewed
  stubs, left-over candidates and undated pages into decisions, with the sentences each
  name occurs in, grouped so that one entity is one decision;
* :mod:`.decisions` applies accept, change of kind, merge, reject and dating, through
  :mod:`.yaml_edit` (the registry's comments survive) and :mod:`.journal` (undo);
  :mod:`.session` is the queue of one book as every interface sees it;
* :mod:`.terminal` is the interactive queue (a Textual app: the queue screen and its
  keys), :mod:`.item_view` what it shows of an item, :mod:`.widgets` its marked lists and
  pickers; :mod:`.command` is the
  ``briefbook review`` command; :mod:`.link` is ``briefbook link``, which links reviewed
  names in place, and :mod:`.sourcemap` maps parsed text back to the page's characters.
"""
