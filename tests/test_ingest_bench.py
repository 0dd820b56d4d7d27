"""The linking benchmark runs, and linking cost does not grow with the registry."""

from __future__ import annotations

from briefbook.ingest.bench import SEED_TEXT, main, measure


def test_flat_cost() -> None:
    text = "\n\n".join(" ".join(SEED_TEXT.split()) for _ in range(400))
    small = max(measure(100, text)["mb_per_s"] for _ in range(2))
    large = max(measure(10_000, text)["mb_per_s"] for _ in range(2))
    assert large > small / 3  # generous: timing noise, but no 100x growth


def test_main_runs(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--sizes", "100,1000", "--articles", "3"]) == 0
    out = capsys.readouterr().out
    assert "MB/s" in out
    assert "ingest of 3 articles" in out and "spaCy" in out
