"""Everything briefbook knows about sources: the bibliography's style, citations made by
briefbook's own constructs, and the validation of ``sources.bib``.

One module per concept:

* :mod:`.style`: author-year labels that never run out, the formatting style and the
  referencing style (registered as pybtex / sphinxcontrib-bibtex plugins named
  ``briefbook``);
* :mod:`.citations`: quotes' and claims' sources as citations, and "Cited in" lists;
* :mod:`.validation`: ``sources.bib`` checked before pybtex reads it (BB4nn).
"""
