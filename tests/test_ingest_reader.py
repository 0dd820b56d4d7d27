"""Reading what users paste: encodings, line endings, metadata shapes, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefbook.ingest.model import IngestError
from briefbook.ingest.reader import MAX_PARAGRAPH, parse_article, read_article


def write(tmp_path: Path, data: bytes, name: str = "a.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_invalid_utf8_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, b" date 2024-01-01 A B\n\nok\n\nbad \xff\xfe byte\n")
    with pytest.raises(IngestError) as info:
        read_article(path)
    assert str(info.value).startswith(f"{path}:5: not valid UTF-8")


def test_nul_bytes(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r":3: contains a NUL byte"):
        read_article(write(tmp_path, b" date 2024-01-01 A B\n\nx\x00y\n"))


@pytest.mark.parametrize("data", [b"", b"   \n\n\t\n", b"\xef\xbb\xbf"])
def test_empty_files(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(IngestError, match="is empty"):
        read_article(write(tmp_path, data))


def test_metadata_only(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="no body text"):
        read_article(write(tmp_path, b" date 2024-01-01 A B\n"))


def test_huge_single_line(tmp_path: Path) -> None:
    data = b" date 2024-01-01 A B\n\n" + b"word " * (5 * 1024 * 1024 // 5)
    with pytest.raises(IngestError, match=r":3: line is [\d,]+ characters long"):
        read_article(write(tmp_path, data))


def test_long_but_acceptable_paragraph() -> None:
    article = parse_article("Title here\n\n" + "word " * (MAX_PARAGRAPH // 6), "x.txt")
    assert len(article.paragraphs) == 1


def test_crlf_and_cr(tmp_path: Path) -> None:
    path = write(tmp_path, b" date 2024-03-04 Ana Kovac\r\n\r\nA title\r\n\r\n"
                 b"First line\r\nsecond line.\r\rNext.\r\n")
    article = read_article(path)
    assert article.title == "A title"
    assert article.paragraphs == ["First line second line.", "Next."]
    assert article.author == "Ana Kovac"


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = write(tmp_path, " date 2024-03-04 Ana\n\nTitle\n\nBody ü.\n".encode("utf-16"))
    assert read_article(path).paragraphs == ["Body ü."]


def test_missing_metadata_line_is_a_warning() -> None:
    article = parse_article("Just a body paragraph that runs on and on.", "x.txt")
    assert article.date is None and article.author == ""
    assert any("no metadata line" in w for w in article.warnings)
    assert article.title_supplied


def test_date_without_author() -> None:
    article = parse_article(" date 2024-11-02\n\nBody text here.", "x.txt")
    assert article.date is not None and article.author == ""
    assert any("date but no author" in w for w in article.warnings)


def test_bad_date_is_reported() -> None:
    article = parse_article(" date 2024-13-45 A B\n\nBody.", "x.txt")
    assert article.date is None
    assert any("not a date" in w for w in article.warnings)


def test_headers_and_markdown_title() -> None:
    article = parse_article("Title: T\nBy: Jane Roe\nDate: 5 March 2024\n\nBody.", "x.txt")
    assert (article.title, article.author, str(article.date)) == ("T", "Jane Roe", "2024-03-05")
    article = parse_article("# A heading title\n\nBody one.\n\nBody two.", "x.txt")
    assert article.title == "A heading title" and not article.title_supplied


def test_date_from_file_name() -> None:
    assert str(parse_article("Body.", "2024-05-06-x.txt").date) == "2024-05-06"


def test_pull_quotes_and_derived_title() -> None:
    text = (" date 2024-01-01 A B\n\nIt was confirmed today that the talks in Geneva have "
            "collapsed after three days of meetings between the two delegations.\n\n"
            "“a long winter”\n\nThe envoy said it would be “a long winter” for all.\n")
    article = parse_article(text, "x.txt")
    assert article.pull_quotes == ["“a long winter”"]
    assert article.title_supplied
    assert article.title == "The talks in Geneva have collapsed after three days of meetings"[:len(
        article.title)] or article.title.endswith("…")


def test_control_characters_replaced() -> None:
    article = parse_article("Title\n\nA\x0bB\x1bC.", "x.txt")
    assert article.paragraphs == ["A B C."]
    assert article.warnings


def test_transcript_lines_without_blank_lines() -> None:
    article = parse_article("Briefing\n\nMR. KIRBY: One.\nQ: Two?\nMR. KIRBY: Three.", "x.txt")
    assert article.paragraphs == ["MR. KIRBY: One.", "Q: Two?", "MR. KIRBY: Three."]
    assert [b.turn_label for b in article.blocks] == ["MR. KIRBY: ", "Q: ", "MR. KIRBY: "]
