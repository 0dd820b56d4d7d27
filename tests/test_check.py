"""``briefbook check``: every seeded problem reported with its code, file and line."""

from __future__ import annotations

import json
import shutil

import pytest

from briefbook.check.run import run_check
from briefbook.cli import main
from conftest import REPO, ROOTS

pytestmark = pytest.mark.xdist_group("check")

EXPECTED = [
    ("conf/entities/people.yaml", 12, "BB301"),
    ("conf/entities/people.yaml", 15, "BB302"),
    ("conf/entities/people.yaml", 19, "BB310"),
    ("conf/entities/people.yaml", 23, "BB311"),
    ("docs/article.md", 8, "BB312"),
    ("docs/article.md", 10, "BB101"),
    ("docs/article.md", 12, "BB103"),
    ("docs/article.md", 14, "BB201"),
    ("docs/article.md", 16, "BB202"),
    ("docs/article.md", 18, "BB203"),
    ("docs/article.md", 25, "BB204"),
    ("docs/article.md", 32, "BB402"),
    ("docs/orphan.md", 1, "BB501"),
    ("sources.bib", 8, "BB401"),
    ("sources.bib", 8, "BB403"),
    ("sources.bib", 13, "BB405"),
    ("sources.bib", 20, "BB404"),
]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    book = tmp_path_factory.mktemp("check") / "book"
    shutil.copytree(ROOTS / "test-check", book)
    return book


@pytest.fixture(scope="module")
def findings(seeded):
    return run_check(seeded)


@pytest.mark.parametrize(("path", "line", "code"), EXPECTED)
def test_each_problem_is_reported_where_it_is(findings, path, line, code):
    assert any((f.path, f.line, f.code) == (path, line, code) for f in findings), [
        (f.path, f.line, f.code) for f in findings]


def test_every_finding_has_a_hint_and_nothing_unexpected(findings):
    reported = {(f.path, f.line, f.code) for f in findings}
    expected = set(EXPECTED) | {("conf/entities/people.yaml", 15, "BB311"),
                                ("conf/entities/places.yaml", 1, "BB311"),
                                ("sources.bib", 13, "BB401")}
    assert reported == expected
    assert all(f.hint for f in findings)


def test_silenced_line_is_not_reported(findings, seeded):
    lines = (seeded / "docs" / "article.md").read_text(encoding="utf-8").splitlines()
    silenced = lines.index("Silenced: Springfield again.") + 1
    assert not [f for f in findings if f.path == "docs/article.md" and f.line == silenced]


def test_exit_codes_and_strict(seeded, capsys, tmp_path):
    assert main(["check", str(seeded), "--no-color"]) == 1
    out = capsys.readouterr().out
    # Human output: grouped by file, each line file:line: CODE message, then a fix hint.
    assert "\ndocs/article.md\n  docs/article.md:8: BB312" in out
    assert "\n  docs/article.md:10: BB101 unresolved person mention 'Grace Hopper'" in out
    assert "fix: fix the name, or add the entity to conf/entities/" in out
    # Only warnings left: exit 0, unless --strict.
    book = tmp_path / "warnings-only"
    shutil.copytree(ROOTS / "test-provenance", book / "docs", ignore=shutil.ignore_patterns("conf.py"))
    (book / "conf").mkdir()
    shutil.move(str(book / "docs" / "entities"), book / "conf" / "entities")
    (book / "conf" / "conf.py").write_text(
        (ROOTS / "test-provenance" / "conf.py").read_text(encoding="utf-8"), encoding="utf-8")
    capsys.readouterr()
    assert main(["check", str(book)]) == 0
    assert "BB311" in capsys.readouterr().out  # unmentioned organisation: a warning
    assert main(["check", str(book), "--strict"]) == 1
    assert main(["check", str(book), "--strict", "--ignore", "BB311", "--ignore", "BB103"]) == 0


def test_json_and_github_formats(seeded, capsys):
    assert main(["check", str(seeded), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["errors"] == sum(1 for f in data["findings"] if f["severity"] == "error")
    record = next(f for f in data["findings"] if f["code"] == "BB101")
    assert record == {"path": "docs/article.md", "line": 10, "code": "BB101",
                      "message": "unresolved person mention 'Grace Hopper' (add it to the people "
                                 "registry, or fix the spelling)",
                      "severity": "error", "hint": "fix the name, or add the entity to conf/entities/"}
    assert main(["check", str(seeded), "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert "::error file=docs/article.md,line=10,title=BB101::unresolved person mention" in "\n".join(lines)
    assert any(line.startswith("::warning file=docs/article.md,line=12,title=BB103::") for line in lines)


def test_codes_can_be_silenced_in_config(seeded, tmp_path):
    book = tmp_path / "book"
    shutil.copytree(seeded, book)
    conf = book / "conf" / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + '\nbriefbook_check_ignore = ["BB311"]\n',
                    encoding="utf-8")
    assert not [f for f in run_check(book) if f.code == "BB311"]


def test_broken_bib_is_reported_and_pages_skipped(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(ROOTS / "test-check", book)
    (book / "sources.bib").write_text("@misc{ok,\n  title = {Fine},\n  year = {2010},\n}\n\n"
                                      "@misc{broken,\n  title = {Unbalanced {brace},\n  year = {2010},\n}\n",
                                      encoding="utf-8")
    found = run_check(book)
    syntax = [f for f in found if f.code == "BB407"]
    assert [(f.path, f.line) for f in syntax] == [("sources.bib", 1), ("sources.bib", 6)]
    assert "in entry 'broken' (line 6)" in syntax[1].message
    assert "the pages were not checked" in syntax[0].message
    assert not [f for f in found if f.path.startswith("docs/")]


def test_sample_book_is_clean_under_strict(capsys):
    assert main(["check", str(REPO), "--strict"]) == 0, capsys.readouterr().out
