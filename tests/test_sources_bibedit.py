"""Setting fields of one entry in sources.bib: the rest of the file byte for byte as it was."""

from __future__ import annotations

import pytest
from pybtex.database.input.bibtex import Parser

from briefbook.sources.bibedit import BibEditError, edit_text, set_fields

BIB = """\
% Sources for the briefing on the ministry talks.
% Keep this comment: it is the editor's note.

@online{ministry2026,
  author       = {{Ministry of Defence}},
  title        = {Statement on the talks, {part} {\\em one}},
  abstract     = {A long abstract
                  that runs over
                  several lines {with {nested} braces}},
  year         = {2026},
  url          = {https://example.org/statement}
}

@article{smith2025,
    author = "Smith, Jane",
    title = "Talks {"}resume{"}" # " today",
    journal = {The Journal},
    year = 2025,
}

@misc(paren2024, title = {Parenthesised}, year = {2024})
@misc{oneline, title = {On one line}, year = {2023}}
@misc{bare}
"""

VALUES = {"archive": "archive/ministry2026-20261130T120000Z.warc.gz",
          "archive-date": "2026-11-30T12:00:00Z",
          "archive-sha256": "0" * 64}


def parse(text: str) -> dict[str, dict[str, str]]:
    data = Parser(encoding="utf-8").parse_string(text)
    return {key: {k.lower(): str(v) for k, v in entry.fields.items()}
            for key, entry in data.entries.items()}


def outside(text: str, key: str) -> tuple[str, str]:
    """The text before the entry ``key`` and after its last line."""
    start = text.rfind("\n", 0, text.index(key)) + 1
    following = text.find("\n@", text.index(key))
    return text[:start], text[following:] if following >= 0 else ""


def test_inserts_fields_before_the_closing_brace_aligned_like_the_entry() -> None:
    edited = edit_text(BIB, "ministry2026", VALUES)
    assert outside(edited, "ministry2026") == outside(BIB, "ministry2026")
    assert ("  url          = {https://example.org/statement},\n"
            "  archive      = {archive/ministry2026-20261130T120000Z.warc.gz},\n"
            "  archive-date = {2026-11-30T12:00:00Z},\n"
            "  archive-sha256 = {" + "0" * 64 + "},\n}\n") in edited
    before, after = parse(BIB), parse(edited)
    assert after["ministry2026"] == {**before["ministry2026"], **VALUES}
    assert {k: v for k, v in after.items() if k != "ministry2026"} == {
        k: v for k, v in before.items() if k != "ministry2026"}


def test_replaces_an_existing_value_in_place_even_over_several_lines() -> None:
    edited = edit_text(BIB, "ministry2026", {"abstract": "Short.", "YEAR": "2027"})
    assert edited == BIB.replace(
        "{A long abstract\n                  that runs over\n                  several lines "
        "{with {nested} braces}}", "{Short.}").replace("{2026}", "{2027}")
    assert parse(edited)["ministry2026"]["abstract"] == "Short."


def test_replaces_quoted_concatenated_and_bare_values() -> None:
    edited = edit_text(BIB, "smith2025", {"title": "Talks resume", "year": "2026"})
    assert '    title = {Talks resume},\n' in edited
    assert "    year = {2026},\n}" in edited
    assert outside(edited, "smith2025") == outside(BIB, "smith2025")
    assert parse(edited)["smith2025"]["title"] == "Talks resume"


@pytest.mark.parametrize("key", ["paren2024", "oneline", "bare"])
def test_entries_on_one_line_and_with_parentheses(key: str) -> None:
    edited = edit_text(BIB, key, {"archive": "a.warc.gz"})
    assert outside(edited, key) == outside(BIB, key)
    assert parse(edited)[key]["archive"] == "a.warc.gz"
    assert parse(edited)[key].items() >= parse(BIB)[key].items()


def test_a_second_edit_replaces_what_the_first_added() -> None:
    once = edit_text(BIB, "ministry2026", VALUES)
    twice = edit_text(once, "ministry2026", {**VALUES, "archive-sha256": "f" * 64})
    assert twice == once.replace("0" * 64, "f" * 64)


def test_keys_match_case_insensitively_as_in_bibtex() -> None:
    assert parse(edit_text(BIB, "Ministry2026", {"note": "x"}))["ministry2026"]["note"] == "x"


def test_missing_or_repeated_key_is_refused_naming_file_and_key() -> None:
    with pytest.raises(BibEditError, match=r"^sources\.bib: no entry with key 'nosuch'$"):
        edit_text(BIB, "nosuch", VALUES, "sources.bib")
    repeated = BIB + "\n@misc{bare, title = {again}}\n"
    with pytest.raises(BibEditError, match=r"sources\.bib: key 'bare' is used by 2 entries \(lines 23, 25\)"):
        edit_text(repeated, "bare", VALUES, "sources.bib")


@pytest.mark.parametrize("value", ["with {brace", "back\\slash", "two\nlines", "close}"])
def test_values_bibtex_would_misread_are_refused(value: str) -> None:
    with pytest.raises(BibEditError, match="cannot set note of 'bare'"):
        edit_text(BIB, "bare", {"note": value}, "sources.bib")


def test_a_broken_entry_is_refused_with_its_line() -> None:
    broken = "@misc{a,\n  title = {unclosed,\n  year = 2020\n"
    with pytest.raises(BibEditError, match=r"^sources\.bib:2: entry 'a' \(line 1\): a '\{' is never closed"):
        edit_text(broken, "a", {"note": "x"}, "sources.bib")
    with pytest.raises(BibEditError, match=r"^sources\.bib:5: entry 'a' \(line 1\): no closing '\}'"):
        edit_text(broken + "}\n", "a", {"note": "x"}, "sources.bib")
    missing_comma = "@misc{a,\n  title = {x}\n  year = 2020\n}\n"
    with pytest.raises(BibEditError, match=r"sources\.bib:3: .*a ',' is missing"):
        edit_text(missing_comma, "a", {"note": "x"}, "sources.bib")


def test_the_file_keeps_its_line_endings_byte_order_mark_and_mode(tmp_path) -> None:
    path = tmp_path / "sources.bib"
    original = ("\ufeff" + BIB).replace("\n", "\r\n").encode("utf-8")
    path.write_bytes(original)
    path.chmod(0o640)
    set_fields(path, "oneline", {"note": "added"})
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert data.replace(b",\r\n  note = {added},\r\n}", b"}") == original
    assert path.stat().st_mode & 0o777 == 0o640
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left


def test_set_fields_leaves_the_file_alone_on_error(tmp_path) -> None:
    path = tmp_path / "sources.bib"
    path.write_text(BIB, encoding="utf-8")
    with pytest.raises(BibEditError, match=r"sources\.bib: no entry with key 'gone'"):
        set_fields(path, "gone", VALUES)
    assert path.read_text(encoding="utf-8") == BIB
    path.write_bytes(b"@misc{a, title = {caf\xe9}}\n")
    with pytest.raises(BibEditError, match=r"sources\.bib:1: not valid UTF-8"):
        set_fields(path, "a", VALUES)
