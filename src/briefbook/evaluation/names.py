"""How the evaluation compares names, quotations, titles and publishers with the gold.

Gold forms are written without titles and ingest may keep them ("Secretary Austin",
"MR. KIRBY"); quotation marks, dashes and case differ between a page and its
annotation. Every comparison goes through a key made here, so that only a real
difference counts as an error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from briefbook.ingest.wordlists import words

_QUOTE_MAP = str.maketrans({
    "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"', "〝": '"', "〞": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
    "…": "...", "\u00a0": " ",
})

#: Titles and honorifics that may open a name ("Staff Sgt.", "Secretary of Defense"),
#: compared without dots and case.  A title is dropped only when a capitalised word
#: follows it, so "Secretary of" something lower-case stays intact.
TITLES: tuple[str, ...] = (
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
    "rev", "reverend", "father", "sheikh", "sheik", "imam", "rabbi", "pope",
    "king", "queen", "prince", "princess", "crown prince", "emperor", "emir", "sultan",
    "president", "vice president", "president-elect", "premier",
    "prime minister", "deputy prime minister", "chancellor", "vice chancellor",
    "minister", "deputy minister", "foreign minister", "defense minister", "defence minister",
    "interior minister", "finance minister", "defense secretary", "defence secretary",
    "foreign secretary", "home secretary", "press secretary", "deputy press secretary",
    "secretary", "deputy secretary", "under secretary", "undersecretary", "assistant secretary",
    "secretary-general", "secretary general", "secretary of defense", "secretary of state",
    "secretary of the army", "secretary of the navy", "secretary of the air force",
    "deputy secretary of defense", "deputy secretary of state",
    "senator", "sen", "representative", "rep", "congressman", "congresswoman", "speaker",
    "governor", "gov", "mayor", "ambassador", "envoy", "special envoy", "commissioner",
    "chairman", "chairwoman", "chief", "director", "deputy director", "spokesman",
    "spokeswoman", "spokesperson", "adviser", "advisor", "national security adviser",
    "national security advisor", "general", "gen", "lt gen", "lt", "lieutenant",
    "lieutenant general", "maj gen", "maj", "major", "major general", "brig gen",
    "brigadier general", "col", "colonel", "lt col", "lieutenant colonel", "capt", "captain",
    "cmdr", "cdr", "commander", "adm", "admiral", "vice adm", "vice admiral", "rear adm",
    "rear admiral", "sgt", "sergeant", "staff sgt", "master sgt", "sgt maj", "sergeant major",
    "first sgt", "tech sgt", "technical sgt", "cpl", "corporal", "lance cpl", "pfc", "pvt",
    "private", "spc", "specialist", "airman", "senior airman", "petty officer", "ensign",
    "cadet", "marshal", "field marshal", "air marshal", "air chief marshal", "the",
)
#: Words that qualify a title ("Air Force Staff Sgt.", "U.S. Army Gen.", "former
#: President"): dropped only when a title follows, so the organisation "Air Force" or a
#: "U.S. Army" candidate keeps its name.
QUALIFIERS: tuple[str, ...] = (
    "us", "uk", "eu", "un", "army", "navy", "air force", "marine corps", "marine", "space force",
    "coast guard", "national guard", "retired", "ret", "former", "then", "acting", "late",
    "british", "french", "german", "russian", "chinese", "ukrainian", "israeli", "iranian",
    "american", "south korean", "north korean", "korean", "japanese", "indian", "turkish",
)
_TITLE_TOKENS: frozenset[tuple[str, ...]] = frozenset(tuple(t.split()) for t in TITLES)
_QUALIFIER_TOKENS: frozenset[tuple[str, ...]] = frozenset(tuple(t.split()) for t in QUALIFIERS)
_LONGEST_TITLE = max(len(t) for t in _TITLE_TOKENS | _QUALIFIER_TOKENS)

POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")


#: Words a speaker phrase may open with that name no one by themselves.
PRONOUNS: frozenset[str] = frozenset(words(
    "he she they it we i you his her their its our my your him them us me one this that "
    "these those who which someone somebody"))
_DETERMINERS: frozenset[str] = frozenset(words(
    "the a an this that these those one another some several many two three other "
    "both each every no any its his her their our"))
#: Nouns that describe a source without naming it ("Officials said", "U.S. Officials").
DESCRIPTORS: frozenset[str] = frozenset(words(
    "official officials source sources analyst analysts expert experts authorities diplomat "
    "diplomats resident residents witness witnesses observer observers critic critics officer "
    "officers aide aides lawmaker lawmakers reporter reporters spokesman spokeswoman "
    "spokesperson spokespeople statement report reports people participants leaders members "
    "government administration ministry police military troops forces question questions "
    "moderator staff host interviewer participant operator audience pm"))


def _unify(text: str) -> str:
    """NFC, one kind of quotation mark, apostrophe and dash, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_QUOTE_MAP).split())


def _title_key(token: str) -> str:
    return token.replace(".", "").casefold().strip(",")


def _title_at(words: Sequence[str], i: int) -> int:
    """How many words at ``words[i]`` make a title (with its qualifiers), 0 if none.

    The title must leave a capitalised word (or digit) behind it: the name.
    """
    for size in range(min(_LONGEST_TITLE, len(words) - i - 1), 0, -1):
        phrase = tuple(_title_key(w) for w in words[i: i + size])
        following = words[i + size]
        if not (following[0].isupper() or following[0].isdigit()):
            continue
        if phrase in _TITLE_TOKENS:
            return size
        if phrase in _QUALIFIER_TOKENS and (rest := _title_at(words, i + size)):
            return size + rest
    return 0


def title_prefix(text: str) -> int:
    """Characters of ``text`` taken by leading titles ("MR. ", "Air Force Staff Sgt. ").

    Titles go in sequence, longest phrase first; each must be followed by a word that
    starts with a capital (or digit), so a name is always left behind.
    """
    tokens = list(re.finditer(r"\S+", text))
    words = [t.group() for t in tokens]
    i = 0
    while i < len(words) and (size := _title_at(words, i)):
        i += size
    return tokens[i].start() if 0 < i < len(tokens) else 0


def normalise_name(name: str) -> str:
    """The key names are compared by: NFC, leading titles and honorifics dropped, a
    trailing possessive dropped, whitespace collapsed, case-folded.

    Gold forms are written without titles and ingest may keep them ("Secretary Austin",
    "MR. KIRBY"); a title is not part of who someone is, so it must not decide a match.
    """
    text = _unify(name).strip(" ,;:\"")
    text = text[title_prefix(text):]
    text = POSSESSIVE.sub("", text).strip(" ,;:\"")
    return " ".join(text.split()).casefold()


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v"})


def loose_person(key: str) -> str:
    """First and last name of a normalised person name without initials or suffixes
    ("lloyd j. austin iii" -> "lloyd austin"), so that a registry's "Lloyd Austin" and a
    gold "Lloyd J. Austin III" are recognised as the same person."""
    words = [w for w in key.split() if len(w.strip(".,")) > 1 and w.strip(".,") not in _SUFFIXES]
    return f"{words[0]} {words[-1]}" if len(words) >= 2 else ""


def slug(name: str) -> str:
    """A registry id as the gold format derives it: lowercase ASCII, non-alphanumerics "-"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def name_keys(names: Iterable[str], person: bool = False) -> set[str]:
    """Comparison keys of a set of names (with loose first+last keys for people)."""
    keys: set[str] = set()
    for name in names:
        key = normalise_name(name)
        if key:
            keys.add(key)
            if person and (loose := loose_person(key)):
                keys.add(loose)
    return keys


def quote_key(text: str) -> str:
    """How quotation texts are compared: NFC, marks unified, whitespace collapsed."""
    return _unify(text)


def title_key(text: str) -> str:
    """How titles are compared: case, quotation marks, dashes and whitespace ignored."""
    text = _unify(text).casefold()
    text = re.sub(r"\s*-\s*", " - ", text)
    return " ".join(text.split()).rstrip(".")


def publisher_key(text: str) -> str:
    """How publishers are compared: case, dots and a leading "the" ignored."""
    text = _unify(text).casefold().replace(".", "")
    text = re.sub(r"^the\s+", "", text)
    return " ".join(text.split())


def names_someone(text: str | None) -> bool:
    """Whether a speaker phrase names a particular speaker ("Kirby", "The Pentagon")
    rather than describing one ("he", "Officials", "U.S. officials", "a senior official",
    "Capt").

    It must start with a capital, not be a pronoun, not open with a determiner followed by
    a lower-case word, and end on a capitalised word that is not a generic noun (a head
    noun in lower case, "South Korean intelligence services", or a generic one,
    "Officials", describes a source without naming it).
    """
    if not text:
        return False
    words = _unify(text).strip(" ,;:\"'").split()
    if not words or not words[0][0].isupper():
        return False
    keys = tuple(_title_key(w) for w in words)
    if keys in _TITLE_TOKENS or all((k,) in _TITLE_TOKENS | _QUALIFIER_TOKENS for k in keys):
        return False   # a title alone ("Capt", "The Secretary") names no one
    first = words[0].casefold().strip(".,")
    if first in PRONOUNS and len(words) == 1:
        return False
    if first in _DETERMINERS and (len(words) == 1 or not words[1][0].isupper()):
        return False
    last = words[-1].strip(".,'\"")
    return bool(last) and (last[0].isupper() or last[0].isdigit()) and (
        last.casefold() not in DESCRIPTORS)
