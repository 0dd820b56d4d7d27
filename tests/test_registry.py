"""Registry loading: every kind of mistake gets its own message with file, line, field."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from briefbook.entities.registry import RegistryError
from briefbook.entities.registry_files import load_registry

REPO = Path(__file__).resolve().parent.parent


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def problems(folder: Path) -> list[str]:
    with pytest.raises(RegistryError) as info:
        load_registry(folder, base=folder)
    return [str(p) for p in info.value.problems]


def test_sample_registry_loads():
    registry = load_registry(REPO / "conf" / "entities")
    assert registry.lookup("Kim Tae-Yayo").id == "kim-tae-hyo"
    assert registry.lookup("steve rosenburg").id == "steve-rosenberg"
    assert registry.lookup("kazan", "place").coordinates == (55.78874, 49.12214)
    assert registry.lookup("Kazan", "person") is None


def test_duplicate_id(tmp_path):
    write(tmp_path, "people.yaml", """
        - id: a-person
          name: A Person
        - id: a-person
          name: Another Person
    """)
    assert problems(tmp_path) == [
        "people.yaml:3: BB301 duplicate id 'a-person' (first defined at people.yaml:1)"]


def test_duplicate_id_across_files(tmp_path):
    write(tmp_path, "people.yaml", "- id: paris\n  name: Paris Hilton\n")
    write(tmp_path, "places.yaml", "- id: paris\n  name: Paris\n  kind: city\n")
    assert problems(tmp_path) == [
        "places.yaml:1: BB301 duplicate id 'paris' (first defined at people.yaml:1)"]


def test_alias_claimed_by_two_entities(tmp_path):
    write(tmp_path, "people.yaml", """
        - id: john-smith
          name: John Smith
          aliases: [Smith]
        - id: jane-smith
          name: Jane Smith
          aliases:
            - smith
    """)
    assert problems(tmp_path) == [
        "people.yaml:4: BB302 name or alias 'smith' of 'jane-smith' is already claimed by "
        "'john-smith' (people.yaml:1)"]


def test_missing_name(tmp_path):
    write(tmp_path, "organizations.yaml", """
        - id: nameless
          kind: agency
    """)
    assert problems(tmp_path) == ["organizations.yaml:1: BB303 organization 'nameless' has no 'name'"]


def test_malformed_date(tmp_path):
    write(tmp_path, "people.yaml", """
        - id: x
          name: X
          roles:
            - title: Minister
              start: 2021-13-45
    """)
    assert problems(tmp_path) == [
        "people.yaml:5: BB304 role 'Minister': start date '2021-13-45' is not a date (YYYY-MM-DD)"]


def test_end_before_start(tmp_path):
    write(tmp_path, "people.yaml", """
        - id: x
          name: X
          roles:
            - title: Minister
              start: 2021-01-02
              end: 2020-01-01
    """)
    assert problems(tmp_path) == [
        "people.yaml:4: BB304 role 'Minister': end 2020-01-01 is before start 2021-01-02"]


@pytest.mark.parametrize(("coords", "message"), [
    ("[95, 10]", "coordinates: (95.0, 10.0) out of range (latitude -90..90, longitude -180..180)"),
    ("[10]", "coordinates: expected [latitude, longitude] in decimal degrees"),
    ("[north, 10]", "coordinates: latitude and longitude must be numbers"),
])
def test_malformed_coordinates(tmp_path, coords, message):
    write(tmp_path, "places.yaml", f"- id: x\n  name: X\n  kind: city\n  coordinates: {coords}\n")
    assert problems(tmp_path) == [f"places.yaml:4: BB305 {message}"]


def test_unknown_field_and_bad_id(tmp_path):
    write(tmp_path, "people.yaml", """
        - id: Not_Kebab
          name: X
          birthday: 1900-01-01
    """)
    found = problems(tmp_path)
    assert found[0].startswith("people.yaml:1: BB307 id 'Not_Kebab' must be lowercase ASCII kebab-case")
    assert found[1].startswith("people.yaml:3: BB306 unknown field 'birthday' for a person")


def test_yaml_syntax_error_names_line(tmp_path):
    write(tmp_path, "places.yaml", "- id: x\n  name: [unclosed\n")
    (found,) = problems(tmp_path)
    assert found.startswith("places.yaml:3: BB309 YAML syntax error")


def test_all_problems_reported_at_once(tmp_path):
    write(tmp_path, "people.yaml", """
        - id: a
          roles:
            - title: T
              start: soon
        - id: a
          name: A2
    """)
    found = problems(tmp_path)
    assert [f.split(" ")[1] for f in found] == ["BB303", "BB304", "BB301"]


def test_broken_registry_stops_build_without_traceback(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(Path(__file__).parent / "roots" / "test-entities", book)
    write(book / "entities", "places.yaml", """
        - id: london
          name: London
          kind: city
          coordinates: [51.5, 200]
    """)
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", str(book), str(tmp_path / "out"), "-q"],
        capture_output=True, text=True, check=False, timeout=300,
    )
    assert proc.returncode != 0
    assert "places.yaml:4: ERROR: BB305 coordinates: (51.5, 200.0) out of range" in proc.stderr
    assert "the build stops here" in proc.stderr
    assert "Traceback" not in proc.stderr
