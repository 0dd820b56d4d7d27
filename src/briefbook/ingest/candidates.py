"""New-entity candidates: recognised names the registry lacks, counted and typed.

Recognition itself lives in :mod:`.recognition`; this module decides which recognised
names are worth an editor's review: not already a registry name, not covered by a linked
mention, one entry per name with how often the article uses it, and for places the
gazetteer's coordinates so an accepted stub can go straight on the map.

A family name alone is folded, with its count, into the person the article names in
full ("Austin" into "Lloyd Austin"), and kept as one of that candidate's ``forms``, so
review sees every way the article wrote the person; a bare body noun is noted as a form
of the one body the article names with it ("Committee" of "Foreign Affairs Committee"). The
titles the article gives a person are kept too: an accepted stub can say what office
the person held on the article's date.

What is never an entity, whatever a recogniser thought, is said here by the shape of the
words (:func:`not_an_entity`): a bare body noun ("Armed Forces", "Government"), a
sub-unit without its parent ("1st Battalion", "Alpha Company"), titles alone ("Heads of
Mission"). The rules are about English, not about any one text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from briefbook.entities.registry import normalise
from briefbook.ingest import gazetteer
from briefbook.ingest.linker import in_longer_run
from briefbook.ingest.model import Candidate, Mention, Name
from briefbook.ingest.wordlists import words

#: Nouns that name a kind of body, not one body: "the Committee", "the Armed Forces".
BODY_NOUNS = frozenset(words("""
ministry department agency council committee subcommittee commission office bureau
administration authority board cabinet government parliament legislature congress senate
assembly court courts embassy consulate mission delegation secretariat directorate
headquarters army navy military police forces force marines corps guard fleet command
brigade division regiment battalion squadron wing company platoon squad troop battery
detachment unit units group team services service intelligence staff troops
"""))
#: Words that qualify a force without naming one: "Armed Forces", "Special Forces",
#: "Air Force", "Coast Guard", "Task Force" (every country has them).
_GENERIC_MODIFIERS = frozenset(words("""
armed special security ground naval air land defence defense military coast task combat
allied coalition marine
"""))
_FORCES = frozenset(words("""
forces force army navy guard corps services service police command units unit military
troops marines fleet
"""))
#: Echelons below a regiment: without their parent ("1st Battalion, the Yorkshire
#: Regiment") they name no one unit.
_SUB_UNITS = "Battalion|Company|Platoon|Squad|Troop|Battery|Detachment|Section|Flight"
_PHONETIC = ("Alpha|Bravo|Charlie|Delta|Echo|Foxtrot|Golf|Hotel|India|Juliet|Kilo|Lima|Mike|"
             "November|Oscar|Papa|Quebec|Romeo|Sierra|Tango|Uniform|Victor|Whiskey|X-ray|"
             "Yankee|Zulu|Headquarters")
_SUB_UNIT = re.compile(
    rf"^(?:(?:\d+(?:st|nd|rd|th)|[A-Z]|{_PHONETIC}|First|Second|Third|Fourth|Fifth)\s+"
    rf"(?:[A-Z][a-z]+\s+){{0,2}}(?:{_SUB_UNITS})|(?:{_SUB_UNITS})\s+(?:[A-Z]|\d+))$")
#: Words of titles and forms of address: a name made of these alone is an office.
_TITLE_WORDS = frozenset(words("""
president vice prime minister ministers secretary secretaries chancellor senator governor
mayor ambassador ambassadors spokesperson spokesman spokeswoman director directors chairman
chairwoman chair commander commanders admiral general colonel lieutenant major captain
sergeant king queen prince princess pope judge justice envoy envoys deputy assistant under
chief chiefs head heads leader leaders officer officers adviser advisor advisers advisors
counselor coordinator commissioner commissioners representative representatives
administrator principal acting senior special high permanent press first lady member
members of the for and to on
"""))


def _bare(text: str) -> list[str]:
    return normalise(re.sub(r"^the\s+", "", text.strip(), flags=re.IGNORECASE)).split()


def generic_body(text: str) -> bool:
    """A body noun, perhaps with generic modifiers, and no name: "Committee", "the
    Armed Forces", "Air Force", "Special Forces". Such a name means whichever body the
    text is about, so it is never an entity of its own."""
    found = _bare(text)
    if not found or found[-1] not in BODY_NOUNS:
        return False
    return len(found) == 1 or (found[-1] in _FORCES and all(
        w in _GENERIC_MODIFIERS or w in _FORCES for w in found[:-1]))


def sub_unit(text: str) -> bool:
    """A military sub-unit by its number or letter alone: "1st Battalion", "Alpha
    Company", "Company B"."""
    return _SUB_UNIT.match(" ".join(text.split())) is not None


def title_only(text: str) -> bool:
    """An office, not a body: "Heads of Mission", "UK Heads of Mission", "Chief of
    Staff", "Commander" (a country or body noun after the title does not make a body)."""
    found = [w.strip(".,’'") for w in _bare(text)]
    if found and (_country(found[0]) or found[0].title() in gazetteer.demonyms()):
        found = found[1:]
    return bool(found) and found[0] in _TITLE_WORDS and all(
        w in _TITLE_WORDS or w in BODY_NOUNS for w in found) and not all(
        w in BODY_NOUNS or w in ("of", "the", "for", "and") for w in found)


def _country(word: str) -> bool:
    place = gazetteer.places().get(word.upper()) or gazetteer.places().get(word.title())
    return place is not None and place.kind == "country"


def not_an_entity(text: str, kind: str) -> bool:
    """Whether a recognised name is, by its words alone, no person, place or body."""
    if kind == "organization":
        return generic_body(text) or sub_unit(text) or title_only(text)
    return False


def find_candidates(names: Sequence[Name], mentions: Sequence[Mention], known: set[str],
                    byline: str = "",
                    quoted: dict[int, list[tuple[int, int]]] | None = None,
                    paragraphs: Sequence[str] = ()) -> list[Candidate]:
    """Names not in the registry, most frequent first.

    ``known`` holds the case-folded names and aliases the registry already has; a name
    overlapping a linked mention is the registry's, whatever the recogniser thought.
    ``byline`` is the article's author, a person the text itself may never name.
    ``quoted`` holds each paragraph's quotation spans: a name there, in the headline
    (paragraph -1) or the byline is not counted as ``linkable``, since the page shows
    those words as written and can link no name in them; nor is one the linker would
    take for part of a longer capitalised name in ``paragraphs`` ("Maritime Activity" in
    "Transnational Maritime Activity Operations").
    """
    quoted = quoted or {}
    covered: dict[int, list[tuple[int, int]]] = {}
    for mention in mentions:
        covered.setdefault(mention.paragraph, []).append((mention.start, mention.end))
    counts: Counter[tuple[str, str]] = Counter()
    linkable: Counter[tuple[str, str]] = Counter()
    cues: dict[tuple[str, str], str] = {}
    titles: dict[tuple[str, str], list[str]] = {}
    other_titles: dict[tuple[str, str], list[str]] = {}
    for name in names:
        if name.text.casefold() in known or any(
                s < name.end and name.start < e for s, e in covered.get(name.paragraph, ())):
            continue
        text = name.text.title() if name.text.isupper() and name.cue == "transcript label" \
            else name.text
        key = (text, name.type)
        counts[key] += 1
        cues.setdefault(key, name.cue)
        if name.paragraph >= 0 and not any(s <= name.start and name.end <= e
                                           for s, e in quoted.get(name.paragraph, ())) \
                and not (name.paragraph < len(paragraphs)
                         and in_longer_run(paragraphs[name.paragraph], name.start, name.end)):
            linkable[key] += 1
        if name.title:
            into = titles if name.cue == "title" else other_titles
            into.setdefault(key, []).append(name.title)
    for author in _byline_people(byline):
        if author.casefold() not in known:
            counts[(author, "person")] += 1
            cues.setdefault((author, "person"), "byline")
    forms: dict[tuple[str, str], list[str]] = {}
    for short, owner in _bare_bodies(counts):
        # Only noted: "Parliament" may still mean another parliament than the one the
        # article names in full, so it stays a candidate of its own too.
        forms.setdefault(owner, []).append(short[0])
    for short, owner in _family_names(counts):
        counts[owner] += counts.pop(short)
        linkable[owner] += linkable.pop(short, 0)
        forms.setdefault(owner, []).append(short[0])
        forms[owner].extend(forms.pop(short, []))
        titles.setdefault(owner, []).extend(titles.pop(short, []))
        other_titles.setdefault(owner, []).extend(other_titles.pop(short, []))
    places = gazetteer.places()
    result: list[Candidate] = []
    for key, count in counts.items():
        text, kind = key
        place = places.get(text) if kind == "place" else None
        result.append(Candidate(
            text, kind, count, cues[key], place.coordinates if place else None,
            place.kind if place else "", tuple(dict.fromkeys(forms.get(key, ()))),
            tuple(dict.fromkeys(titles.get(key, ()))),
            tuple(dict.fromkeys(other_titles.get(key, ()))), linkable[key]))
    return sorted(result, key=lambda c: (-c.count, c.text, c.type))


def _family_names(counts: Counter[tuple[str, str]]) -> list[tuple[tuple[str, str],
                                                                  tuple[str, str]]]:
    """"Kim" with "Kim Yong-hyun" when the article names one person so: an editor
    reviews one candidate per person, not one per way of writing them."""
    people = [text for text, kind in counts if kind == "person" and " " in text]
    out = []
    for text, kind in list(counts):
        if kind != "person" or " " in text:
            continue
        owners = [p for p in people
                  if text.casefold() in (p.split()[0].casefold(), p.split()[-1].casefold())]
        if len(owners) == 1:
            out.append(((text, kind), (owners[0], "person")))
    return out


def _bare_bodies(counts: Counter[tuple[str, str]]) -> list[tuple[tuple[str, str],
                                                                 tuple[str, str]]]:
    """"Committee" with "Foreign Affairs Committee", "Air Force" with "Royal Air Force",
    when the article names exactly one body that way."""
    bodies = [text for text, kind in counts if kind == "organization"]
    out = []
    for text in bodies:
        if not generic_body(text):
            continue
        tail = " ".join(_bare(text))
        owners = [b for b in bodies if b != text and not generic_body(b)
                  and normalise(b).endswith(" " + tail)]
        if len(owners) == 1:
            out.append(((text, "organization"), (owners[0], "organization")))
    return out


def _byline_people(byline: str) -> list[str]:
    """The people of a byline ("Jim Garamone and Jane Doe"); organisations are not people."""
    if not byline or any(word in byline for word in ("News", "Office", "Staff", "Agency",
                                                     "Department", "Ministry", "Press",
                                                     "Service", "Desk", "Team")):
        return []
    out = []
    for part in byline.replace(" and ", ",").replace("&", ",").split(","):
        parts = part.split()
        if 2 <= len(parts) <= 3 and all(w[:1].isupper() for w in parts):
            out.append(" ".join(parts))
    return out
