"""Builds are deterministic: the same sources give the same bytes.

Editors diff published sites and archive PDFs; a page that changes on every build (a
timestamp, a random id, an order that depends on the process) hides the real changes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import SAMPLE_EPOCH, BuildResult, sphinx_build

pytestmark = pytest.mark.xdist_group("sample")


def site_files(outdir: Path) -> dict[str, bytes]:
    """Every published file (not Sphinx's pickled environment, which is not output)."""
    return {str(p.relative_to(outdir)): p.read_bytes() for p in sorted(outdir.rglob("*"))
            if p.is_file() and ".doctrees" not in p.parts}


@pytest.fixture(scope="module")
def parallel_html(sample_copy: Path) -> BuildResult:
    """A second build of the same sources, later, elsewhere, with two processes."""
    return sphinx_build(sample_copy / "docs", sample_copy / "conf",
                        sample_copy / "_build" / "html-j2", "-j", "2")


def test_two_builds_give_identical_pages_and_j2_matches_j1(sample_html, parallel_html):
    assert sample_html.returncode == 0, sample_html.stderr
    assert parallel_html.returncode == 0, parallel_html.stderr
    first, second = site_files(sample_html.outdir), site_files(parallel_html.outdir)
    assert sorted(first) == sorted(second)
    assert len([name for name in first if name.endswith(".html")]) > 10
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []


def test_pages_carry_no_build_time(sample_html):
    today = dt.datetime.now(dt.UTC).date()
    stamps = {today.isoformat(), today.strftime("%d %B %Y"), today.strftime("%b %d, %Y"),
              today.strftime("%B %d, %Y").replace(" 0", " ")}
    for path in sample_html.outdir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not [s for s in stamps if s in text], path


def test_pdf_honours_source_date_epoch(sample_copy, sample_pdf):
    result, pdf = sample_pdf
    assert result.returncode == 0, result.stderr
    again = sphinx_build(sample_copy / "docs", sample_copy / "conf",
                         sample_copy / "_build-again", builder="latexpdf", make_mode=True,
                         env={"SOURCE_DATE_EPOCH": SAMPLE_EPOCH})
    assert again.returncode == 0, again.stderr
    second = sample_copy / "_build-again" / "latex" / "briefing-book.pdf"
    assert pdf.read_bytes() == second.read_bytes()
    created = PdfReader(str(pdf)).metadata["/CreationDate"]
    assert created.startswith("D:20241117")
