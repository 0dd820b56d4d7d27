"""Everything briefbook knows about sources: how they are cited, graded, flagged when
retracted, and preserved.

One module per concept:

* :mod:`.style`: author-year labels that never run out, the formatting style and the
  referencing style (registered as pybtex / sphinxcontrib-bibtex plugins named
  ``briefbook``);
* :mod:`.citations`: quotes' and claims' sources as citations, and "Cited in" lists;
* :mod:`.validation`: ``sources.bib`` checked before pybtex reads it (BB4nn);
* :mod:`.fields`: the entry's grade (Admiralty A–F / 1–6), standing (retracted,
  discredited, disputed) and preserved copy, parsed and checked;
* :mod:`.catalogue`: those facts for the build, by key and by citation anchor;
* :mod:`.marks`: the grade, flag and hover card wherever a source is cited, and the
  warning on claims resting on a flagged source;
* :mod:`.bibliography`: grading, standing and preserved copy under each entry;
* :mod:`.sourcing`: the sourcing table at the end of each briefing;
* the affected judgements page, front-page warnings and BB415–BB418 are a generated page:
  :mod:`briefbook.pages.affected`;
* :mod:`.fetch`, :mod:`.archive`, :mod:`.links`, :mod:`.bibedit`, :mod:`.command`:
  ``briefbook sources archive|verify|links`` (one fetch; WARC copies and their checks;
  live link status; editing an entry in place; the command line).
"""
