"""``python -m briefbook.evaluation tests/corpus``: score ingest against the annotated
corpus (:mod:`.command`); ``make eval`` runs it."""

from __future__ import annotations

from briefbook.evaluation.command import main

raise SystemExit(main())
