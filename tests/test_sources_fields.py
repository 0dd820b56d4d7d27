"""Bad grades, statuses, dates and hashes in sources.bib: each reported at its own line,
with its code, and never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefbook.sources.fields import Grade, credibility_per_key, statuses_text
from briefbook.sources.validation import validate_bibfile

BAD = """\
@misc{good,
  author = {A},
  title = {Fine},
  year = {2025},
  reliability = {b},
  credibility = {2},
}

@misc{badgrade,
  author = {A},
  title = {Bad grade},
  year = {2025},
  reliability = {G},
  credibility = {7},
}

@misc{badstatus,
  author = {A},
  title = {Bad status},
  year = {2025},
  status = {withdrawn},
}

@misc{nodate,
  author = {A},
  title = {Retracted, undated},
  year = {2025},
  status = {retracted},
  status-reason = {Withdrawn by the publisher},
}

@misc{baddate,
  author = {A},
  title = {Bad date},
  year = {2025},
  status = {disputed},
  status-date = {10 March 2025},
  status-reason = {Denied},
}

@misc{badhash,
  author = {A},
  title = {Bad hash},
  year = {2025},
  archive = {archive/badhash.warc.gz},
  archive-date = {yesterday},
  archive-sha256 = {1234},
}

@misc{orphanhash,
  author = {A},
  title = {Hash without a copy},
  year = {2025},
  archive-sha256 = {%s},
}
""" % ("ab" * 32)


@pytest.fixture(scope="module")
def problems(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[int, str, str]]:
    path = tmp_path_factory.mktemp("bib") / "sources.bib"
    path.write_text(BAD, encoding="utf-8")
    report = validate_bibfile(path)
    assert report.errors == []  # content problems: warnings (errors under -W), the build reads on
    return {(p.line, p.code, p.message) for p in report.warnings}


def line(field_text: str, after: str) -> int:
    lines = BAD.splitlines()
    start = next(i for i, text in enumerate(lines) if text.startswith(f"@misc{{{after},"))
    return next(i for i in range(start, len(lines)) if lines[i].strip().startswith(field_text)) + 1


@pytest.mark.parametrize(("key", "field", "code", "words"), [
    ("badgrade", "reliability", "BB408", "unknown reliability grade 'G'"),
    ("badgrade", "credibility", "BB408", "unknown credibility grade '7'"),
    ("badstatus", "status", "BB409", "unknown status 'withdrawn'"),
    ("nodate", "status =", "BB410", "is retracted but gives no status-date"),
    ("baddate", "status-date", "BB410", "malformed status-date '10 March 2025'"),
    ("badhash", "archive-date", "BB410", "malformed archive-date 'yesterday'"),
    ("badhash", "archive-sha256", "BB411", "malformed archive-sha256"),
    ("orphanhash", "archive-sha256", "BB411", "has archive-sha256 but no archive file"),
])
def test_each_bad_field_is_reported_at_its_line(problems, key, field, code, words):
    at = line(field, key)
    assert any(p[0] == at and p[1] == code and f"'{key}'" in p[2] and words in p[2]
               for p in problems), sorted(problems)


def test_good_fields_raise_nothing(problems):
    assert not any("'good'" in p[2] for p in problems)


def test_grades_read_as_the_admiralty_code():
    assert Grade("B", "2").code == "B2"
    assert Grade("B", "").using("1").code == "B1"
    assert Grade("", "3").code == "–3"
    assert Grade("C", "").explanation() == "source C: fairly reliable"


def test_credibility_per_use():
    assert credibility_per_key("2", ["a", "b"]) == ({"a": "2", "b": "2"}, [])
    assert credibility_per_key("a=1; b: 3", ["a", "b"]) == ({"a": "1", "b": "3"}, [])
    grades, problems = credibility_per_key("a=9, c=1", ["a", "b"])
    assert grades == {}
    assert any("'9'" in p for p in problems) and any("'c'" in p for p in problems)


def test_statuses_read_gravest_first():
    assert statuses_text({"disputed", "retracted"}) == "retracted or disputed"
    assert statuses_text({"disputed", "discredited", "retracted"}) == (
        "retracted, discredited or disputed")


def test_check_reports_bad_fields_of_the_book(tmp_path: Path):
    from briefbook.check.run import run_check

    root = tmp_path / "book"
    (root / "conf" / "entities").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "conf" / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinxcontrib.bibtex", "briefbook"]\n'
        'briefbook_registry = "entities"\nbibtex_bibfiles = ["../sources.bib"]\n'
        'bibtex_default_style = "briefbook"\n', encoding="utf-8")
    (root / "docs" / "index.md").write_text(
        "# Book\n\nCited {cite:p}`badgrade` and {cite:p}`good`.\n", encoding="utf-8")
    (root / "sources.bib").write_text(BAD, encoding="utf-8")
    findings = run_check(root)
    found = {(f.path, f.line, f.code) for f in findings}
    assert ("sources.bib", line("reliability", "badgrade"), "BB408") in found
    assert ("sources.bib", line("archive-sha256", "badhash"), "BB411") in found
    # Reported once, from the file, not again from the build.
    assert sum(1 for f in findings if f.code == "BB408" and "'G'" in f.message) == 1
    # The preserved copy it names is not there: the archive folder is missing.
    missing = [f for f in findings if f.code == "BB412"]
    assert [(f.path, f.line) for f in missing] == [("sources.bib", line("archive =", "badhash"))]
    assert "archive" in missing[0].message and missing[0].severity == "error"


def test_check_reports_a_warc_that_does_not_parse(tmp_path: Path):
    import hashlib

    from briefbook.check.run import run_check

    root = tmp_path / "book"
    (root / "conf" / "entities").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "archive").mkdir()
    garbage = root / "archive" / "x.warc.gz"
    garbage.write_bytes(b"this is not a WARC file\n")
    digest = hashlib.sha256(garbage.read_bytes()).hexdigest()
    (root / "conf" / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinxcontrib.bibtex", "briefbook"]\n'
        'briefbook_registry = "entities"\nbibtex_bibfiles = ["../sources.bib"]\n', encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Book\n\nCited {cite:p}`x`.\n", encoding="utf-8")
    (root / "sources.bib").write_text(
        "@misc{x,\n  author = {A},\n  title = {T},\n  year = {2025},\n"
        "  archive = {archive/x.warc.gz},\n  archive-date = {2025-01-01T00:00:00Z},\n"
        f"  archive-sha256 = {{{digest}}},\n}}\n", encoding="utf-8")
    findings = run_check(root)
    assert [(f.path, f.line, f.code) for f in findings if f.code.startswith("BB41")] == [
        ("sources.bib", 5, "BB413")]
