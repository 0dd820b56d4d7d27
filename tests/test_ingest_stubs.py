"""``--add-candidates``: which names become registry stubs for review."""

from __future__ import annotations

from pathlib import Path

import yaml

from briefbook.ingest.model import Candidate
from briefbook.ingest.stubs import append_stubs
from briefbook.registry import load_registry


def test_one_off_model_guesses_are_not_stubbed(tmp_path: Path) -> None:
    for name in ("people.yaml", "places.yaml", "organizations.yaml"):
        (tmp_path / name).write_text("[]\n", encoding="utf-8")
    registry = load_registry(tmp_path)
    added = append_stubs(registry, [
        (Candidate("Patriot", "person", 1, "spacy:PERSON"), "a.txt"),       # once, a guess
        (Candidate("Jane Doe", "person", 1, "title"), "a.txt"),             # a rule vouches
        (Candidate("Kim Yong-hyun", "person", 1, "spacy:PERSON"), "a.txt"),
        (Candidate("Kim Yong-hyun", "person", 1, "spacy:PERSON"), "b.txt"),  # twice in the batch
        (Candidate("Donetsk Oblast", "place", 1, "feature word"), "a.txt"),
    ])
    people = [e["name"] for e in yaml.safe_load((tmp_path / "people.yaml").read_text())]
    places = [e["name"] for e in yaml.safe_load((tmp_path / "places.yaml").read_text())]
    assert added == 3
    assert people == ["Jane Doe", "Kim Yong-hyun"] and places == ["Donetsk Oblast"]
