"""The pages a book generates from what its briefings hold, and what sits on every page.

* :mod:`.byline`: the author, date and source under a briefing's title;
* :mod:`.frontpage`: the latest briefings as cards;
* :mod:`.glossary`: one entry per entity, with "Mentioned in" backlinks;
* :mod:`.entity_grid`: people, places and organisations at a glance, with a filter;
* :mod:`.timeline`: ``{event}`` and the book's timeline;
* :mod:`.placemap` and :mod:`.worldmap`: the map page and each place's map, drawn at build
  time from data in the package;
* :mod:`.affected`: judgements hit by a retracted or disputed source;
* :mod:`.navigation`: the table of contents, written once per build;
* :mod:`.design`: sphinx-design cards, grids and badges as nodes, and links, for the above.
"""
