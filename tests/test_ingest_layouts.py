"""Headers of sites ingest was never tuned on (issue 20): banners, accessibility bars,
section names, repeated headlines, report covers and the dates they print.

Each text is a small made-up page in one layout; the assertions are what a user reads in
the front matter (title, date, publisher) and the first paragraph."""

from __future__ import annotations

import datetime as dt

from briefbook.ingest.dates import find_dates, placed_date
from briefbook.ingest.furniture import id_line_date
from briefbook.ingest.parsing import parse_article

BODY = ("The two ministers met for an hour and discussed trade, energy and the situation "
        "in the region, agreeing to meet again before the end of the year.")


def test_accessibility_bar_and_official_site_line() -> None:
    text = ("View settings\n\nFont size:\nSite colours:\n\n\nOfficial website of the President "
            "of Freedonia\n\nNews   /\n\nTalks with the Prime Minister of Sylvania\n\n"
            "March 4, 2021, Fredville\n\n" + BODY)
    article = parse_article(text, "a.txt")
    assert article.title == "Talks with the Prime Minister of Sylvania"
    assert article.date == dt.date(2021, 3, 4)
    assert article.publisher == "President of Freedonia"
    assert article.blocks[0].text == BODY


def test_office_banner_above_repeated_headline() -> None:
    text = ("President of Freedonia\n\nPresident met farmers in the north\n\n3 May 2022 - 10:15\n\n"
            "President met farmers in the north\n\n" + BODY)
    article = parse_article(text, "a.txt")
    assert article.title == "President met farmers in the north"
    assert article.publisher == "President of Freedonia"
    assert article.date == dt.date(2022, 5, 3)
    assert article.blocks[0].text == BODY


def test_mirror_name_above_repeated_headline_is_not_the_title() -> None:
    text = ("Some Mirror en\n\nMay 11, 2010\n\nCouncil elects a new mayor\n\n"
            "Council elects a new mayor\n\n" + BODY)
    assert parse_article(text, "a.txt").title == "Council elects a new mayor"


def test_section_name_above_headline_and_back_link() -> None:
    text = ("Freedonia-Sylvania Relations\nFreedonia-Sylvania Summit Meeting\nJune 27, 2019\n\n"
            + BODY + "\n\nBack to Freedonia-Sylvania Relations\n")
    article = parse_article(text, "a.txt")
    assert article.title == "Freedonia-Sylvania Summit Meeting"
    assert all("Back to" not in b.text for b in article.blocks)


def test_back_link_names_the_section_that_heads_the_page() -> None:
    text = ("Freedonia-Sylvania Relations\n\nAugust 2, 2018\nForeign Ministers’ Meeting 1\n"
            "Foreign Ministers’ Meeting 2\nForeign Ministers’ Meeting 3\n\n" + BODY
            + "\n\nBack to Freedonia-Sylvania Relations\n")
    article = parse_article(text, "a.txt")
    assert article.title == "Foreign Ministers’ Meeting"  # the captions' common words
    assert article.blocks[0].text == BODY


def test_speaker_name_and_office_above_speech_headline() -> None:
    text = ("[Check Against Delivery]\n\nAnna Maria Smith\n\nPresident of the Sylvanian Council\n\n"
            "Statement by President Smith after the meeting with the Prime Minister\n\n"
            "Fredville, 21 January 2014\n\nGood afternoon,\n\n" + BODY)
    article = parse_article(text, "a.txt")
    assert article.title == ("Statement by President Smith after the meeting with the Prime "
                             "Minister")
    assert article.date == dt.date(2014, 1, 21)


def test_site_name_and_address_running_head_and_tag_line() -> None:
    text = ("- Daily Lantern - https://lantern.example.org -\n\nSylvania: Writers remembered\n\n"
            "Categories: East Asia, Sylvania, Freedom of Speech\n\n" + BODY)
    article = parse_article(text, "a.txt")
    assert article.title == "Sylvania: Writers remembered"
    assert article.publisher == "Daily Lantern"
    assert [b.text for b in article.blocks] == [BODY]


def test_bracketed_date_and_file_note_leave_the_title() -> None:
    text = ("Coup in Sylvania: Issues for Parliament [May 12, 2021]   [open pdf - 1MB]\n\n" + BODY)
    article = parse_article(text, "a.txt")
    assert article.title == "Coup in Sylvania: Issues for Parliament"
    assert article.date == dt.date(2021, 5, 12)


def test_report_identifier_lines_give_the_date() -> None:
    text = ("Overseas Presence: More Work Needed\n(27-NOV-01, ABC-02-143).\n\n" + BODY)
    article = parse_article(text, "a.txt")
    assert article.title == "Overseas Presence: More Work Needed"
    assert article.date == dt.date(2001, 11, 27)
    assert id_line_date("Staffing Gaps Persist Abc ID: ABC-09-1046T September 24, 2009") == (
        "Staffing Gaps Persist", dt.date(2009, 9, 24))


def test_unqualified_department_above_a_report_is_not_its_publisher() -> None:
    text = "Department of Roads\n\nPersistent Staffing Gaps Compromise Readiness\n\n" + BODY
    assert parse_article(text, "a.txt").publisher == ""


def test_date_then_place_and_dotted_dates() -> None:
    assert placed_date("October 22, 2019, Fredville") == dt.date(2019, 10, 22)
    assert placed_date("Saturday, February 15, 2025, 6:34 p.m. Fredville, Sylvania") == \
        dt.date(2025, 2, 15)
    assert placed_date("June 27, 2019 Talks Begin") is None  # a date run into a heading
    text = "Statement on the latest attacks\n\n16.12.2022 Press Team\n\n" + BODY
    assert parse_article(text, "a.txt").date == dt.date(2022, 12, 16)
    assert find_dates("(27-NOV-01)")[0][2] == dt.date(2001, 11, 27)


def test_headline_wrapped_over_two_lines_is_read_whole() -> None:
    text = ("Sylvania: Post-War\nGovernance and Security\nUpdated January 17, 2007\n\n"
            "Sylvania: Post-War Governance and Security\nSummary\n" + BODY)
    assert parse_article(text, "a.txt").title == "Sylvania: Post-War Governance and Security"


def test_photo_captions_after_the_date_are_not_the_headline() -> None:
    text = ("Freedonia-Sylvania Relations\n\nApril 18, 2024\nMs. ADAMS, Minister for Foreign "
            "Affairs of Freedonia, is talking with Mr. Ivan BROWN, Minister for Foreign Affairs "
            "of Sylvania\nMinister Adams and Minister Brown who hold a joint press announcement\n\n"
            + BODY + "\n\nBack to Freedonia-Sylvania Relations\n")
    article = parse_article(text, "a.txt")
    assert article.title_supplied  # no headline printed: none invented from a caption
    assert article.blocks[0].text == BODY
    assert any("is talking with" in credit for credit in article.credits)


def test_headline_after_the_date_is_still_the_headline() -> None:
    text = "NEWS\n\nApril 18, 2024\n\nMinisters Agree to Meet Again Before Year End\n\n" + BODY
    assert parse_article(text, "a.txt").title == "Ministers Agree to Meet Again Before Year End"


def test_document_host_datasheet_is_not_read_as_paragraphs() -> None:
    text = ("Harbour Dues Explained\n\nDatasheet\n\nYear, pagecount:2022, 35 page(s)\n\n"
            "Language:English\n\nDownloads:6\n\nSize:1 MB\n\nInstitution:\n-\n\n"
            "Download in PDF:Please log in!\n\n" + BODY)
    texts = [block.text for block in parse_article(text, "a.txt").blocks]
    assert not any(":" in t for t in texts)
    assert BODY in texts


def test_short_answers_in_an_interview_stay() -> None:
    text = ("Interview with the Minister\n\n" + BODY + "\n\nQuestion: Will you go?\n\n"
            "Minister: Yes.\n\nQuestion: When?\n\nMinister: Soon.\n")
    texts = [block.text for block in parse_article(text, "a.txt").blocks]
    assert "Minister: Soon." in texts


def test_wiki_sidebar_box_is_not_read_as_paragraphs() -> None:
    text = ("Ministers meet without the opposition\n\nFrom Wikinews, the free news source you "
            "can write!\nJump to: navigation, search\n\nTuesday, October 20, 2009\n\nFreedonia\n"
            "Other stories from Freedonia\n…More articles here\nLocation of Freedonia\n\n"
            "A map showing the location of Freedonia\n\nTo write, edit, start or view other "
            "articles on Freedonia, see the Freedonia Portal\nFlag of Freedonia.svg\n\n" + BODY)
    article = parse_article(text, "a.txt")
    texts = [block.text for block in article.blocks]
    assert article.title == "Ministers meet without the opposition"
    assert not any("Location of" in t or ".svg" in t or "Portal" in t or "navigation" in t
                   for t in texts)
    assert BODY in texts
