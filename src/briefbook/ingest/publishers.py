"""Who published an article: well-known sites by address, organisations named in a header.

A publisher is spelled one way whatever the input (a saved page, a URL, a pasted text
with the agency's name above the headline), so the bibliography lists one name per
publisher.
"""

from __future__ import annotations

import re

#: Well-known sites and the names they publish under (matched on the host's end).
SITE_NAMES = {
    "defense.gov": "U.S. Department of Defense", "state.gov": "U.S. Department of State",
    "whitehouse.gov": "The White House", "justice.gov": "U.S. Department of Justice",
    "treasury.gov": "U.S. Department of the Treasury", "dhs.gov":
    "U.S. Department of Homeland Security", "energy.gov": "U.S. Department of Energy",
    "commerce.gov": "U.S. Department of Commerce", "usembassy.gov": "U.S. Embassy",
    "army.mil": "U.S. Army", "navy.mil": "U.S. Navy", "af.mil": "U.S. Air Force",
    "marines.mil": "U.S. Marine Corps", "spaceforce.mil": "U.S. Space Force",
    "uscg.mil": "U.S. Coast Guard", "dvidshub.net": "DVIDS", "senate.gov": "U.S. Senate",
    "house.gov": "U.S. House of Representatives", "congress.gov": "Congress.gov",
    "cia.gov": "Central Intelligence Agency", "fbi.gov": "Federal Bureau of Investigation",
    "dni.gov": "Office of the Director of National Intelligence", "usaid.gov": "USAID",
    "gov.uk": "GOV.UK", "un.org": "United Nations", "news.un.org": "UN News",
    "nato.int": "NATO", "europa.eu": "European Union", "ec.europa.eu": "European Commission",
    "wikipedia.org": "Wikipedia", "wikinews.org": "Wikinews",
    "britannica.com": "Encyclopaedia Britannica", "reuters.com": "Reuters",
    "apnews.com": "Associated Press", "bbc.co.uk": "BBC News", "bbc.com": "BBC News",
    "nytimes.com": "The New York Times", "washingtonpost.com": "The Washington Post",
    "wsj.com": "The Wall Street Journal", "theguardian.com": "The Guardian",
    "ft.com": "Financial Times", "economist.com": "The Economist", "cnn.com": "CNN",
    "npr.org": "NPR", "aljazeera.com": "Al Jazeera", "voanews.com": "Voice of America",
    "rferl.org": "Radio Free Europe/Radio Liberty", "politico.com": "Politico",
    "politico.eu": "Politico Europe", "bloomberg.com": "Bloomberg", "afp.com": "AFP",
    "yna.co.kr": "Yonhap News Agency", "koreaherald.com": "The Korea Herald",
    "koreatimes.co.kr": "The Korea Times", "kremlin.ru": "President of Russia",
    "tass.com": "TASS", "france24.com": "France 24", "dw.com": "Deutsche Welle",
    "kyivindependent.com": "The Kyiv Independent", "scmp.com": "South China Morning Post",
    "japantimes.co.jp": "The Japan Times", "nhk.or.jp": "NHK", "abc.net.au": "ABC News",
    "cbc.ca": "CBC News", "foxnews.com": "Fox News", "nbcnews.com": "NBC News",
    "cbsnews.com": "CBS News", "abcnews.go.com": "ABC News", "axios.com": "Axios",
    "thehill.com": "The Hill", "usatoday.com": "USA Today", "latimes.com": "Los Angeles Times",
    "independent.co.uk": "The Independent", "telegraph.co.uk": "The Telegraph",
    "spiegel.de": "Der Spiegel", "lemonde.fr": "Le Monde", "xinhuanet.com": "Xinhua",
    "globaltimes.cn": "Global Times", "mofa.go.jp": "Ministry of Foreign Affairs of Japan",
    "mofa.go.kr": "Ministry of Foreign Affairs of the Republic of Korea",
}
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "go", "or", "ne",
                           "mil", "gob", "gouv", "govt", "nic"})


def url_host(url: str) -> str:
    """The host of ``url`` in lower case, without ``www.`` (empty when there is none)."""
    match = re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//([^/?#:@\s]+@)?(?P<host>[^/?#:\s]+)", url.strip(),
                     re.IGNORECASE)
    if not match:
        match = re.match(r"^(?P<host>www\.[^/?#:\s]+)", url.strip(), re.IGNORECASE)
    if not match:
        return ""
    host = match["host"].lower().strip(".")
    return host[4:] if host.startswith("www.") else host


def registered_domain(host: str) -> str:
    """``news.example.co.uk`` → ``example.co.uk`` (hosts that are addresses stay whole)."""
    parts = host.split(".")
    if re.fullmatch(r"[\d.]+|\[.*\]", host) or len(parts) <= 2:
        return host
    if len(parts[-1]) == 2 and parts[-2] in _SECOND_LEVEL:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def publisher_for_url(url: str) -> str:
    """The publisher of a page at ``url``: a well-known site's name, else its domain."""
    host = url_host(url)
    if not host:
        return ""
    for site in sorted(SITE_NAMES, key=len, reverse=True):
        if host == site or host.endswith("." + site):
            return SITE_NAMES[site]
    return registered_domain(host)


_SMALL_WORDS = frozenset({"of", "the", "and", "for", "on", "in", "at", "to", "a", "an", "de"})


def _title_case(text: str) -> str:
    """``U.S. DEPARTMENT OF STATE`` → ``U.S. Department of State`` (mixed case kept)."""
    if any(c.islower() for c in text):
        return text
    words = []
    for index, word in enumerate(text.split()):
        low = word.lower()
        if "." in word.rstrip(".") or (len(word) <= 3 and word.isalpha() and index == 0
                                       and len(text.split()) == 1):
            words.append(word)  # "U.S.", or a single acronym
        elif low in _SMALL_WORDS and index > 0:
            words.append(low)
        else:
            words.append(word[:1] + low[1:])
    return " ".join(words)


def line_key(line: str) -> str:
    """A line reduced for phrase matching: lower case, straight apostrophes, single spaces."""
    line = line.replace("’", "'").replace("‘", "'").casefold()
    return " ".join(line.split()).strip(" .:;!|-–—•·")


_ORG_WORDS = (r"(?:department|dept\.?|ministry|ministère|office|bureau|agency|embassy|mission|"
              r"delegation|permanent\s+mission|representation|directorate|"
              r"consulate|secretariat|government|command|white\s+house|pentagon|kremlin|"
              r"state\s+department|cabinet\s+office|prime\s+minister's\s+office)")
_ORG_LINE = re.compile(
    rf"^(?i:the\s+)?(?i:(?:u\.\s?s\.|us|united\s+states|uk|hm|republic\s+of\s+\w+)\s+)?(?i:{_ORG_WORDS})"
    r"(?:\s+(?:(?i:of|for|on|and|the|to|in|at)|&|[A-Z][\w.&'’-]*)){0,8}$")
KNOWN_SITES = {line_key(name): name for name in (*SITE_NAMES.values(), "GOV.UK", "The White House",
                                              "Wikipedia", "Wikinews")}


def org_name(line: str) -> str:
    """The organisation a header line names ("U.S. DEPARTMENT OF STATE"), or ''."""
    text = line.strip()
    if not text or len(text.split()) > 9 or text.endswith((".", ":", "?", "!")):
        return ""
    known = KNOWN_SITES.get(line_key(text))
    if known:
        return known
    if _ORG_LINE.match(text):
        return _title_case(text)
    return ""


def us_agency(name: str, gov_banner: bool) -> str:
    """"Department of Defense" under the U.S. government's banner → "U.S. Department of …"."""
    if gov_banner and re.match(r"^(?:the\s+)?(?:department|dept\.?)\s+of\b", name, re.IGNORECASE):
        return "U.S. " + re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    return name


#: Under the U.S. government's banner, the office a headline names says whose site it is.
_US_OFFICES = (
    (re.compile(r"\b(?:Secretary of Defense|Defense Secretary|Pentagon|Department of Defense|DOD|DoD|"
                r"Joint Chiefs)\b"), "U.S. Department of Defense"),
    (re.compile(r"\b(?:Secretary of State|State Department|Department of State|Department Press "
                r"Briefing|Spokesperson)\b"), "U.S. Department of State"),
    (re.compile(r"\b(?:White House|President (?:Biden|Trump|Obama|Bush)|Vice President|"
                r"National Security Advis[eo]r)\b"), "The White House"),
)


def us_office(title: str) -> str:
    for pattern, name in _US_OFFICES:
        if pattern.search(title):
            return name
    return ""


#: A body credited by its initials: "EEAS Press Team", "CRS Report for Congress".
ACRONYM_CREDIT = re.compile(r"^(?P<acronym>[A-Z]{2,6})\s+(?:Report\b|Press\s+(?:Team|Office|Service)\b)")
_CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z]+(?:[ \t]+(?:(?:of|for|and|on|the)[ \t]+)*[A-Z][a-z]+)+")
_FUNCTION_WORDS = frozenset({"of", "for", "and", "on", "the"})


def spelled_out(acronym: str, text: str) -> str:
    """The name ``acronym`` stands for, when ``text`` spells it out ("CRS" → "Congressional
    Research Service"): the capitalised run whose initials are the acronym's letters,
    used only when the text gives exactly one such name (else '': initials alone say too
    little to name a publisher)."""
    found: set[str] = set()
    for match in _CAPITALISED_RUN.finditer(text):
        words = match[0].split()
        for start in range(len(words)):
            if words[start] in _FUNCTION_WORDS:
                continue
            initials, kept = "", []
            for word in words[start:]:
                kept.append(word)
                if word not in _FUNCTION_WORDS:
                    initials += word[0]
                if len(initials) >= len(acronym):
                    break
            if initials == acronym and kept[-1] not in _FUNCTION_WORDS:
                found.add(" ".join(kept))
    return found.pop() if len(found) == 1 else ""


#: "Retrieved from: Congressional Research Service: https://…": whose site a copy came from.
_NAME_AT_URL = re.compile(r"^(?:retrieved\s+from\s*:\s*)?(?P<name>[A-Z][\w.&'’ -]{1,60}?)\s*:\s*"
                          r"<?https?://[^\s/]+/?\S*>?$", re.IGNORECASE)


def retrieved_from(lines: list[str]) -> str:
    """The site a document says it was retrieved from, in a "Retrieved from:" line (the
    site's name and address on the same line or the next), else ''."""
    for index, line in enumerate(lines):
        text = line.strip()
        if not re.match(r"^retrieved\s+from\s*:", text, re.IGNORECASE):
            continue
        rest = text.split(":", 1)[1].strip()
        if not rest and index + 1 < len(lines):
            rest = lines[index + 1].strip()
        named = _NAME_AT_URL.match(rest)
        if named and named["name"][:1].isupper() and len(named["name"].split()) <= 8:
            return named["name"].strip(" -")
    return ""
