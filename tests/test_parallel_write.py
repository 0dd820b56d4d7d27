"""``-j 2`` writes in two worker processes and gives the very same site as ``-j 1``."""

from __future__ import annotations

import functools
import json
import re

import pytest

from briefbook.build import parallel_write
from conftest import build_root


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("parallel-write")
    return {jobs: build_root("navigation", base / f"j{jobs}", parallel=jobs) for jobs in (1, 2)}


def site(app) -> dict[str, bytes]:
    out = app.outdir
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.suffix in {".html", ".js"} and ".doctrees" not in p.parts}


def test_two_processes_write_the_pages(builds):
    writer = builds[2].builder._write_parallel
    assert isinstance(writer, functools.partial) and writer.func is parallel_write.write_parallel
    assert builds[2].warning.getvalue() == builds[1].warning.getvalue() == ""


def test_parallel_site_is_identical_to_serial(builds):
    serial, parallel = site(builds[1]), site(builds[2])
    assert sorted(serial) == sorted(parallel)
    assert "searchindex.js" in serial
    assert [name for name in serial if serial[name] != parallel[name]] == []


def test_search_index_gathered_from_the_workers_finds_every_briefing(builds):
    text = (builds[2].outdir / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(re.sub(r"^Search\.setIndex\(|\)$", "", text.strip()))
    titles = index["titles"]
    assert sum(t.startswith("Briefing number") for t in titles) == 10
    # Every briefing names Ada Lovelace: the word points at all ten of them.
    docs = index["terms"]["lovelac"]
    docs = docs if isinstance(docs, list) else [docs]
    assert {titles[d] for d in docs} >= {f"Briefing number {n}" for n in range(1, 11)}
