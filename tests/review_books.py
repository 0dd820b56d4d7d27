"""A small book as ingest leaves it, for the review tests: stubs, a candidate, pages.

Made with ``briefbook init`` (so the registry files carry their commented examples) and
then written by hand as ``briefbook ingest --add-candidates`` would have written it: one
country under three stubs ("UK", "U.K.", "Britain"), a person under two ("John Healey",
"Healey"), a family name whose person is in the registry already ("Austin"), a city, an
organisation, a candidate the batch left ("Armed Forces"), and one undated page.
"""

from __future__ import annotations

from pathlib import Path

from briefbook.cli import main

#: The comment ``--add-candidates`` writes above the stubs it appends.
STUBS_HEADER = ("# Candidates added by briefbook ingest on 2025-03-01: review, complete or delete "
                "(unreviewed: true until then).\n")

REVIEWED_PEOPLE = """
# Reviewed by hand; keep this comment.
- id: lloyd-austin   # the 28th Secretary of Defense
  name: Lloyd Austin
  description: >-
    U.S. Secretary of Defense from 2021 to 2025.
"""

PLACE_STUBS = "\n" + STUBS_HEADER + """\
- id: uk
  name: UK
  kind: country
  description: Candidate found by briefbook ingest in troops.txt (gazetteer:country).
  unreviewed: true
- id: u-k
  name: U.K.
  description: Candidate found by briefbook ingest in troops.txt (gazetteer:country).
  unreviewed: true
- id: britain
  name: Britain
  description: Candidate found by briefbook ingest in talks.txt (gazetteer:country).
  unreviewed: true
- id: tallinn
  name: Tallinn
  description: Candidate found by briefbook ingest in troops.txt (gazetteer:city).
  unreviewed: true
"""

PEOPLE_STUBS = "\n" + STUBS_HEADER + """\
- id: john-healey
  name: John Healey
  description: Candidate found by briefbook ingest in troops.txt (title).
  unreviewed: true
- id: healey
  name: Healey
  description: Candidate found by briefbook ingest in talks.txt (family name).
  unreviewed: true
- id: austin
  name: Austin
  description: Candidate found by briefbook ingest in talks.txt (family name).
  unreviewed: true
"""

ORGANIZATION_STUBS = """
- id: ministry-of-defence
  name: Ministry of Defence
  description: Candidate found by briefbook ingest in troops.txt (organisation word).
  unreviewed: true
"""

REVIEW_STATE = """\
rejected: []
proposals:
  - name: John Healey
    kind: person
    cue: title
    count: 1
    articles: [troops.txt]
    stub_id: john-healey
    role: Defence Secretary
    role_date: '2025-02-10'
  - name: Armed Forces
    kind: organization
    cue: spacy:ORG
    count: 1
    articles: [troops.txt]
  - name: Baltic
    kind: place
    cue: spacy:LOC
    count: 1
    articles: [troops.txt]
"""

TROOPS = "docs/briefings/2025-02-10-uk-troops-to-estonia.md"
TROOPS_PAGE = """\
---
title: UK troops to Estonia
date: 2025-02-10
author: Ministry of Defence
---

% Ingested by briefbook from troops.txt: review the links, the quote speakers.

# UK troops to Estonia

""" + (
    "Defence Secretary John Healey said the UK will send more troops to "
    "{place}`Tallinn <tallinn>`. The U.K. has led the battlegroup since 2017\\.\n"
    "\n"
    "The Ministry of Defence said the Armed Forces were ready. Healey met soldiers of the UK "
    "in Tallinn.\n")

TALKS = "docs/briefings/undated-talks-in-london.md"
TALKS_PAGE = """\
---
title: Talks in London
author: Someone
---

# Talks in London

Britain hosted talks. {person}`Austin <austin>` and Healey spoke; Britain and the {place}`UK <uk>` agreed.
"""


def make_book(root: Path) -> Path:
    """Write the book into ``root`` (a new folder) and return it."""
    assert main(["init", str(root), "--title", "Review test", "--author", "Tests"]) == 0
    registry = root / "conf" / "entities"
    for name, extra in (("people.yaml", REVIEWED_PEOPLE + PEOPLE_STUBS),
                        ("places.yaml", PLACE_STUBS),
                        ("organizations.yaml", ORGANIZATION_STUBS)):
        path = registry / name
        path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    (registry / "review.yaml").write_text(REVIEW_STATE, encoding="utf-8")
    (root / TROOPS).write_text(TROOPS_PAGE, encoding="utf-8")
    (root / TALKS).write_text(TALKS_PAGE, encoding="utf-8")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the book but the review journal, as bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".briefbook" not in p.relative_to(root).parts}
