"""From ingested draft to publishable book: the review queue, its decisions, linking.

* :mod:`.state` is what review and ingest remember between runs (rejected names, why
  ingest proposed each name), kept beside the registry in ``review.yaml``;
* :mod:`.queue` turns unreviewed stubs and left-over candidates into decisions, with
  the sentences each name occurs in, grouped so that one entity is one decision;
* :mod:`.decisions` applies accept, change of kind, merge and reject to the registry
  YAML without losing its comments, and undoes them;
* :mod:`.terminal` is the interactive queue (a Textual app), :mod:`.command` the
  ``briefbook review`` command, :mod:`.link` the ``briefbook link`` command.
"""
