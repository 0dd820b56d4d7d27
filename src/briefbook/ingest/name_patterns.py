"""How names are written: titles before them, transcript labels, family-name-first names,
headline capitals, and what a plausible name looks like.

Recognition, linking, attribution, variant grouping and stubs all need to read a title
off a name ("Defense Secretary Lloyd Austin" is Lloyd Austin) and to know that "Kim" is
the short form of "Kim Yong-hyun"; these shared facts live here, below all of them, so
that each imports them one way.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable

from briefbook.ingest import gazetteer
from briefbook.ingest.wordlists import words

#: Family names written first (Korean, Chinese, Vietnamese ...): the short form of
#: "Lee Seong-kweun" is "Lee", of "Xi Jinping" is "Xi".
FAMILY_FIRST = frozenset(words("""
kim lee yi park pak choi choe jung jeong chung kang cho jo yoon yun jang chang lim im han
oh seo suh shin sin kwon hwang ahn an song jeon jun hong ko moon mun yang son bae baek heo
yoo yu nam noh roh ha kwak sung cha joo woo min ryu jin xi li wang zhang liu chen yang
huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng liang xie song tang han feng
deng cao peng zeng xiao tian dong yuan pan cai jiang wei nguyen tran le pham hoang phan vu
vo dang bui do ngo duong ly
"""))


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
TITLE_CORE = (
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
    rf"(?<![\w.])(?P<title>{_TITLE_PREFIX}*{TITLE_CORE}{_OF_OFFICE})\s+(?P<name>{_NAME})")

TITLE_WORDS = frozenset(words("""
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

ORG_WORDS = (
    "Ministry|Department|Agency|Council|Committee|Party|Union|Organi[sz]ation|Bank|Fund|"
    "Corporation|Inc\\.|Ltd\\.|Group|Army|Navy|Air Force|Forces|Service|Services|Coast Guard|"
    "University|Institute|Association|Commission|Office|Court|Parliament|Assembly|Congress|"
    "Senate|Command|Alliance|Federation|Foundation|Company|Bureau|Administration|Authority|"
    "Board|Cabinet|Centre|Center|Network|Agency|Corps|Guard|Fleet|Brigade|Division|Regiment|"
    "Battalion|Squadron|Wing|Directorate|Secretariat|Mission|Embassy|Consulate|Forum|"
    "Combat Team|Task Force|Battery|Detachment|Activity|Public Affairs|Police|Constabulary|"
    "Gendarmerie"
)
#: Units numbered after their word ("Amphibious Squadron 5", "Task Force 51"); a number
#: after another body is a page or a footnote ("Congressional Research Service 7").
_NUMBERED = "(?:" + "|".join(rf"(?<={w})" for w in (
    "Squadron", "Wing", "Group", "Fleet", "Division", "Brigade", "Regiment", "Battalion",
    "Company", "Battery", "Detachment", "Task Force", "Combat Team", "Corps", "Command")) + ")"
#: Organisation words that take "for"/"on" ("Council on Foreign Relations", "Institute for
#: Defense Analyses"); "European Union for Foreign Affairs" is a title's tail, not a name.
_FOR_AFTER = "(?:" + "|".join(rf"(?<={w}\s)" for w in (
    "Council", "Committee", "Commission", "Institute", "Center", "Centre", "Office", "Agency",
    "Ministry", "Bureau", "Foundation", "Fund", "Organization", "Organisation", "Association",
    "Court")) + ")"
ORG_NAME = re.compile(
    rf"(?P<name>(?:(?:von\s+der|van\s+der|von|van)\s+)?"
    rf"(?:(?:U\.S\.|U\.K\.|U\.N\.|[A-Z][\w’'\-&]*|\d+(?:st|nd|rd|th))\s+"
    rf"(?:(?:of|for|the|on|de|and)\s+)?){{1,5}}"
    rf"(?:{ORG_WORDS})(?:(?<={_NUMBERED})\s+\d{{1,3}}(?![\w,.]\d))?(?:\s+(?:of|{_FOR_AFTER}(?:for|on)|"
    rf"(?<=Institute\s)in|(?<=Embassy\s)in|(?<=Mission\s)to|(?<=Delegation\s)to)\s+"
    rf"(?:the\s+)?[A-Z][\w’'\-]+"
    r"(?:\s+(?:and\s+|of\s+(?:the\s+)?)?[A-Z][\w’'\-]+){0,7})?|"
    rf"(?:the\s+)?(?:{ORG_WORDS})\s+(?:of|for|on)\s+(?:the\s+)?[A-Z][\w’'\-]+"
    r"(?:\s+(?:and\s+|of\s+(?:the\s+)?)?[A-Z][\w’'\-]+){0,7})\b")
FEATURE = re.compile(
    r"(?<![\w’'])(?P<name>(?!(?:At|In|On|The|Of|From|To|By|For|And|With|As|A|An)\s)"
    r"(?:[A-Z][\w’'\-]+\s+){1,4}(?:" + "|".join(
        w for w in gazetteer.FEATURE_AFTER if w != "Republic") + r")|(?:"
    + "|".join(w.replace(" ", r"\s+") for w in gazetteer.FEATURE_BEFORE if w != "Republic of")
    + r")\s+(?:the\s+)?[A-Z][\w’'\-]+)\b(?P<next>\s+[A-Z][\w’'\-]+)?")
#: A government named by its country or its leader: "the U.S. government", "the Iraqi
#: government", "the Albanese Government", "the Government of Iraq".
GOVERNMENT = re.compile(
    r"(?<![\w’'])(?P<name>(?P<who>(?:U\.S\.|U\.K\.|[A-Z][\w’'\-]+)(?:\s+[A-Z][\w’'\-]+)?)"
    r"\s+[Gg]overnment|Government\s+of\s+(?:the\s+)?[A-Z][\w’'\-]+"
    r"(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w’'\-]+){0,3})")
#: A country's forces or institutions named by its adjective: "the Colombian navy", "the
#: Lithuanian armed forces", "Russian Armed Forces".
NATIONAL_BODY = re.compile(
    r"(?<![\w’'])(?P<name>(?P<who>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?)\s+(?:[Nn]avy|[Aa]rmy|"
    r"[Aa]ir\s+[Ff]orce|[Aa]rmed\s+[Ff]orces|[Cc]oast\s+[Gg]uard|[Pp]arliament|[Mm]ilitary|"
    r"[Pp]olice)\b)")
#: Institutions named after their house: legislatures, and the seats that stand for
#: governments ("the White House said", "the Kremlin said").
HOUSES = re.compile(
    r"(?<![\w’'])(?P<name>House\s+of\s+(?:Commons|Lords|Representatives|Councillors|Delegates|"
    r"Keys)|(?:White|Blue)\s+House|Kremlin|Downing\s+Street|Élysée(?:\s+Palace)?|"
    r"Quai\s+d’Orsay|Zhongnanhai)\b")
#: Words before an organisation that are not part of its name.
ORG_LEAD = re.compile(r"(?:(?:Under|In|At|For|With|From|By|After|Before|During|As|On|To|Of|"
                       r"While|Whilst|Although|Though|When|Whereas|If|Because|Unless|Until|"
                       r"Once|Since|But|And|So|Meanwhile|"
                       r"Members?|Head|Chief|Image|Photo|Leader|Chair|Chairman|Chairwoman|"
                       r"Commander|Commandant|Director|Secretary|Minister|President|Deputy|"
                       r"Spokesperson|Spokesman|Spokeswoman|Ambassador|Envoy)\s+(?:of\s+|to\s+)?"
                       r"(?:the\s+)?)+")
#: A ship by its prefix: "USS New Orleans", "HMS Ocean", "HMAS Canberra".
SHIP = re.compile(r"(?<![\w’'])(?P<name>(?:USS|USNS|USCGC|HMS|HMAS|HMCS|HMNZS|INS|ROKS|JS|RFS)"
                   r"\s+[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*){0,2})\b")
#: A dateline: "WASHINGTON, June 4, 2015 –", "SEOUL —".
DATELINE_PLACE = re.compile(r"^(?P<place>[A-Z]{3,}(?:[ -][A-Z]{3,}){0,2})(?=,|\s+[—–-])")
#: A dateline's base in capitals: "FORT BELVOIR, Va. --".
SHOUTED_BASE = re.compile(r"(?<![\w’'])(?P<name>(?:FORT|CAMP|JOINT BASE)\s+[A-Z]{3,}(?:[ -][A-Z]{3,})?)\b")
LOWER_FEATURE = re.compile(
    r"(?<![\w’'])(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)\s+(?:region|oblast|province|"
    r"prefecture|governorate)\b")
CODE_LIST = re.compile(r"(?<![\w.])[A-Z]{2,3}(?:\s*[,;/·|]\s*[A-Z]{2,3}){2,}(?!\w|\.\w)")
ACRONYM_DEFINED = re.compile(r"\((?P<acronym>[A-Z][A-Z&.]{1,7})\)")
CITY_CUE = re.compile(r"(?:\b(?:in|from|to|near|at|outside|visit(?:ed|s|ing)?|of|around|"
                       r"across|toward|towards|between|and)\s+|[,:]\s+)$")
DIRECTION = re.compile(r"(?<![\w’'])(?:Eastern|Western|Northern|Southern|Central|North|South|"
                        r"East|West|Northeast|Northwest|Southeast|Southwest|Greater)\s+$")
_LEADING_THE = re.compile(r"^(?:(?:Since|Under|In|At|For|With|From|By|After|Before|During|As|On|"
                          r"To|Of|Following|Despite|Through|Within|Without|Like|Unlike|While|"
                          r"Whilst|Although|Though|When|Whereas|If|Because|Unless|Until|Once|"
                          r"But|And|So)\s+)?(?:the|The|THE)\s+|"
                          r"^(?:Since|Under|During|Following|Despite|While|Whilst|Although|"
                          r"Whereas|Unless)\s+")
FIRM_PLACES = frozenset({"gazetteer:country", "gazetteer:continent", "gazetteer:region",
                          "gazetteer:state", "code list"})
#: Words that are never a name on their own ("Madam", "Sir") or that make a whole
#: "name" a title ("High Representative", "National Security Advisor").
_NEVER_ALONE = frozenset(words("""
emir councilor councillor extraordinary plenipotentiary highness majesty h.e
madam sir mister excellency ladies gentlemen colleagues friends everyone sailors
soldiers airmen marines troops infobox today tomorrow yesterday tonight
"""))
TITLE_ONLY = frozenset(words("""
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
LEADING_TITLES = TITLE_ONLY - frozenset(words("""
foreign defense defence staff air national security public affairs press general high
"""))
#: Title words that also end organisation names ("Joint Chiefs of Staff", "State
#: Department", "Ministry"), so a trailing one is kept.
_KEEP_LAST = frozenset(words("""
staff department ministry office force army navy state marine corps general
"""))
#: Verbs and prepositions of headlines, capitalised like the names before them.
HEADLINE_STOP = re.compile(
    r"\s+(?:Holds|Visits|Meets|Says|Announces|Speaks|Delivers|Hosts|Calls|Urges|Talks|Travels|"
    r"Welcomes|Discusses|Joins|Signs|Testifies|Briefs|Tours|Releases|Launches|Receives|"
    r"Attends|Highlights|Thanks|Congratulates|Addresses|Makes|Leads|Opens|Honors|Honours|"
    r"Awards|Warns|Vows|Pledges|Names|Nominates|Condemns|Praises|Unveils|Outlines|Stresses|"
    r"Underscores|Reaffirms|Emphasizes|Emphasises|Commends|Departs|Arrives|Returns|Completes|"
    r"Conducts|Begins|Concludes|Deploys|Trains|Participates|Supports|Marks|Celebrates|"
    r"Prepares|Continues|Starts|Ends|Wins|About|On|"
    r"In|At|With|For|From|To|After|Before|Over|Amid|During|Following|Ahead)\b")
#: Letters after a name ("Micheál Martin TD", "Simon Coveney T.D.", "Jane Doe MP").
POSTNOMINAL = re.compile(r"\s+(?:T\.?D\.?|MP|MSP|MEP|MLA|MS|QC|KC|OBE|CBE|MBE|KBE|DBE|CMG|KCMG|"
                          r"GCMG|PhD|Ph\.D\.)(?=\s|$|[,.;:])")
NAME_STOP = re.compile(r"\s+(?:Royal|Navy|Army|Air|Force|Marines?|Corps|Guard|Ministry|"
                        r"Department|Office|Command|Commander|Director|Chairman|Secretary)\b")
#: The title half of a transcript label "Penny Wong, Foreign Minister" or "Trade Minister,
#: Don Farrell" (attribution asks the same question of the labels it reads).
LABEL_TITLE = re.compile(r"\b(?:Minister|Secretary|President|Spokes\w+|Ambassador|Director|"
                         r"Chair\w*|Governor|Senator|Premier|Chancellor|General|Admiral|"
                         r"Commander|Journalist|Reporter|Moderator)\b", re.IGNORECASE)
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$")
MONTHS = frozenset(words("""
January February March April May June July August September October November December
Monday Tuesday Wednesday Thursday Friday Saturday Sunday
"""))


@functools.lru_cache(maxsize=1)
def _possessive_places() -> tuple[str, ...]:
    """Gazetteer names with a possessive inside ("Democratic People's Republic of Korea")."""
    return tuple(n for n in gazetteer.places() if re.search(r"[’']s\s", n))


#: Nouns whose possessive begins a body's name ("People’s Bank of China", "Workers’
#: Party", "Children’s Fund"), unlike a name's ("Transparency International’s Index").
_PEOPLES = re.compile(r"\b(?:People|Peoples|Workers|Women|Children|Men|Veterans|Citizens|"
                      r"Farmers|Nations|Students|Soldiers|Teachers)[’']s?\s")


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


def clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim a leading "the", a possessive and stray punctuation off a span."""
    span = text[start:end]
    lead = _LEADING_THE.match(span)
    if lead:
        start += lead.end()
    span = text[start:end]
    stripped = span.rstrip(" ,.;:!?)”\"’'/|–—-&")
    if re.search(r"[’']s$", span):
        stripped = span[:-2]
    elif span.endswith(".") and (re.search(r"(?:\b[A-Z]|Jr|Sr|Inc|Ltd|Co)\.$", span)
                                 or span in gazetteer.places()):
        stripped = span  # "U.S.", "J.", "Jr.", "Va." keep their stop
    end = start + len(stripped)
    inner = re.search(r"[’']s\s", text[start:end])
    if inner and not any(p in text[start:end] for p in _possessive_places()) and not \
            _PEOPLES.search(text, start, start + inner.end()):
        end = start + inner.start()  # "Transparency International’s Corruption Index"
    while True:
        words = text[start:end].rsplit(None, 1)
        if len(words) == 2 and (words[1] in {"of", "on", "for", "and", "the", "in", "at", "to"}
                                or words[1].casefold().strip(".") in TITLE_WORDS - _KEEP_LAST
                                or words[1].casefold() in _NEVER_ALONE):
            end = start + len(words[0])
            continue
        return start, end


#: "His/Her Excellency", "His/Her Highness", "His/Her Majesty", "His/Her Royal Highness".
_HONORIFIC_INITIALS = re.compile(r"H\.\s*(?:E|H|M|R\.\s*H)\.")


def valid_name(text: str) -> bool:
    """A plausible name: capitalised or an ordinal unit ("86th Airlift Wing"), no
    numbers standing alone, no file names, not a title or a form of address alone."""
    words = text.split()
    if not words or len(text) < 2 or len(words) > 12 or words[0] in MONTHS:
        return False
    if len(words) > 8 and sum(w[:1].isupper() for w in words) * 2 < len(words):
        return False  # only a body's nested name is that long, all in capitals but "of the"
    if not (text[:1].isupper() or _ORDINAL.match(words[0])):
        return False
    if any(c in "“”\"()[]{}<>|=_" for c in text) or re.search(r"\.[a-z]{2,4}\b", text):
        return False
    if re.search(r"\w[-–](?:\s|$)", text):
        return False  # "Indo- The Pacific": a word broken at a line end
    numbered_unit = len(words) >= 2 and re.fullmatch(r"\d{1,3}", words[-1]) is not None and \
        re.fullmatch(rf"(?:{ORG_WORDS})", words[-2]) is not None  # "Amphibious Squadron 5"
    body = words[:-1] if numbered_unit else words
    if any(w.isdigit() or (any(c.isdigit() for c in w) and not _ORDINAL.match(w)
                           and not re.fullmatch(r"[A-Z]+\d+[A-Z]*|\d+/\d+", w)) for w in body):
        return False
    lowered = [w.casefold().strip(".,") for w in words]
    if len(words) == 1 and lowered[0] in _NEVER_ALONE:
        return False
    if _HONORIFIC_INITIALS.fullmatch(text):
        return False  # "H. E.", "H.E.": an honorific's initials, no one's name
    return not all(w in TITLE_ONLY | {"of", "the", "for", "and"} for w in lowered)


def is_headline(text: str) -> bool:
    """A title-case line ("Pat Ryder Holds an On-Camera Press Briefing"), where
    capitals no longer mark names and a model's guesses run on into the next word."""
    words = [w for w in text.split() if len(w) > 3]
    if len(words) < 3 or text.rstrip().endswith((".", ":", "?", "!", "”", '"')):
        return False
    return sum(w[:1].isupper() for w in words) >= 0.7 * len(words)


def strip_title(name: str) -> str:
    """A person's name without the title before it ("Defense Secretary Lloyd Austin" →
    "Lloyd Austin", "MR. KIRBY" → "KIRBY"); the name as it is when no title leads it.
    A title is not part of who someone is, so variants of a name meet without it."""
    text = " ".join(name.split())
    match = _TITLED.match(text)
    if match is not None and match.end() == len(text):
        return match["name"]
    words = text.split()
    while len(words) > 1 and words[0].casefold().strip(".,") in LEADING_TITLES:
        words = words[1:]
    return " ".join(words)


_CAP = r"[A-Z][\w’'\-]*"
#: A title with an office "of"/"for" a body or country and the name run on after it, no
#: comma between: "President of Ukraine Volodymyr Zelenskyy", "Minister of Economy, Trade
#: and Industry Hiroshige Seko", "Director of the Office of the Foreign Affairs Commission
#: of the CPC Central Committee Yang Jiechi".
_OFFICE_RUN = re.compile(
    rf"(?<![\w.])(?P<title>{_TITLE_PREFIX}*(?:{TITLE_CORE}|Member|Head|Leader|Aide))\s+"
    rf"(?:of|for|to)\s+(?:the\s+)?(?P<run>{_CAP}(?:(?:,\s+(?={_CAP}(?:,\s+{_CAP})*\s+(?:and|&)\s)|"
    rf"\s+(?:(?:and|of|for|on|in|to|&)\s+)?"
    rf"(?:the\s+)?){_CAP}){{1,14}})")
_ORG_END = re.compile(rf"(?:{ORG_WORDS})$")
_TITLE_START = re.compile(rf"{TITLE_CORE}|Member|Head|Leader|Aide|Deputy|Vice|Acting|Chief|"
                          r"Senior|Special|Prime|First|Assistant|Under|Principal|Former")


#: Words that end a portfolio ("External Affairs", "Trade and Industry"), never a name.
_PORTFOLIO = frozenset(words("""
affairs security development services relations policy resources industry trade economy
finance health education justice energy environment agriculture culture tourism transport
infrastructure housing labour labor employment communications technology science
innovation sport sports welfare interior treasury commerce planning reconstruction
integration cooperation co-operation veterans fisheries immigration migration budget
revenue investment digital climate water mines mining works safety youth women family
children equality heritage media arts research trade affairs government
"""))


def joined_start(text: str, start: int, org_word: int) -> int:
    """Where an organisation name found from ``start`` begins when an "and" comes before
    its organisation word (at ``org_word``): "Asian and Oceanian Affairs Bureau" and
    "Government and Finance Division" are one body, portfolios joined; "US and European
    Union" and "Trump and Justice Department" are two names.  The "and" is kept only
    between portfolio words or adjectives of place, with a portfolio after it; otherwise
    the name starts after it (where the run before it was cut, at the portfolio words
    that lead up to it)."""
    for join in reversed(list(re.finditer(r"\s+and\s+", text[start:org_word]))):
        before = text[start:start + join.start()].split()
        after = text[start + join.end():org_word].split()
        lead = 0  # how many words just before the "and" a portfolio can be made of
        while lead < len(before) and _portfolio_word(before[len(before) - 1 - lead]):
            lead += 1
        if lead and any(w.casefold() in _PORTFOLIO for w in after):
            if lead < len(before):
                kept = " ".join(before[len(before) - lead:])
                return start + text[start:start + join.start()].rindex(kept)
            continue
        return start + join.end()
    return start


def _portfolio_word(word: str) -> bool:
    """A portfolio ("Finance", "Government") or an adjective of place ("Asian")."""
    return word.casefold() in _PORTFOLIO or word in gazetteer.demonyms()


def _name_word(word: str) -> bool:
    """A word that can be part of a person's name run on after an office."""
    bare = re.sub(r"[’']s$", "", word)
    return (bare.casefold().strip(".") not in TITLE_WORDS | _PORTFOLIO and bare not in MONTHS
            and bare not in gazetteer.places() and bare not in gazetteer.demonyms()
            and not _ORG_END.search(bare) and re.search(r"[a-z]", bare) is not None)


def _portfolio_ends(text: str, tokens: list[re.Match[str]], last: int) -> bool:
    """Whether the office's portfolio can end with ``tokens[last]``: a place ("of
    Ukraine", "of the Republic of Turkey"), a body ("of the CPC Central Committee"), an
    acronym ("of the ROK"), or the last of a list ("Economy, Trade and Industry")."""
    word = re.sub(r"[’']s$", "", tokens[last].group(0))
    if _ORG_END.search(word) or (word.isupper() and len(word) >= 2):
        return True
    for first in range(last, max(-1, last - 4), -1):
        if text[tokens[first].start():tokens[last].end()] in gazetteer.places():
            return True
    return last > 0 and re.fullmatch(r"\s+(?:and|&)\s+|,\s+",
                                     text[tokens[last - 1].end():tokens[last].start()]) is not None


def office_holders(text: str) -> Iterable[tuple[int, int, int, int]]:
    """(title start, title end, name start, name end) of each person named straight after
    an office with its portfolio (see :data:`_OFFICE_RUN`).  Only a split that one reading
    allows is made: a name of two to four words, none of them a place, title or body word,
    after a portfolio that visibly ends (:func:`_portfolio_ends`)."""
    position = 0
    while (match := _OFFICE_RUN.search(text, position)) is not None:
        tokens = list(re.finditer(_CAP, text[:match.end("run")]))
        tokens = [t for t in tokens if t.start() >= match.start("run")]
        for index in range(1, len(tokens)):
            # "… Tigran Sarkis and Minister of …": the next office of a list starts here.
            if _TITLE_START.fullmatch(tokens[index].group(0)) and re.fullmatch(
                    r"\s+(?:and|&)\s+|,\s+", text[tokens[index - 1].end():tokens[index].start()]):
                tokens = tokens[:index]
                break
        position = tokens[-1].end()
        splits = []
        for size in (2, 3, 4):
            first = len(tokens) - size
            if first < 1:
                break
            names = tokens[first:]
            if not all(_name_word(t.group(0)) for t in names) or any(
                    text[a.end():b.start()] != " " for a, b in itertools.pairwise(names)):
                break
            if text[tokens[first - 1].end():names[0].start()] == " " and \
                    _portfolio_ends(text, tokens, first - 1):
                splits.append((tokens[first - 1].end(), names[0].start(), names[-1].end()))
        if len(splits) == 1:
            title_end, name_start, name_end = splits[0]
            if re.search(r"[’']s$", text[name_start:name_end]):
                name_end -= 2  # "… Volodymyr Zelenskyy’s visit"
            yield match.start("title"), title_end, name_start, name_end


def titled(text: str) -> Iterable[re.Match[str]]:
    """Title-and-name matches, where a rejected one ("Secretary Air Force" in "Press
    Secretary Air Force Gen. Pat Ryder") does not hide the one inside it."""
    position = 0
    while (match := _TITLED.search(text, position)) is not None:
        first = match["name"].split()[0]
        place = gazetteer.places().get(re.sub(r"[’']s$", "", first))
        rejected = (first in gazetteer.demonyms() or (place is not None and place.kind != "city")
                    or first.casefold() in TITLE_ONLY | {"air", "force"})
        if rejected:  # "Minister Korea" is no name; "Secretary Austin" is
            position = match.start("name")
            continue
        yield match
        position = match.end()
