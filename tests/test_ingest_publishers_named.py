"""Publishers a text names only in passing (issue 20): a credit by initials that the text
spells out, a "Retrieved from:" line, a country's body under a speaker's name.

Each text is a small made-up document; the assertions are the publisher (and title) a user
reads in the front matter, and that nothing is named when the text leaves it open."""

from __future__ import annotations

from briefbook.ingest.parsing import parse_article
from briefbook.ingest.publishers import retrieved_from, spelled_out

BODY = ("The two ministers met for an hour and discussed trade, energy and the situation "
        "in the region, agreeing to meet again before the end of the year.")


def test_report_cover_credit_spelled_out_elsewhere() -> None:
    text = ("FRS Report for Received through the FRS Web\n\nHarbour Dues: Review and Analysis\n\n"
            "March 8, 2001\n\nFreedonian Research Service ˜ The of Parliament Harbour Dues\n\n"
            + BODY)
    article = parse_article(text, "a.txt")
    assert article.title == "Harbour Dues: Review and Analysis"
    assert article.publisher == "Freedonian Research Service"


def test_press_team_initials_never_spelled_out_name_nothing() -> None:
    text = ("Sylvania: Statement on the latest attacks\n\n16.12.2022 SEAS Press Team\n\n" + BODY)
    article = parse_article(text, "a.txt")
    assert article.title == "Sylvania: Statement on the latest attacks"
    assert article.publisher == ""


def test_initials_spelled_out_two_ways_name_nothing() -> None:
    assert spelled_out("GAO", "the Government Accountability Office, once the General "
                       "Accounting Office") == ""
    assert spelled_out("SEAS", "the Sylvanian External Action Service said") == \
        "Sylvanian External Action Service"


def test_retrieved_from_line_names_the_site() -> None:
    assert retrieved_from(["Public Domain", "Retrieved From:",
                           "Freedonian Research Service: https://reports.example.org/"]) == \
        "Freedonian Research Service"
    assert retrieved_from(["Retrieved from: https://reports.example.org/"]) == ""
    text = (BODY + "\n\nReport Number:\nFRS Report, R12345\nPublic Domain\nRetrieved From:\n"
            "Freedonian Research Service: https://reports.example.org/\n")
    assert parse_article(text, "a.txt").publisher == "Freedonian Research Service"


def test_national_body_under_speaker_credit_is_the_publisher() -> None:
    text = ("Remarks by Ambassador Jane Doe at the Security Council\n\nJane Doe\n"
            "U.S. Permanent Representative to the United Nations\n"
            "U.S. Mission to the United Nations\nNew York, NY\nNovember 19, 2012\n\n" + BODY)
    assert parse_article(text, "a.txt").publisher == "U.S. Mission to the United Nations"


def test_sub_office_under_headline_is_not_the_publisher() -> None:
    text = ("Briefing on Humanitarian Assistance\n\nOffice of Press Relations\n\n"
            "November 19, 2012\n\n" + BODY)
    assert parse_article(text, "a.txt").publisher == ""
