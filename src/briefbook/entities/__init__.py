"""People, places and organisations: the registry and the Sphinx domain that links to it.

* :mod:`.registry`: the entity records and the rules of what a registry may hold;
* :mod:`.registry_files`: the YAML files read and validated, every problem with its line;
* :mod:`.registry_cache`: the registry a build or command uses, parsed once, kept between builds;
* :mod:`.domain`: the ``briefbook`` domain: entries, mentions and where each entity is named;
* :mod:`.roles`: ``{person}``, ``{place}`` and ``{org}``;
* :mod:`.cards`: the hover card beside each mention (HTML);
* :mod:`.review_state`: what review and ingest remember between runs (rejected names,
  proposals), kept beside the registry.
"""
