"""Author-year labels that hold for any number of same-author-same-year sources."""

from __future__ import annotations

import re
import shutil
import string
import subprocess
import sys

import pytest

from briefbook.sources.style import year_suffix


@pytest.mark.parametrize(
    ("index", "suffix"),
    [(0, "a"), (25, "z"), (26, "aa"), (27, "ab"), (51, "az"), (52, "ba"), (701, "zz"),
     (702, "aaa")],
)
def test_year_suffix_is_bijective_base26(index, suffix):
    assert year_suffix(index) == suffix


def test_year_suffixes_stay_lowercase_ascii_and_distinct():
    suffixes = [year_suffix(i) for i in range(2000)]
    assert len(set(suffixes)) == 2000
    assert all(set(s) <= set(string.ascii_lowercase) for s in suffixes)


@pytest.mark.sphinx("latex", testroot="bib-overflow")
def test_thirty_same_year_sources_get_printable_labels(app):
    app.build()
    assert "WARNING" not in app.warning.getvalue()
    tex = (app.outdir / "overflow.tex").read_text(encoding="utf-8")
    labels = re.findall(r"\\bibitem\[([^\]]*)\]", tex)
    assert len(labels) == 30
    assert len(set(labels)) == 30
    assert "BBC News 2024z" in labels
    assert "BBC News 2024ad" in labels
    # No character past "z" (pybtex's alpha walks into "{|}~" and DEL).
    assert all(re.fullmatch(r"BBC News 2024[a-z]{1,2}", label) for label in labels)


@pytest.mark.pdf
@pytest.mark.xdist_group("pdf-overflow")
def test_thirty_same_year_sources_build_a_pdf(tmp_path, rootdir):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-bib-overflow", src)
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-M", "latexpdf", str(src), str(tmp_path / "out"),
         "-W", "--keep-going"],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert (tmp_path / "out" / "latex" / "overflow.pdf").is_file()
