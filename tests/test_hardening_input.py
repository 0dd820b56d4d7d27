"""Bad input: a clear error naming file and line, never a traceback, nothing lost."""

from __future__ import annotations

import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefbook.check.run import run_check
from briefbook.entities.registry import KINDS, RegistryError
from briefbook.entities.registry_files import load_file, load_registry
from conftest import ROOTS

pytestmark = pytest.mark.xdist_group("hardening-input")


def build(src: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", str(src), str(out)],
                          capture_output=True, text=True, check=False, timeout=300)


@pytest.mark.parametrize(("tail", "expected"), [
    ("@misc{broken,\n  title = {Unbalanced {brace},\n  year = {2024},\n}\n",
     "refs.bib:19: ERROR: BB407 BibTeX syntax error in entry 'broken' (line 19)"),
    ("@misc{letter1843,\n  title = {Again},\n  year = {1843},\n}\n",
     "refs.bib:19: ERROR: BB404 duplicate key 'letter1843' (first at line 1)"),
])
def test_malformed_bib_stops_the_build_naming_file_line_entry(tmp_path, tail, expected):
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-provenance", src)
    with (src / "refs.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n" + tail)
    proc = build(src, tmp_path / "out")
    assert proc.returncode != 0
    assert expected in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def test_bib_in_wrong_encoding_names_line_and_entry(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-provenance", src)
    with (src / "refs.bib").open("ab") as bib:
        bib.write(b"\n@misc{latin1,\n  title = {Caf" + b"\xe9},\n  year = {2024},\n}\n")
    proc = build(src, tmp_path / "out")
    assert proc.returncode != 0
    assert "refs.bib:20: ERROR: BB406 not valid UTF-8 (byte 0xe9) in entry 'latin1'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_broken_directive_and_front_matter_name_file_and_line(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(ROOTS / "test-check", book)
    (book / "docs" / "orphan.md").write_text(
        "---\ndate: [unclosed\nauthor: x\n---\n\n# Bad front matter\n\n"
        "```{nosuchdirective}\nx\n```\n", encoding="utf-8")
    found = {(f.path, f.line, f.code) for f in run_check(book)}
    assert ("docs/orphan.md", 1, "BB502") in found
    assert ("docs/orphan.md", 8, "BB500") in found


# --- property-based: hostile values never crash the loader or the check ------------------

HOSTILE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=300
) | st.sampled_from([
    "<script>alert(1)</script>", "{person}`x <y>`", "```{raw} html\n<b>x</b>\n```", "\x00\x07\x1b",
    "a" * 5000, "Ωμέγα\u200bзеро\u202e", "- id: x\n  name: y", "]]>{{}}%%", "\\begin{document}",
])
YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | HOSTILE_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(HOSTILE_TEXT, inner, max_size=4),
    max_leaves=12,
)
FIELDS = ["id", "name", "aliases", "native_name", "description", "roles", "kind", "country",
          "coordinates", "wikidata", "unreviewed", "sort_name"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(st.dictionaries(st.sampled_from(FIELDS) | HOSTILE_TEXT, YAML_VALUES,
                                        max_size=6), max_size=4),
       kind=st.sampled_from(KINDS))
def test_registry_loader_never_crashes(tmp_path, entries, kind):
    path = tmp_path / "people.yaml"
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    found, problems = load_file(path, kind)
    for entity in found:
        assert isinstance(entity.name, str)
        assert not any(ch in entity.name for ch in "\x00\x07\x1b")
    for problem in problems:
        assert problem.line >= 0 and problem.code.startswith("BB3")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=400) | HOSTILE_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_registry_loader_survives_arbitrary_bytes(tmp_path, raw):
    folder = tmp_path / "reg"
    folder.mkdir(exist_ok=True)
    (folder / "places.yaml").write_bytes(raw)
    try:
        load_registry(folder, base=folder)
    except RegistryError as error:
        assert all(str(p).startswith("places.yaml:") for p in error.problems)


NAME = st.text(alphabet=string.ascii_letters + " -'’éАЯ김<>&`{}*_", min_size=1, max_size=40)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(name=NAME.filter(lambda n: n.strip()), body=HOSTILE_TEXT, description=HOSTILE_TEXT)
def test_check_never_crashes_on_hostile_values(tmp_path_factory, name, body, description):
    book = tmp_path_factory.mktemp("hostile") / "book"
    shutil.copytree(ROOTS / "test-check", book)
    people = book / "conf" / "entities" / "people.yaml"
    people.write_text(yaml.safe_dump([{"id": "hostile-person", "name": name,
                                       "description": description}], allow_unicode=True),
                      encoding="utf-8")
    safe_body = body.replace("\x00", "")
    role = f"{{person}}`{name.replace('`', '')}`"
    (book / "docs" / "article.md").write_text(f"# Hostile\n\n{safe_body}\n\n{role}\n", encoding="utf-8")
    findings = run_check(book)
    assert all(f.path and f.line >= 1 and f.code.startswith("BB") for f in findings)
