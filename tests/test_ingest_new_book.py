"""A new book's first ingest with ``--add-candidates``, through the real commands.

``briefbook init`` makes a book whose registry files hold only comments (an empty
registry); the first ingest must put its stubs in ``conf/entities/``, one per entity of
the batch, with what is known offline, and a second ingest must link them. ``briefbook
check`` must then list the stubs as unreviewed (BB310) and find no title a stub's role
contradicts (BB312) on the batch's own pages.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from briefbook.cli import main
from briefbook.entities.registry_files import load_registry
from briefbook.entities.review_state import ReviewState

#: Three dated articles on one topic, written as wire copy is. The earliest gives John
#: Healey's title after his name; the later ones before it.
ARTICLES = {
    "healey-tallinn.txt": """\
 date 2024-11-04 Jane Reporter

Healey visits British troops in Estonia

Defence Secretary John Healey visited British troops in Tallinn on Monday. Healey said the
UK would keep its battlegroup in Estonia "for as long as it takes".

The Armed Forces Minister also met soldiers of the 1st Battalion, The Royal Welsh. The
United Kingdom leads the battlegroup, and Britain has sent 900 troops to Estonia.

Healey said the U.K. would stand by Estonia.
""",
    "healey-brussels.txt": """\
 date 2024-11-05 Jane Reporter

Allies meet in Brussels

Defence Secretary John Healey met his counterparts in Brussels on Tuesday. Healey said the
United Kingdom would send more air defence to Ukraine.

The Federal Emergency Management Agency (FEMA) sent observers; FEMA staff said Britain
had asked for advice.
""",
    "healey-october.txt": """\
 date 2024-10-01 Jane Reporter

Budget talks in London

John Healey, the Defence Secretary, told reporters in London that the UK would spend more.
Healey said Estonia had asked for help.
""",
}


def stubs_in(folder: Path) -> dict[str, list[dict[str, object]]]:
    """The unreviewed entries of each registry file in ``folder``."""
    out = {}
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, list):
            out[path.name] = [e for e in data if e.get("unreviewed")]
    return out


@pytest.fixture
def new_book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> Path:
    """A book made by ``briefbook init``, the articles beside it, the book the cwd."""
    book = tmp_path / "book"
    assert main(["init", str(book)]) == 0
    batch = tmp_path / "batch"
    batch.mkdir()
    for name, text in ARTICLES.items():
        (batch / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(book)
    capsys.readouterr()
    return book


def ingest(*args: str) -> int:
    return main(["ingest", "--recogniser", "rules", *args])


def test_first_ingest_puts_one_stub_per_entity_in_conf_entities(
        new_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert ingest("../batch", "--add-candidates") == 0
    assert "added to the registry as unreviewed" in capsys.readouterr().err
    # Nothing beside the book's own files: the stubs are in the registry folder.
    assert not list(new_book.glob("*.yaml"))
    entities = new_book / "conf" / "entities"
    stubs = stubs_in(entities)
    places = {e["name"]: e for e in stubs["places.yaml"]}
    people = {e["name"]: e for e in stubs["people.yaml"]}
    orgs = {e["name"]: e for e in stubs["organizations.yaml"]}

    # One country, four ways of writing it: one stub under its usual name.
    uk = places["United Kingdom"]
    assert sorted(uk["aliases"]) == ["Britain", "U.K.", "UK"]
    assert (uk["kind"], uk["country"]) == ("country", "GB")
    assert not {"UK", "Britain", "U.K."} & set(places)
    tallinn = places["Tallinn"]
    assert (tallinn["kind"], tallinn["country"]) == ("city", "EE")
    assert tallinn["coordinates"] == pytest.approx([59.437, 24.754], abs=0.01)

    # The family name alone is John Healey, not a stub; his title is a role from the
    # earliest article that calls him so (before or after the name).
    assert "Healey" not in people
    healey = people["John Healey"]
    assert "aliases" not in healey
    assert [{**r, "start": str(r["start"])} for r in healey["roles"]] == [
        {"title": "Defence Secretary", "start": "2024-10-01"}]

    # An acronym and the name it abbreviates: one stub, the acronym an alias, the kind
    # its words say.
    fema = orgs["Federal Emergency Management Agency"]
    assert (fema["aliases"], fema["kind"]) == (["FEMA"], "agency")
    # Titles, bare body nouns and sub-units are no organisations.
    assert not {"Armed Forces", "1st Battalion", "Armed Forces Minister"} & set(orgs)

    # Every stub has its proposal in review.yaml, with the role and its date.
    state = ReviewState.load(entities)
    proposal = state.proposal_for("john-healey")
    assert proposal is not None
    assert (proposal.kind, proposal.role, proposal.role_date) == (
        "person", "Defence Secretary", "2024-10-01")
    assert "Healey" in proposal.forms
    assert {"healey-tallinn.txt", "healey-brussels.txt"} <= set(proposal.articles)
    assert {p.stub_id for p in state.proposals} >= {
        e["id"] for entries in stubs.values() for e in entries}

    # The registry loads; the stubs are unreviewed entries of it.
    registry = load_registry(entities)
    entry = registry.get("united-kingdom")
    assert entry is not None and entry.unreviewed and entry.country == "GB"


def test_a_second_ingest_links_the_stubs_and_adds_none(
        new_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert ingest("../batch", "--add-candidates") == 0
    before = stubs_in(new_book / "conf" / "entities")
    assert ingest("../batch", "--add-candidates", "--force") == 0
    err = capsys.readouterr().err
    assert "(0 added to the registry as unreviewed)" in err
    assert stubs_in(new_book / "conf" / "entities") == before
    page = next((new_book / "docs" / "briefings").glob("2024-11-04-*.md")).read_text(
        encoding="utf-8")
    assert "<john-healey>`" in page
    assert "<united-kingdom>`" in page
    assert "<tallinn>`" in page
    # "Britain" and "U.K." link to the one country too.
    assert "{place}`Britain <united-kingdom>`" in page
    assert "{place}`U.K. <united-kingdom>`" in page

    # check lists every stub as unreviewed, and no stub's role contradicts a page.
    assert main(["check", "--format", "json", str(new_book)]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    codes = [f["code"] for f in findings]
    assert codes.count("BB310") == sum(len(v) for v in before.values())
    assert "BB312" not in codes


def test_rejected_and_deleted_stubs_stay_out(new_book: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    entities = new_book / "conf" / "entities"
    assert ingest("../batch", "--add-candidates") == 0
    # The review queue's way: the stub removed, its names remembered as rejected.
    state = ReviewState.load(entities)
    state.reject("Tallinn", "place")
    state.forget(stub_id="tallinn")
    state.save(entities)
    # By hand: the FEMA stub deleted from the file, review.yaml untouched.
    for name, stub_id in (("places.yaml", "tallinn"),
                          ("organizations.yaml", "federal-emergency-management-agency")):
        path = entities / name
        data = [e for e in yaml.safe_load(path.read_text(encoding="utf-8"))
                if e["id"] != stub_id]
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    assert ingest("../batch", "--add-candidates", "--force") == 0
    assert "(0 added to the registry as unreviewed)" in capsys.readouterr().err
    names = {e["name"] for entries in stubs_in(entities).values() for e in entries}
    assert not {"Tallinn", "Federal Emergency Management Agency", "FEMA"} & names
    state = ReviewState.load(entities)
    # The deleted stub's names joined the rejected ones; its proposal is gone.
    assert state.is_rejected("Federal Emergency Management Agency", "organization")
    assert state.is_rejected("FEMA", "organization")
    assert state.proposal_for("federal-emergency-management-agency") is None
    assert not any(p.name == "Tallinn" for p in state.proposals)
