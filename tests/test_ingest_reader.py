"""Reading what users paste: encodings, line endings, metadata shapes, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefbook.ingest.decoding import MAX_PARAGRAPH
from briefbook.ingest.model import IngestError
from briefbook.ingest.parsing import parse_article
from briefbook.ingest.reader import read_article


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


# --- Real layouts: what saved pages put above (and around) the article -------------------------

from briefbook.ingest.bylines import parse_byline  # noqa: E402
from briefbook.ingest.dates import find_dates  # noqa: E402
from briefbook.ingest.sentences import derive_title, split_sentences  # noqa: E402

LOCK = ("A lock ( lock ) or https:// means you’ve safely connected to the .gov website. "
        "Share sensitive information only on official, secure websites.")
MET = ("Secretary of Defense Lloyd J. Austin III met with South Korea's minister of national "
       "defense at the Pentagon today to discuss the deployment of North Korean troops to Russia.")
GOV_BANNER = """An official website of the United States Government
Here's how you know

Official websites use .gov
A .gov website belongs to an official government organization in the United States.

Secure .gov websites use HTTPS
{LOCK}
""".replace("{LOCK}", LOCK)


def test_defense_news_header() -> None:
    text = GOV_BANNER + """
Skip to main content (Press Enter).
Department of Defense
Search
Home > News > News Stories

NEWS | Nov. 4, 2024
Austin, South Korean Counterpart Discuss North Korean Troops in Russia
By Jim Garamone, DOD News
Share
Print

{MET}

"This is a dangerous development," Austin said after the meeting.
""".replace("{MET}", MET)
    article = parse_article(text, "x.txt")
    assert article.title == "Austin, South Korean Counterpart Discuss North Korean Troops in Russia"
    assert not article.title_supplied
    assert str(article.date) == "2024-11-04"
    assert article.author == "Jim Garamone"
    assert article.publisher == "U.S. Department of Defense"
    assert article.paragraphs == [
        MET, '"This is a dangerous development," Austin said after the meeting.']


def test_transcript_header_with_time_stamp() -> None:
    text = GOV_BANNER + """
TRANSCRIPT
Secretary of Defense Lloyd J. Austin III Press Conference
Jan. 31, 2024
2:05 p.m. EDT

SECRETARY OF DEFENSE LLOYD J. AUSTIN III: Good afternoon, everyone.

Q: Mr. Secretary, a question on Ukraine?
"""
    article = parse_article(text, "x.txt")
    assert article.title == "Secretary of Defense Lloyd J. Austin III Press Conference"
    assert str(article.date) == "2024-01-31"
    assert article.publisher == "U.S. Department of Defense"  # the banner and the title's office
    assert article.paragraphs[0].startswith("SECRETARY OF DEFENSE LLOYD J. AUSTIN III: Good")
    assert len(article.paragraphs) == 2


def test_state_department_readout_header() -> None:
    text = """U.S. DEPARTMENT OF STATE
Secretary Blinken’s Call with Republic of Korea Foreign Minister Cho
READOUT
OFFICE OF THE SPOKESPERSON
OCTOBER 31, 2024

The below is attributable to Spokesperson Matthew Miller:

{SPOKE}
""".replace("{SPOKE}", "Secretary of State Antony J. Blinken spoke today with Republic of Korea "
            "Foreign Minister Cho Tae-yul about the deployment of DPRK troops to Russia.")
    article = parse_article(text, "x.txt")
    assert article.title == "Secretary Blinken’s Call with Republic of Korea Foreign Minister Cho"
    assert str(article.date) == "2024-10-31"
    assert article.publisher == "U.S. Department of State"
    assert article.author == ""
    assert article.paragraphs[0] == "The below is attributable to Spokesperson Matthew Miller:"
    assert len(article.paragraphs) == 2


def test_wikipedia_page_as_copied() -> None:
    text = """Jump to content

Kazan Kremlin

From Wikipedia, the free encyclopedia

For the museum, see Kazan Kremlin Museum.

{CITADEL}

History[edit]

The citadel was constructed in the 16th century after the conquest of Kazan.
""".replace("{CITADEL}", "The Kazan Kremlin is the chief historic citadel of Tatarstan, situated "
            "in the city of Kazan. It was built on the orders of Ivan the Terrible.")
    article = parse_article(text, "x.txt")
    assert (article.title, article.publisher, article.author) == ("Kazan Kremlin", "Wikipedia", "")
    assert article.paragraphs[1:] == [
        "History", "The citadel was constructed in the 16th century after the conquest of Kazan."]
    assert not any("Wikipedia" in p or "Jump" in p for p in article.paragraphs)


def test_wiki_markup_headings() -> None:
    text = ("= Kazan =\n\nKazan is the capital of Tatarstan.\n\n== History ==\n\n"
            "The city was founded in 1005.\n\n=== Kremlin ===\nThe kremlin dates from 1552.\n")
    article = parse_article(text, "x.txt")
    assert article.title == "Kazan" and not article.title_supplied
    assert article.publisher == "Wikipedia"
    assert article.paragraphs == ["Kazan is the capital of Tatarstan.", "History",
                                  "The city was founded in 1005.", "Kremlin",
                                  "The kremlin dates from 1552."]
    assert not any("=" in p for p in article.paragraphs)


def test_wikitext_infobox_fields_are_kept_as_list_items() -> None:
    # The fields name people, places and organisations ("Predecessor: Jüri Ratas", lists
    # of ISO codes): they are the page's text, one item per paragraph, not its title.
    text = ("= Kaja Kallas =\n\nKaja Kallas\n- Office: Prime Minister of Estonia\n"
            "- Term Start: 26 January 2021\n- Predecessor: Jüri Ratas\n\n"
            "Kaja Kallas (born 18 June 1977) is an Estonian politician.\n")
    article = parse_article(text, "x.txt")
    assert article.title == "Kaja Kallas"
    assert article.paragraphs == ["- Office: Prime Minister of Estonia",
                                  "- Term Start: 26 January 2021", "- Predecessor: Jüri Ratas",
                                  "Kaja Kallas (born 18 June 1977) is an Estonian politician."]


def test_kicker_release_number_and_source_lines() -> None:
    text = """PRESS RELEASE
Breaking
Release No: NR-123-24
Updated October 30, 2024
https://www.example.org/news/allies-agree
Allies agree new air defence package
Source: Ministry of Defence

The allies agreed on Tuesday to send more air defence systems to Ukraine.

Share
"""
    article = parse_article(text, "x.txt")
    assert article.title == "Allies agree new air defence package"
    assert str(article.date) == "2024-10-30"
    assert article.publisher == "Ministry of Defence"
    assert article.url == "https://www.example.org/news/allies-agree"
    assert article.paragraphs == ["The allies agreed on Tuesday to send more air defence "
                                  "systems to Ukraine."]


def test_publisher_from_a_header_url_when_the_text_names_none() -> None:
    article = parse_article("https://www.reuters.com/world/x-2024-11-04/\n\nTitle of it\n\n"
                            "Body text of the story.", "x.txt")
    assert article.publisher == "Reuters"
    article = parse_article("https://news.example.co.uk/a/b\n\nTitle of it\n\nBody text.", "x.txt")
    assert article.publisher == "example.co.uk"


def test_military_byline_and_unit() -> None:
    text = """An official website of the United States government
A .mil website belongs to an official U.S. Department of Defense organization in the United States.

Refuelers deliver warmth for people in Afghanistan

  • Published
  • By Staff Sgt. Jane Doe, 7th Air Force Public Affairs
A KC-10 aircrew flew a mission on Sept. 3 that will result in warmer winters for children in Afghanistan.
"""
    article = parse_article(text, "x.txt")
    assert article.title == "Refuelers deliver warmth for people in Afghanistan"
    assert article.author == "Jane Doe"
    assert article.paragraphs == ["A KC-10 aircrew flew a mission on Sept. 3 that will result in "
                                  "warmer winters for children in Afghanistan."]


@pytest.mark.parametrize(("line", "person"), [
    ("By Jim Garamone", "Jim Garamone"),
    ("By Jim Garamone, DOD News", "Jim Garamone"),
    ("By Staff Sgt. Jane Doe, 7th Air Force Public Affairs", "Jane Doe"),
    ("By Army Sgt. 1st Class John Smith", "John Smith"),
    ("By C. Todd Lopez and Jim Garamone, DOD News", "C. Todd Lopez and Jim Garamone"),
    ("BY JANE DOE | Nov. 4, 2024", "JANE DOE"),
])
def test_bylines(line: str, person: str) -> None:
    parsed = parse_byline(line)
    assert parsed is not None and parsed[0] == person


@pytest.mark.parametrize("line", [
    "By the end of the week, officials had agreed.", "By Tuesday, the talks had collapsed.",
    "by and large the talks went well"])
def test_not_bylines(line: str) -> None:
    parsed = parse_byline(line)
    assert parsed is None or not parsed[0]


def test_byline_of_an_organisation_is_the_publisher() -> None:
    article = parse_article("Seoul protests\n\nBy Reuters\n\nSouth Korea protested on Monday.",
                            "x.txt")
    assert (article.author, article.publisher) == ("", "Reuters")


def test_date_from_dateline_and_wire_tag() -> None:
    article = parse_article("Ship completes visit\n\nUSS NEW ORLEANS, At Sea (NNS) -- The ship "
                            "departed Colombia, Aug. 17, 2010, after a port visit.", "x.txt")
    assert article.publisher == "U.S. Navy"
    article = parse_article("Talks end\n\nWASHINGTON, Nov. 4, 2024 — The talks ended today.",
                            "x.txt")
    assert str(article.date) == "2024-11-04"
    assert article.paragraphs == ["WASHINGTON, Nov. 4, 2024 — The talks ended today."]


def test_place_and_date_lines_and_day_first_numbers() -> None:
    article = parse_article("European Commission\n\nBrussels, 21 February 2014\n\nStatement by "
                            "President Barroso on Ukraine\n\n\"I welcome the agreement.\"", "x.txt")
    assert article.title == "Statement by President Barroso on Ukraine"
    assert (str(article.date), article.publisher) == ("2014-02-21", "European Commission")
    article = parse_article("Remarks by the President\n\n09/12/2019 - 09:41\nNews stories\n\n"
                            "It has been less than a week.", "x.txt")
    assert str(article.date) == "2019-12-09"
    assert article.paragraphs == ["It has been less than a week."]


def test_real_paragraphs_are_never_dropped() -> None:
    body = ["By the end of the week, officials had agreed on a plan.",
            "Published reports said the plan would cost $2 billion.",
            "Updated figures follow.", "Share prices fell sharply in Seoul.",
            "Source material was not released."]
    article = parse_article("Plan agreed\n\n" + "\n\n".join(body), "x.txt")
    assert article.paragraphs == body


def test_headline_not_taken_from_a_menu_or_site_name() -> None:
    text = ("USS New Orleans\n\"Victory from the Sea\"\nUSS New Orleans Completes Colombia Port "
            "Visit\nUSS NEW ORLEANS, At Sea -- The ship departed Colombia after a port visit.\n")
    article = parse_article(text, "x.txt")
    assert article.title == "USS New Orleans Completes Colombia Port Visit"
    assert len(article.paragraphs) == 1


@pytest.mark.parametrize(("text", "first"), [
    ("Secretary of Defense John F. Kennedy arrived. He spoke.",
     "Secretary of Defense John F. Kennedy arrived."),
    ("The U.S. Army said so. Then it left.", "The U.S. Army said so."),
    ("Gen. Charles Q. Brown Jr. met Sgt. Maj. Lee on Jan. 5. Talks followed.",
     "Gen. Charles Q. Brown Jr. met Sgt. Maj. Lee on Jan. 5."),
    ("It ended. “Good,” he said.", "It ended."),
])
def test_sentence_splitting_keeps_initials_and_abbreviations(text: str, first: str) -> None:
    assert split_sentences(text)[0] == first


def test_derived_title_never_cuts_at_an_initial() -> None:
    title = derive_title(["Secretary of Defense John F. Smith announced on Monday in Washington "
                          "a new package of aid for Ukraine worth two billion dollars. More."])
    assert title.startswith("Secretary of Defense John F. Smith announced")
    title = derive_title(["The newly appointed deputy secretary of the Army, retired Gen. John F. "
                          "Smith, arrived on Monday in Kyiv for talks on air defence and aid."])
    assert "John F. Smith" in title and " F …" not in title and not title.endswith("John …")
    title = derive_title(["WASHINGTON — Secretary of Defense Lloyd J. Austin III met his "
                          "counterpart. Talks followed."])
    assert title == "Secretary of Defense Lloyd J. Austin III met his counterpart"


def test_find_dates_forms() -> None:
    found = [str(d) for _, _, d in find_dates(
        "Nov. 4, 2024; 4 November 2024; NOVEMBER 4, 2024; 2024-11-04T12:00Z; Sept. 3, 2019")]
    assert found == ["2024-11-04"] * 4 + ["2019-09-03"]
