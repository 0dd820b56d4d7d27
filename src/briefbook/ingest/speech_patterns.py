"""The words around a quotation that say who spoke: speech verbs, "according to",
"said:" introducing a statement, descriptions like "the secretary", sentence ends.

Compiled once here and read by :mod:`.speakers` and :mod:`.quotes`.  Several patterns
use possessive quantifiers and bounded gaps because a long paragraph with runs of
spaces made earlier versions backtrack for hours.
"""

from __future__ import annotations

import re

from briefbook.ingest.syntax import inflections

_IRREGULAR = (
    "say says said saying tell tells told telling write writes wrote writing written "
    "put it puts it"
)
_REGULAR = (
    "state declare proclaim announce add assert claim insist argue explain note warn confirm "
    "remark reply respond comment urge stress emphasise emphasize acknowledge admit suggest "
    "observe call describe tweet post ask conclude predict pledge vow promise deny recall "
    "report quip caution concede boast demand repeat maintain continue shout whisper exclaim "
    "muse joke testify answer agree disclose reveal allege complain reiterate counter define"
)
_VERB_FORMS = sorted(
    {*(w.replace(" ", r"\s+") for w in re.findall(r"put it|puts it|\w+", _IRREGULAR)),
     *(f for v in _REGULAR.split() for f in inflections(v))},
    key=len, reverse=True)
# Case-sensitive even inside IGNORECASE patterns: speech verbs are lower-case in running
# text, and "United States" must not read as the verb "states".
_VERBS = r"(?-i:\b(?:" + "|".join(_VERB_FORMS) + r")\b)"
VERB_RE = re.compile(_VERBS, re.IGNORECASE)
_AUX = r"(?:(?:has|have|had|was|were|is|are|would|will|also|then|later|once|had\s+earlier)\s+)*"
#: Abbreviations whose full stop ends no sentence ("Capt. Glendon McCallum",
#: "Lloyd J. Austin III", "U.S. officials").
_ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Adm", "Col", "Capt", "Lt", "Maj",
                  "Sgt", "Cpl", "Pvt", "Pfc", "Spc", "Sen", "Rep", "Gov", "Amb", "Gov", "St",
                  "Jr", "Sr", "Rev", "Hon", "No", "Jan", "Feb", "Aug", "Sept", "Sep", "Oct",
                  "Nov", "Dec", "Corp", "Inc", "Co", "Ltd", "Vol", "Fig", "Tech", "Cmdr")
_NOT_FINAL = "".join(rf"(?<!\b{a})" for a in _ABBREVIATIONS) + r"(?<!\b[A-Z])"
_WORD_CHARS = r"[^\s,.;:!?“”\"«»„()]"
_NP_WORD = (rf"(?:(?:\b[A-Z]|{'|'.join(_ABBREVIATIONS)})\.|{_WORD_CHARS}+"
            rf"(?:\.{_WORD_CHARS}+)*)")
_NP = rf"{_NP_WORD}(?:\s+{_NP_WORD}){{0,7}}"
POST_VERB_FIRST = re.compile(
    rf"^\s*[,—–-]?\s*(?P<verb>{_VERBS})\s+(?P<spk>{_NP}?)"
    rf"\s*(?:[,;:!?]|{_NOT_FINAL}\.|$|\s(?:in|on|at|during|after|before|from|to|when|who|"
    r"while)\b)",
    re.IGNORECASE)
POST_NAME_FIRST = re.compile(
    rf"^\s*[,—–-]?\s*(?P<spk>{_NP_WORD}(?:\s+{_NP_WORD}){{0,7}}?)(?P<appos>,\s+[^,“”\"]{{1,120}},)?"
    rf"\s+{_AUX}(?P<verb>{_VERBS})\b", re.IGNORECASE)
POST_ACCORDING = re.compile(
    rf"^\s*[,—–-]?\s*(?:according\s+to|in\s+the\s+words\s+of)\s+(?P<spk>{_NP})",
    re.IGNORECASE)
PRE_ACCORDING = re.compile(
    r"(?:according\s+to|in\s+the\s+words\s+of|quoting)\s+(?P<spk>[^“”\"]{1,120}?)\s*[,:]?\s*$",
    re.IGNORECASE)
PRE_BY = re.compile(
    rf"\b(?:statement|remarks|comments?|message|post|tweet|letter|communiqu[eé]|words|"
    rf"{_VERBS})\b[^“”\"]{{0,60}}?\bby\s+(?P<spk>[^“”\"]{{1,160}}?)"
    r"(?:,?\s+(?:declaring|saying|stating|reading|warning|which\s+read|that\s+read|noting|"
    r"adding|insisting|announcing|proclaiming))?\s*[,:]?\s*(?:that\s*)?$",
    re.IGNORECASE)
RELATIVE = re.compile(rf"\b(?:which|who|whom|whose|that)\b|{_VERBS}", re.IGNORECASE)
PRE_COLON = re.compile(r"(?P<spk>[^\s“”\"][^“”\":;.!?]{0,80}?)\s*:\s*$")
GAP_LIMIT = 6
#: A digest's link marker after a source's name: "Jumbie's Watch [1] says".
LINK_MARKER = re.compile(r"\s*\[\d{1,3}\]\s*$")
#: A digest's lead: "Some Blog writes about the race in Kenya [1], “…”" / "X puts up notes
#: on his interview with an official: “…”" — a source that opens its sentence with
#: capitalised words and a writing verb, then what it writes about, right before the
#: quotation.  :mod:`.quotes` reads ``gap``: before a comma only "about …"-like words.
DIGEST_LEAD = re.compile(
    r"^(?P<spk>[A-Z][\w’'.&-]*(?:\s+[A-Z][\w’'.&-]*){0,5})(?:\s*\[\d{1,3}\])?\s+"
    r"(?:writes|says|notes|posts|blogs|comments|asks|explains|argues|reports|observes|remarks|"
    r"puts\s+up|shares|publishes)\b"
    r"(?P<gap>\s+[^“”\".;:!?\[\]]{0,160}?)?(?:\s*\[\d{1,3}\])?\s*(?P<mark>[,:])\s*$")
#: Gap words of a digest's lead that open what it is about ("writes about …, “…”").
DIGEST_ABOUT = re.compile(r"\s+(?:about|on|of|that|in|regarding)\b")
#: Gap words that make the quotation someone else's ("posts a letter from X: “…”").
DIGEST_OTHER = re.compile(r"\b(?:from|by|quoting|quotes|citing|cites|says|said|wrote)\b")
#: The cited source named right after a quotation, in a sentence of its own: "“…?”
#: Trinidadian blogger Some Name [1] takes issue with …" (the digest's link marker says
#: the words are that source's).
POST_CITED = re.compile(r"^\s*(?P<spk>[A-Z][^.!?:;“”\"\[\]]{1,80}?)\s*\[\d{1,3}\]\s+[a-z]")
#: "X told the summit that the West's attempts had ‘failed’": reported speech whose
#: quotation closes a that-clause may sit further from the verb.
THAT_CLAUSE = re.compile(r"^(?:\s+\S+){0,4}?\s+that\s")
THAT_GAP_LIMIT = 18
SUBJECT_GAP_LIMIT = 30
CLAUSE_START = re.compile(r"^\s*,?\s*(?:and|but|or|while|which|as|so|because|though|although|"
                           r"whereas|yet|then|when|where|if)\b", re.IGNORECASE)
BOUNDARY = re.compile(
    r"[,;(—–]|\b(?:that|as|and|but|while|when|if|which|because|so|although|though|after|"
    r"before|where|whereas|since|then)\b|" + _VERBS, re.IGNORECASE)
SENTENCE_END = re.compile(rf"(?:[!?…]|{_NOT_FINAL}\.)[\"”’)]*\s+(?=[A-Z“\"‘(])")
#: "… in attendance, Austin said." right before a quotation of its own: the same speaker.
SAID_BEFORE = re.compile(
    r"(?:,\s*|^|\.\s+)(?P<spk>[^,.;:!?“”\"]{1,60}?)\s+(?:said|says|added|noted|stated|explained|"
    r"told\s+reporters|told\s+[A-Z][\w\s]{0,40}?)\.\s*$|"
    r"\b(?:said|says|added|noted|explained)\s+(?P<spk2>[^,.;:!?“”\"]{1,60}?)\.\s*$")
PRONOUNS = {"he", "she", "him", "her"}
DETERMINERS = {"a", "an", "the", "this", "that", "his", "her", "its", "their", "our", "my",
                "your", "whose", "no", "any", "each", "every"}
NOT_SPEAKERS = DETERMINERS | {
    "it", "this", "that", "which", "who", "they", "we", "i", "you", "there", "one", "what",
    "these", "those", "some", "many", "here", "its", "them", "us", "me", "everyone", "nobody",
}
NOT_FIRST = {"it", "this", "that", "which", "who", "there", "what", "these", "those", "here",
              "its", "we", "they", "i", "you"}
LEADING_FILLER = re.compile(
    r"^(?:(?:as|and|but|while|so|when|where|then|also|even|if|because|though|although|yet|"
    r"however|meanwhile|moreover|furthermore|indeed|now|since|with|among)\b[\s,]*)+",
    re.IGNORECASE)
QA_LABELS = {"Q", "A", "QUESTION", "ANSWER"}


def sentence_start(text: str, limit: int, floor: int) -> int:
    window_start = max(floor, limit - 400)
    start = window_start
    for match in SENTENCE_END.finditer(text, window_start, limit):
        start = match.end()
    return start



#: "the secretary", "the foreign minister", "a spokeswoman": a description a reader
#: resolves to the one person the article has given that title.
DESCRIPTION = re.compile(
    r"^(?:the|a|an)\s+(?:[\w.\-]+\s+){0,3}?(?P<noun>secretary|minister|president|"
    r"spokes(?:man|woman|person)|general|ambassador|admiral|governor|senator|chairman|"
    r"chairwoman|chair|director|commander|envoy|chancellor|mayor|premier|king|queen|"
    r"colonel|captain|sergeant|administrator|senator|representative|lawmaker|PM|"
    r"prime\s+minister|foreign\s+secretary|defen[cs]e\s+secretary|taoiseach|tánaiste|"
    r"first\s+minister|cabinet\s+secretary|commissioner|high\s+representative|"
    r"secretary-general|head\s+of\s+state|head\s+of\s+government)$",
    re.IGNORECASE)
NOUN_TITLES = {"pm": "prime minister"}
#: A sentence whose subject is a description: "Following his meeting, the PM stressed …".
DESCRIBED_SUBJECT = re.compile(
    r"(?:[^,.;:!?“”\"]{0,60},\s+)?(?:the|The)\s+(?P<noun>PM|prime\s+minister|president|"
    r"secretary|minister|spokes(?:man|woman|person)|ambassador|general|admiral|chancellor|"
    r"governor|senator|mayor|premier|commander|Taoiseach|Tánaiste|First\s+Minister|"
    r"Commissioner|Secretary-General|Head\s+of\s+State|Head\s+of\s+Government)\b")


# The possessive ``\s++`` and ``(?:\s*,)?\s+`` keep a run of spaces from being split
# every way between neighbouring quantifiers (hours of backtracking on a long paragraph).
#: A paragraph that ends by announcing a statement: "Defence Secretary, Sir Michael Fallon,
#: said:" / "said Captain Robert Pedre:".
SAID_COLON = re.compile(
    r"(?:^|[.!?]\s++)(?P<spk>[^.!?:“”\"]{2,160}?)(?:\s*,)?\s+(?P<verb>said|says|added|stated|wrote|"
    r"explained|commented|told\s+[^:]{1,40}?)\s*:\s*$|"
    r"\b(?:said|says|added)\s++(?P<spk2>[^.!?:“”\"]{2,100}?)\s*:\s*$")
#: A paragraph announcing the quotations that follow: "Quotes attributable to Prime
#: Minister Albanese:", "Statement from the Secretary-General:".
INTRODUCER = re.compile(
    r"\b(?:attributable\s+to|attributed\s+to|statement\s+(?:from|by)|remarks\s+(?:from|by)|"
    r"comments?\s+(?:from|by)|words\s+of)\s++(?P<spk>[^:“”\"]{2,100}?)\s*:\s*$|"
    r"(?:^|[.!?]\s++)(?:Today,\s++|On\s+\w+,\s++)?(?P<spk2>[^.!?:“”\"]{2,120}?)\s+(?:released|issued|"
    r"made|gave|delivered)\s+(?:the\s+following\s+statement\b[^:“”\"]{0,200}[:.]|"
    r"(?:this|a)\s+statement\b[^:“”\"]{0,160}:)\s*$",
    re.IGNORECASE)
FIRST_PERSON = re.compile(r"\b(?:I|we|We|our|Our|us|my|My|I’m|I'm|we’re|we're)\b")
TRAILING_AUX = re.compile(r"(?:\s+(?:has|have|had|was|were|is|are|will|would|also|then|later|"
                           r"once|previously|reportedly|repeatedly|publicly|again))+$",
                           re.IGNORECASE)
PREPOSITION_START = re.compile(r"\s*(?:On|In|At|For|From|With|About|Regarding|After|Before|During|"
                                r"Of|Over|Under|Since|Until|To|Toward|Towards|Across)\b")
#: Words that may open a sentence before its subject ("Afterwards Bush called …").
INTRODUCTORY = re.compile(r"(?:[A-Z][a-z]+ly|Afterwards|Later|Then|Meanwhile|Also|Separately|"
                           r"Earlier|Instead|Still|Yet|And|But|Now|Today|Yesterday)")
#: A speaker label the transcript layout did not mark as a turn, because it carries a
#: title around the name: "President of Russia Vladimir Putin:", "… Erdogan
#: (retranslated):", "Mr. IWAYA Takeshi, Minister for Foreign Affairs:", "Sahar Ghazi
#: (SG):".  :mod:`.quotes` accepts it only when the words name one person (or body).
LABEL_LINE = re.compile(
    r"^(?P<name>[A-Z][^:“”\"‘’;!?()\[\]]{1,120}?)\s*(?:\((?P<paren>[A-Za-z][A-Za-z .]{0,29})\))?"
    r"\s*:\s+(?=\S)")
#: Lower-case words a label's title or name may hold ("Minister for Foreign Affairs").
LABEL_SMALL_WORDS = frozenset({
    "of", "the", "for", "and", "on", "de", "du", "da", "del", "della", "von", "van", "der",
    "al", "bin", "ibn", "el", "to", "in", "at", "la", "le"})
#: "the Head of State noted": a description a reader resolves to the one person the article
#: gave one of these titles.
TITLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "head of state": ("president", "king", "queen", "emir", "sultan", "monarch"),
    "head of government": ("prime minister", "premier", "chancellor", "taoiseach"),
}
#: "the force said", "the ministry said": a body described by its kind, resolved to the one
#: organisation named before whose name holds one of these words.
BODY_DESCRIPTION = re.compile(
    r"^(?:the|a)\s+(?P<noun>force|police|ministry|department|agency|commission|committee|"
    r"council|party|company|firm|union|court|bank|embassy|government|army|military|"
    r"organi[sz]ation|group|service|office|board|authority)$", re.IGNORECASE)
BODY_WORDS: dict[str, tuple[str, ...]] = {
    "force": ("police", "constabulary"), "police": ("police", "constabulary"),
    "company": ("company", "inc", "corp", "corporation", "ltd", "plc", "group"),
    "firm": ("company", "inc", "corp", "corporation", "ltd", "plc", "llp"),
    "military": ("army", "armed forces", "military"), "army": ("army",),
    "government": ("government",), "organisation": ("organisation", "organization"),
    "organization": ("organisation", "organization"),
}
