"""Header lines one at a time: site furniture, kickers, bylines, datelines and headlines.

A copied web page brings its menus, banners, share buttons and cookie notices along.
The phrase lists and patterns here say what such a line is, and :func:`classify_header`
and :func:`strong` give each line of a page's header its kind, noting in a
:class:`Header` what the line tells about the article (its date, author, publisher);
:mod:`.header` walks the lines and decides where the article begins.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from briefbook.ingest.bylines import PIPE_SEP, parse_byline
from briefbook.ingest.dates import date_line, find_dates, placed_date
from briefbook.ingest.paragraphs import BULLET, TURN_LABEL
from briefbook.ingest.publishers import ACRONYM_CREDIT, KNOWN_SITES, line_key, org_name
from briefbook.ingest.sentences import split_sentences

_MD_HEADING = re.compile(r"^\s*#{1,6}\s+(?P<title>.+?)\s*#*\s*$")


def _looks_like_title(text: str) -> bool:
    if re.search(r"[.!?,;][\"”’')\]]+$", text):
        return False  # a sentence that ends inside quotation marks
    return (len(text) <= 200 and not text.endswith((".", ",", ";", ":"))
            and not text.startswith(("“", '"', "‘", "'", "«", "„"))
            and len(text.split()) <= 25 and any(c.isalpha() for c in text))


#: Site furniture that is never article text, wherever it stands (whole lines).
BOILERPLATE = frozenset(line_key(x) for x in (
    "An official website of the United States Government", "Here's how you know",
    "Dot gov", "Dot mil", "Https", "Lock", "Locked padlock", "Official websites use .mil",
    "Here's how you know.", "Official websites use .gov", "Secure .gov websites use HTTPS",
    "A .gov website belongs to an official organization in the United States.",
    "Share sensitive information only on official, secure websites.",
    "Official websites use .gov. A .gov website belongs to an official government "
    "organization in the United States.",
    "A .gov website belongs to an official government organization in the United States.",
    "From Wikipedia, the free encyclopedia", "From Wikinews, the free news source you can write!",
    "From Wikinews, the free news source", "Skip to main content", "Skip to content",
    "Skip to main content (Press Enter)", "Skip to navigation", "Skip to search",
    "Jump to navigation", "Jump to search", "Jump to content", "Skip Navigation",
    "Share", "Print", "Email", "E-mail", "Share this", "Share this page", "Share this article",
    "Share on Facebook", "Share on Twitter", "Share on X", "Share on LinkedIn", "Tweet",
    "Copy link", "Link copied", "Print this page", "Print friendly", "Printer friendly",
    "Facebook", "Twitter", "LinkedIn", "WhatsApp", "Reddit", "Advertisement", "Back to top",
    "Subscribe", "###", "# # #", "-30-", "- 30 -", "Toggle navigation", "Open menu", "Close menu",
    "Download PDF", "Download", "Listen to this article", "Listen", "Comments",
    "Facebook Twitter LinkedIn Email", "Share Print", "Print Share", "Side Bar", "Sidebar",
    "Check against delivery", "Check against delivery!", "Infobox",
))
BOILERPLATE_START = re.compile(
    r"^(?:a lock \(.{0,20}\) or https://|an official website of the |official websites use \.(?:gov|mil)"
    r"|secure \.(?:gov|mil) websites use|(?:an? )?\.(?:gov|mil) website belongs to "
    r"|share sensitive information only on|this page was last edited"
    r"|retrieved from \"?https?://|photo credit:|image credit:|\(photo by "
    r"|this page is archived, and is no longer publicly editable"
    r"|to write, edit, start or view other articles on |jump to: navigation)", re.IGNORECASE)
#: Furniture at the top of a page (and just below the headline): never the article's words.
_HEADER_START = re.compile(
    r"^(?:this article is about |for other uses, see |\(redirected from |not to be confused with "
    r"|\".*\" redirects here|coordinates: |we use (?:some )?(?:essential )?cookies|cookies on "
    r"|accept (?:all|additional|analytics) cookies|reject (?:all|additional|analytics) cookies"
    r"|you(?: have|'ve|’ve) accepted |you can change your cookie|view cookies|change your cookie"
    r"|release (?:no|number)\b|news release (?:no|number)\b|media contacts?\b|press contacts?\b"
    r"|for immediate release|immediate release|photo by |listen to (?:this|the) article"
    r"|this is an old revision of this page|this was published under the |other available languages"
    r"|check against delivery|the present address \(url\) is a permanent link"
    r"|for (?:the|other|a|an) [^.]{1,80}, see |page version status|the page has not been checked"
    r"|there are no reviewed versions of this page|view gallery|gallery contains \d+ images?)",
    re.IGNORECASE)
#: Navigation words that only count as furniture before the article begins.
_NAV = frozenset(line_key(x) for x in (
    "Home", "Search", "Menu", "Main menu", "Navigation", "Close", "More", "Related",
    "Related articles", "Related stories", "Read more", "Sign in", "Log in", "Sign up",
    "Register", "Newsletter", "Newsletters", "Contact", "Contact us", "About", "About us",
    "Top", "(Top)", "Contents", "hide", "show", "Tools", "Article", "Talk", "Read", "Edit",
    "View history", "View source", "Languages", "Add languages", "Add links", "Actions",
    "General", "Print/export", "In other projects", "Appearance", "Donate", "Create account",
    "Personal tools", "Pages for logged out editors", "Toggle the table of contents",
    "Text", "Small", "Standard", "Large", "Width", "Wide", "Color (beta)", "Automatic",
    "Light", "Dark", "Cookies", "Accept", "Reject", "Accept cookies", "Reject cookies",
    "Hide this message", "Hide cookie message", "Menu Search", "Search Menu", "Site Map",
    "Navigation path", "Left navigation", "Right navigation", "Additional tools", "Page contents",
    "On this page", "Table of contents", "Published", "Updated", "Posted", "Last updated",
    "First published", "Print this article", "Email this article", "Font size", "Text size",
    # Accessibility bars: "View settings / Font size: / Site colours:".
    "View settings", "Site colours", "Site colors", "Colour scheme", "Color scheme",
    "Version for the visually impaired", "Accessibility", "Images", "Line spacing",
))
#: Kickers: the section or kind of piece printed above a headline.
_KICKERS = frozenset(line_key(x) for x in (
    "News", "Breaking", "Breaking news", "Press release", "Press releases", "News release",
    "News releases", "Release", "Releases", "Statement", "Statements", "Press statement",
    "Joint statement", "Readout", "Readouts", "Transcript", "Transcripts", "Speech", "Speeches",
    "Remarks", "Fact sheet", "Fact sheets", "Media note", "Media advisory", "Advisory",
    "Briefing room", "Statements and releases", "Press briefings", "Speeches and remarks",
    "Presidential actions", "News story", "News stories", "Feature", "Features", "Article",
    "Analysis", "Opinion", "Commentary", "Editorial", "Explainer", "Live", "Exclusive",
    "Update", "Latest", "Latest news", "Top stories", "Spotlight", "Story", "Blog", "Interview",
    "Op-ed", "Announcement", "Announcements", "Newsroom", "Press room", "Pressroom",
    "News & events", "News and events", "Press", "Media", "Media center", "Media centre",
    "Special report", "World", "World news", "Politics", "Defense", "Defence", "Security",
    "Europe", "Asia", "Asia-Pacific", "Middle East", "Africa", "Americas", "US", "U.S.", "UK",
    "International", "National", "Local", "Business", "Technology", "Science", "Health",
    "Sport", "Sports", "Culture", "Video", "Audio", "Podcast", "Photos", "Gallery",
    "Government", "Policy paper", "Guidance", "Corporate report", "Notice", "Decision",
    "Official statistics", "Consultation outcome", "Correspondence", "Case study",
    "Detailed guide", "Research", "Report", "Reports", "Briefing", "Briefings",
    "Press briefing", "Press conference", "Press releases and statements",
    "Department of Defense news", "DOD news", "Stories", "Articles", "In the news",
    "Press conferences", "Transcripts and speeches",
))


_SOURCE = re.compile(r"^\s*(?:source|sources|publisher|published by|from)\s*:\s*(?P<who>.+?)\s*$",
                     re.IGNORECASE)


_URL_LINE = re.compile(r"^\s*<?(?:https?://|www\.)\S+>?\s*$", re.IGNORECASE)
WIKI_HEADING = re.compile(r"^\s*(?P<marks>={1,6})\s*(?P<text>[^=].*?)\s*(?P=marks)\s*$")
EDIT_SUFFIX = re.compile(r"\s*\[\s*edit(?:\s+source)?\s*\]\s*$", re.IGNORECASE)
_BREADCRUMB_SEP = re.compile(r"\s+(?:>|›|»|→|/|:)\s+|\s*[›»→]\s*")


def _kicker(line: str) -> tuple[bool, dt.date | None]:
    """A kicker line ("NEWS | Nov. 4, 2024", "PRESS RELEASE"), with any date it holds."""
    date: dt.date | None = None
    line = " ".join(line.split())  # runs of spaces make the split quadratic
    parts = [p for p in PIPE_SEP.split(line) if p.strip()]
    if not parts:
        return False, None
    for part in parts:
        is_date, found = date_line(part)
        if is_date:
            date = date or found
        elif line_key(part) not in _KICKERS:
            return False, None
    return True, date


def _breadcrumb(line: str) -> bool:
    parts = [p for p in _BREADCRUMB_SEP.split(" ".join(line.split())) if p]
    if len(parts) < 2 or any(len(p.split()) > 6 for p in parts):
        return False
    return len(parts) >= 3 or line_key(parts[0]) in {"home", "news", "home page"}


def _short_caps(line: str) -> bool:
    """An all-capitals line of up to four words (a section label, an office)."""
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(line.split()) <= 4 \
        and not line.rstrip().endswith((":", ".", "!", "?", "”", '"'))


@dataclass
class Header:
    title: str = ""
    date: dt.date | None = None
    author: str = ""
    source: str = ""        # an explicit "Source: X" or "From Wikipedia" publisher
    org: str = ""           # an organisation named above the headline
    org_byline: str = ""    # "By Reuters"
    wire: str = ""          # "(NNS)", "(AP)" in a dateline
    signature: str = ""     # a publisher's standing formula ("The below is attributable to …")
    url: str = ""
    banner: str = ""        # "gov" or "mil": the U.S. government's site banner
    named: str = ""         # a body a credit names by its initials, spelled out in the text
    #: Section names the page links back to ("Back to Japan-Korea Relations"): menu labels,
    #: never the headline.
    sections: set[str] = field(default_factory=set)
    #: Header lines that name people and bodies (byline with its unit, the issuing office,
    #: "Source: …"): not body text, but the article's own words, for candidates.
    credits: list[str] = field(default_factory=list)


@dataclass
class Unit:
    """A header line (or a wrapped block, as one unit) and what it was taken for."""

    text: str
    block: int
    lines: range
    kind: str = "body"


#: Image alternative texts and print furniture a copied page keeps as lines of their own.
_PAGE_FURNITURE = re.compile(r"(?:[\w.’'-]+\s+){0,3}(?:flag|logo|seal|emblem|icon|crest)|"
                             r"link to page \d+|order code [a-z0-9-]+|page \d+ of \d+|"
                             r"was this page helpful\??|1\. home(?:\s+\d\.\s+[\w ]{1,30}){0,6}|"
                             r"\d\.\s+(?:news|press releases|newsroom|media|about|home)|"
                             # A wiki's sidebar box: an image's file name, a map's caption,
                             # links to the topic's other pages.
                             r"[^:]{1,70}\.(?:svg|png|jpe?g|gif|webp|tiff?)|"
                             r"(?:a map showing )?(?:the )?location of [\w .,'’()-]{1,50}|"
                             r"other (?:stories|articles|news) (?:from|about|on) [\w .,'’()-]{1,50}|"
                             r"(?:…|\.\.\.)?\s*more articles here")
CONTINUES = re.compile(r"[,;(\-–—]$")
_BULLET_MARK = re.compile(r"^\s*[•▪◦·]\s*")
#: Units and offices printed under a byline ("514th Air Mobility Wing Public Affairs").
_AFFILIATION = re.compile(
    r"\b(?:Public Affairs|Affairs|Office|Command|Wing|Group|Squadron|Division|Brigade|Battalion|"
    r"Regiment|Fleet|Staff|News|Service|Bureau|Agency|Center|Centre|Desk|Team|Department|"
    r"Ministry|Headquarters|Communications|Press)\b")
#: Wire and news-service tags in datelines: "USS NEW ORLEANS, At Sea (NNS) --".
WIRE_TAGS = {
    "nns": "U.S. Navy", "ap": "Associated Press", "reuters": "Reuters", "afp": "AFP",
    "yonhap": "Yonhap News Agency", "cnn": "CNN", "upi": "UPI", "afns": "U.S. Air Force",
    "arnews": "U.S. Army", "dvids": "DVIDS", "xinhua": "Xinhua", "tass": "TASS",
    "kcna": "Korean Central News Agency", "bloomberg": "Bloomberg", "dpa": "dpa",
    "efe": "EFE", "ani": "ANI", "pti": "Press Trust of India", "ians": "IANS",
    "kyodo": "Kyodo News", "interfax": "Interfax", "ukrinform": "Ukrinform", "anadolu": "Anadolu Agency",
}
WIRE_TAG = re.compile(r"^[A-Z][^—–]{0,80}?\((?P<tag>[A-Za-z. ]{2,20})\)\s*(?:—|–|--|-|:)")
#: Standing formulas that name their publisher.
SIGNATURES = (
    (re.compile(r"^The below is attributable to (?:the )?(?:Department )?Spokesperson\b"),
     "U.S. Department of State"),
)
_INFOBOX_LINE = re.compile(r"^\s*[-*•|]\s*[A-Za-z][\w ]{0,30}?\d*\s*[:=]\s*")


#: A site naming itself: "Official website of the President of Russia".
_OFFICIAL_SITE = re.compile(r"^(?:the\s+)?official\s+(?:web\s*site|website|site|portal|internet\s+"
                            r"portal|web\s+portal)\s+of\s+(?:the\s+)?(?P<who>[A-Z][^.:;!?]{2,80})$",
                            re.IGNORECASE)
#: A printed page's running head, the site's name and address: "- Global Voices - https://… -".
_SITE_AND_URL = re.compile(r"^[-–—|\s]*(?P<name>[A-Z][\w.&'’ ]{1,60}?)\s*[-–—|]\s*"
                           r"<?https?://[^\s/]+/?>?[-–—|\s]*$")
#: Tag and category lines: "Categories: East Asia, China, …", "Tags: …".
TAG_LINE = re.compile(r"^(?:categories|category|tags|tagged|tagged with|topics|filed under|"
                       r"keywords|subjects?)\s*:\s*\S", re.IGNORECASE)
#: A report number or database identifier ("GAO-09-1046T", "R46792").
_IDENTIFIER = re.compile(r"\b[A-Z]{1,6}-?\d[\dA-Z]*(?:-\d[\dA-Z]*)+\b|\b[A-Z]{1,3}\d{3,}\b")
#: "… Gao ID: GAO-09-1046T September 24, 2009": a labelled identifier and a date ending a line.
_ID_TAIL = re.compile(r"\s*\b(?:[A-Za-z]+\s+)?(?:ID|Id|Report\s+(?:No\.?|Number)|Order\s+Code)\s*:\s*"
                      r"(?P<id>\S+)\s+(?P<date>[^:]{6,40}?)\s*$")


def id_line_date(line: str) -> tuple[str, dt.date | None]:
    """The date an identifier line holds, and what stands before a labelled identifier:
    "(27-NOV-01, GAO-02-143)." → ('', 2001-11-27); "Some Title Gao ID: GAO-09-1046T September
    24, 2009" → ('Some Title', 2009-09-24); ('', None) for any other line."""
    tail = _ID_TAIL.search(line)
    if tail and _IDENTIFIER.fullmatch(tail["id"]):
        is_date, date = date_line(tail["date"])
        if is_date and date:
            return line[:tail.start()].strip(" ,;-–—"), date
    dates = find_dates(line)
    if len(dates) != 1 or not _IDENTIFIER.search(line):
        return "", None
    start, end, date = dates[0]
    rest = _IDENTIFIER.sub(" ", line[:start] + " " + line[end:])
    return ("", date) if not re.sub(r"[\s()\[\],.;:]+", "", rest) else ("", None)


def furniture_kind(line: str, info: Header, *, header: bool) -> str:
    """Classify furniture that is never article text: '' when ``line`` is not furniture,
    else the kind (and record what it tells about the article in ``info``)."""
    line = _BULLET_MARK.sub("", line)
    norm = line_key(line)
    if not norm:
        return ""
    if line.strip().startswith("[") and line.strip().endswith("]"):
        norm = line_key(line.strip()[1:-1])  # "[Check Against Delivery]"
    official = _OFFICIAL_SITE.match(line.strip())
    site = _SITE_AND_URL.match(line.strip())
    if official or site:
        name = official["who"] if official else site["name"] if site else ""
        if len(name.split()) <= 8:
            info.org = info.org or org_name(name) or name.strip()
        return "junk"
    if TAG_LINE.match(line.strip()) and len(line) <= 400:
        return "junk"
    if norm in BOILERPLATE or BOILERPLATE_START.match(line.strip()) or (
            _HEADER_START.match(line.strip()) and len(line) <= 400):
        if "united states government" in norm or ".gov" in norm:
            info.banner = info.banner or "gov"
        if ".mil" in norm:
            info.banner = "mil"
        if norm.startswith("from wikipedia"):
            info.source = info.source or "Wikipedia"
        elif norm.startswith("from wikinews"):
            info.source = info.source or "Wikinews"
        elif norm.startswith("this is an old revision"):
            info.source = info.source or "Wikipedia"
            dates = find_dates(line)
            if dates and info.date is None:
                info.date = dates[0][2]
        return "junk"
    if _URL_LINE.match(line):
        info.url = info.url or line.strip().strip("<>")
        return "junk"
    if _PAGE_FURNITURE.fullmatch(norm):
        return "junk"  # "U.S. flag", "DFA Logo", "link to page 1", "Order Code RL31339"
    is_date, date = date_line(line)
    if not is_date and (placed := placed_date(line)):
        is_date, date = True, placed
        info.credits.append(line)  # "May 10, 2024, The Kremlin, Moscow": its place is named
    if is_date and len(line) <= 120:
        if date and info.date is None:
            info.date = date
        return "date"
    head, date = id_line_date(line)
    if date and not head and len(line) <= 120:
        info.date = info.date or date  # "(27-NOV-01, GAO-02-143)."
        return "date"
    dates = find_dates(line)
    if len(dates) == 1 and dates[0][0] == 0 and len(line) <= 80:
        credit = line[dates[0][1]:].strip(" |,-–—")
        if (len(credit.split()) <= 6 and _AFFILIATION.search(credit) and credit[:1].isupper()
                and not credit.endswith(".")):
            info.date = info.date or dates[0][2]  # "16.12.2022 EEAS Press Team"
            info.credits.append(credit)
            return "date"
    source = _SOURCE.match(line)
    if source:
        who = source["who"].strip(" .")
        words = len(who.split())
        if 0 < words <= 12 and not who.endswith("?") and not date_line(who)[0]:
            if line.strip().lower().startswith("from"):
                # GOV.UK's "From: Ministry of Defence and The Rt Hon …": the first body named.
                info.org = info.org or re.split(r"\s+and\s+(?=The\b|[A-Z][a-z]+ [A-Z])", who)[0]
            else:
                info.source = info.source or who
            info.credits.append(who)
            return "source"
    if header or len(line) <= 90:
        byline = parse_byline(line)
        if byline is not None:
            person, affiliation, date = byline
            if person and not info.author:
                info.author = person
            elif not person and affiliation:
                info.org_byline = info.org_byline or affiliation
            if date and info.date is None:
                info.date = date
            info.credits.append(line)  # "By Terri Moon Cronk DoD News, Defense Media Activity"
            return "byline"
    if re.match(r"^(?:updated|published|posted|last updated|first published)\b", norm):
        dates = find_dates(line)
        if dates and len(line.split()) <= 14:
            if info.date is None:
                info.date = dates[0][2]
            return "date"
    return ""


def _nav_bar(line: str) -> bool:
    """A menu copied as one line ("Home Issues & Press Travel & Business Countries …"), or
    link texts run together with the site's name ("Archive SitesU.S. Department of State")."""
    words = line.split()
    if words and words[0] == "Home" and len(words) >= 5 and all(
            w[:1].isupper() or w == "&" for w in words):
        return True
    for name in KNOWN_SITES.values():
        at = line.find(name)
        if at > 0 and line[at - 1].isalpha() and len(line) <= 120:
            return True
    return False


def _header_title(line: str) -> bool:
    """A headline: like :func:`_looks_like_title`, but a long official title ("Secretary of
    Defense … Joint Press Conference with … in Seoul, South Korea") still counts."""
    if _looks_like_title(line):
        return True
    if re.search(r"[.!?,;][\"”’')\]]+$", line):
        return False
    return (len(line) <= 320 and any(c.isalpha() for c in line) and len(line.split()) <= 45
            and not line.endswith((".", ",", ";", ":"))
            and not line.startswith(("“", '"', "‘", "'", "«", "„"))
            and len(split_sentences(line)) == 1)


#: A link back to a section, at the foot of a page: "Back to Japan-Korea Relations".
BACK_TO = re.compile(r"^\s*(?:<<\s*|«\s*)?back\s+to\s+(?P<section>[A-Z][^.!?]{1,80}?)\s*$",
                     re.IGNORECASE)
#: An office of state standing alone as a site's banner: "President of Ukraine".
_OFFICE_BANNER = re.compile(r"^(?:the\s+)?(?:President|Prime\s+Minister|Chancellor|Federal\s+Chancellor|"
                            r"Office\s+of\s+the\s+(?:President|Prime\s+Minister))\s+of\s+(?:the\s+)?"
                            r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}$")
#: A crumb trail's last step, cut at its separator: "Transcripts   /", "News ›".
_CRUMB = re.compile(r"^\S.{0,40}?\s*(?:/|›|»|>)$")


#: A photo caption's grammar: what the people shown are doing, in the present ("Minister A
#: who shakes hands with Minister B", "Ms. A is talking with Mr. B").
_CAPTION = re.compile(r"\bwho\s+(?:shakes?|holds?|has|have|attends?|meets?|greets?|talks?|delivers?|"
                      r"makes?|gives?|signs?|visits?|pays?)\b|\b(?:is|are)\s+(?:talking|shaking|"
                      r"meeting|greeting|speaking|signing|delivering|holding|attending)\b")


def classify_header(unit: Unit, info: Header, wiki: bool, previous: str) -> str:
    line = _BULLET_MARK.sub("", unit.text)
    strong = furniture_kind(line, info, header=True)
    if strong:
        return strong
    norm = line_key(line)
    if norm in _NAV or _nav_bar(line) or norm in info.sections or BACK_TO.match(line):
        return "junk"
    if not any(c.isalnum() for c in line) or (_CRUMB.match(line.strip()) and len(line.split()) <= 4):
        return "junk"  # "<<", "Документ /"
    if not previous and _OFFICE_BANNER.match(line.strip()):
        return "org"  # the office whose site this is, as the page's first line
    head, date = id_line_date(line)
    if date and head:
        info.date = info.date or date
        unit.text = line = head  # "Title Gao ID: GAO-09-1046T September 24, 2009"
    if WIKI_HEADING.match(line):
        return "heading"
    if wiki and _INFOBOX_LINE.match(unit.text):
        return "infobox"  # "- Office: …" fields: kept (they name people and places)
    kicker, date = _kicker(line)
    if kicker:
        if date and info.date is None:
            info.date = date
        return "junk"
    if _breadcrumb(line):
        return "junk"
    if ACRONYM_CREDIT.match(line.strip()) and len(line.split()) <= 12:
        info.credits.append(line.strip())
        return "junk"  # a report's cover, "CRS Report for Congress": its issuer, not its title
    if previous == "byline" and len(line.split()) <= 10 and _AFFILIATION.search(line) \
            and not line.endswith("."):
        info.credits.append(line)
        return "junk"  # the byline's unit
    if org_name(line):
        return "org"
    if _short_caps(line) and not TURN_LABEL.match(line):
        return "junk"
    if _MD_HEADING.match(line):
        return "heading"
    if previous in ("date", "caption") and _CAPTION.search(line) and _header_title(line):
        info.credits.append(line)  # names the people shown, but is no headline
        return "caption"
    if (re.fullmatch(r"[\"“‘'«„][^\"“”]{2,80}[\"”’'»]", line.strip())
            and len(line.split()) <= 8):
        return "motto"  # a ship's or unit's motto above the headline
    if _header_title(line) and not BULLET.match(unit.text):
        return "title"
    return "body"


WIKI_MARKUP = re.compile(r"^[ \t]*(={1,6})[ \t]*[^=\n]+?[ \t]*\1[ \t]*$", re.MULTILINE)


def heading_text(line: str) -> str:
    """The words of a heading line ("== History ==", "## History", "History[edit]")."""
    wiki = WIKI_HEADING.match(line)
    if wiki:
        return wiki["text"].strip()
    markdown = _MD_HEADING.match(line)
    if markdown:
        return markdown["title"].strip()
    return EDIT_SUFFIX.sub("", line).strip()
