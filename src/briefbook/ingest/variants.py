"""One entity, many spellings: the key under which variants of a name meet.

A batch of articles writes one country as "United Kingdom", "UK", "U.K." and "Britain",
and one person as "Defence Secretary John Healey", "John Healey" and "Healey".  Review
should see one decision for each entity, and ingest should write one stub for it, so
both ask this module: :func:`entity_key` for what one name alone says (the gazetteer's
country codes and place names, abbreviations without their dots, titles before names),
:func:`group_variants` for what a batch of names says together (an acronym beside the
name it abbreviates, a name with and without middle initials, "Security Council" beside
"UN Security Council", a family name beside the full name), and :func:`usual_name` for
the name the group goes under.  Knowledge is offline only.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence

from briefbook.entities.registry import normalise
from briefbook.ingest import gazetteer
from briefbook.ingest.name_patterns import FAMILY_FIRST, strip_title

_DOTS = re.compile(r"(?<=\b[A-Za-z])\.")
_POSSESSIVE = re.compile(r"(?:[’']s|(?<=s)[’'])$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
#: Words an acronym may skip or take one letter from ("DoD", "NASA", "USAID").
_FUNCTION = frozenset({"of", "the", "and", "for", "on", "in", "de", "du", "des", "la", "le",
                       "&", "to", "at", "a", "an"})
#: Generational suffixes: part of a name, not of what tells two people apart.
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v"})
#: Feature words written short ("Seymour Johnson AFB").
_SHORT_FEATURES = {"afb": "air force base", "ab": "air base", "mt": "mount", "ft": "fort",
                   "st": "saint", "is": "island"}
#: The name each country usually goes by where the gazetteer's first name is another.
_USUAL_COUNTRY = {"US": "United States", "GB": "United Kingdom"}
_FEATURE_WORDS = frozenset(w.casefold() for w in gazetteer.FEATURE_AFTER)


def is_acronym(name: str) -> bool:
    """"NATO", "U.N.", "DoD", "G7": letters (dots aside) mostly capitals, one word."""
    bare = _DOTS.sub("", name.strip()).replace(".", "")
    if " " in bare or not 2 <= len(bare) <= 8 or not bare[:1].isalpha():
        return False
    letters = [c for c in bare if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return upper >= 2 and upper >= len(letters) - 1


def without_title(name: str) -> str:
    """A person's name without the title before it ("Secretary Austin" → "Austin")."""
    return strip_title(name)


def _country_of(name: str) -> str:
    """The ISO code of the country ``name`` names, "" if it names none."""
    places = gazetteer.places()
    plural = [name + "s"] if name.endswith(" Island") else []  # "the Cook Island’s"
    for text in (name, _DOTS.sub("", name), _LEADING_THE.sub("", name), *plural):
        place = places.get(text.strip())
        if place is not None and place.kind == "country" and place.country:
            return place.country
    return ""


def _org_core(name: str) -> str:
    """An organisation's name with a leading country in its code ("U.S. Army", "US Army"
    and "United States Army" alike), without dots, "the" or a possessive."""
    text = _POSSESSIVE.sub("", _LEADING_THE.sub("", name.strip()))
    words = text.split()
    for size in range(min(4, len(words) - 1), 0, -1):
        head = " ".join(words[:size])
        code = _country_of(head) or (_country_of(head + "s") if size == 1 else "")
        if code:  # "Philippine Army" and "Philippines Army" too
            return normalise(f"{{{code}}} " + _DOTS.sub("", " ".join(words[size:])))
    return normalise(_DOTS.sub("", _countries_inside(words)))


def _countries_inside(words: list[str]) -> str:
    """The words with each country named after "of", "the" or "in" as its code: "Embassy
    of the ROK in Japan" and "Embassy of the Republic of Korea in Japan" alike."""
    out: list[str] = []
    index = 0
    while index < len(words):
        if out and out[-1].casefold() in ("of", "the", "in", "to"):
            for size in range(min(4, len(words) - index), 0, -1):
                code = _country_of(" ".join(words[index:index + size]))
                if code:
                    out.append(f"{{{code}}}")
                    index += size
                    break
            else:
                out.append(words[index])
                index += 1
            continue
        out.append(words[index])
        index += 1
    return " ".join(out)


def _place_core(name: str) -> str:
    """A place's name with feature words written out and "Islands" as "Island" (the
    possessive of one is often typed as the other: "the Cook Island’s hospitality")."""
    words = [_SHORT_FEATURES.get(w.strip("."), w) if i else w
             for i, w in enumerate(normalise(_DOTS.sub("", name)).split())]
    if len(words) > 1 and words[-1] == "islands":
        words[-1] = "island"
    return " ".join(words)


@functools.lru_cache(maxsize=65536)
def entity_key(name: str, kind: str) -> str:
    """The key every way of writing one entity shares, as far as the name alone tells.

    Countries meet under their ISO code whatever the name ("country:GB"), other
    gazetteer places under the gazetteer's name ("Va." and "Virginia"); a person's name
    without a title before it; an organisation's with a leading country as its code;
    every name without the dots of abbreviations ("u.s. army" and "us army" alike), a
    leading "the" or a possessive.
    """
    text = _POSSESSIVE.sub("", name.strip())
    if kind == "place":
        code = _country_of(text)
        if code:
            return f"country:{code}"
        place = gazetteer.places().get(text) or gazetteer.places().get(_DOTS.sub("", text))
        if place is not None:
            return f"place:{normalise(place.name)}"
        return "place:" + _place_core(_LEADING_THE.sub("", text))
    if kind == "person":
        return f"person:{_transliterated(normalise(_DOTS.sub('', without_title(text))))}"
    if kind == "organization":
        return f"organization:{_org_core(text)}"
    return f"{kind}:{normalise(_DOTS.sub('', text))}"


#: The endings transliteration spells several ways: Ukrainian and Russian "-ський"/"-ский"
#: as "-skyy", "-skyi", "-skiy", "-ski" or "-sky" ("Zelenskyy", "Zelensky", "Syrskyi").
_SKY = re.compile(r"(?<=k)(?:yy|yi|iy|ii|i)\b")


def _transliterated(name: str) -> str:
    """A person's name as its transliterations share it: letters without their marks
    ("Erdoğan" and "Erdogan") and one spelling of the endings of :data:`_SKY`.  A name
    in another script keeps its letters (folding would leave nothing)."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.replace("ı", "i").replace("ł", "l").replace("ø", "o").replace("đ", "d")
    return _SKY.sub("y", folded)


# --- what a batch of names says together -------------------------------------------------


def _initials_and_core(name: str) -> tuple[frozenset[str], str]:
    """A person's middle initials and the rest ("Lloyd J. Austin III" → ({"j"},
    "lloyd austin")), so that "Lloyd Austin" meets it but "George H. W. Bush" does not
    meet "George W. Bush"."""
    words = normalise(without_title(name)).split()
    initials = {w.strip(".") for w in words[1:-1] if len(w.strip(".")) == 1}
    core = [w for i, w in enumerate(words)
            if not (0 < i < len(words) - 1 and len(w.strip(".")) == 1)
            and w.strip(".,") not in _SUFFIXES]
    return frozenset(initials), " ".join(core)


def _words_of(name: str) -> tuple[str, ...]:
    """The words an acronym is made from: dotted abbreviations spelled out ("U.S." is
    two words), hyphenated words apart."""
    out: list[str] = []
    for token in re.findall(r"[^\s\-–/]+", name):
        token = _POSSESSIVE.sub("", token.strip(",;:()“”\"’'"))
        if re.fullmatch(r"(?:[A-Za-z]\.){2,}", token):
            out.extend(c for c in token if c.isalpha())
        elif token:
            out.append(token.strip("."))
    return tuple(w for w in out if w)


@functools.lru_cache(maxsize=4096)
def _fits(letters: str, words: tuple[str, ...]) -> bool:
    """Whether ``letters`` are, in order, a prefix of each word (function words may be
    skipped or give one letter)."""
    if not words:
        return not letters
    word, rest = words[0].casefold(), words[1:]
    if word in _FUNCTION and _fits(letters, rest):
        return True
    longest = 1 if word in _FUNCTION else len(word)
    for size in range(1, min(longest, len(letters)) + 1):
        if word[:size] != letters[:size]:
            break
        if _fits(letters[size:], rest):
            return True
    return False


def abbreviates(acronym: str, name: str) -> bool:
    """Whether ``acronym`` is made from the words of ``name``: its initials ("FEMA",
    "DoD", "USAID") or the first letters of each word ("AFRICOM" of "U.S. Africa
    Command", where a leading country may be left out)."""
    if not is_acronym(acronym) or is_acronym(name):
        return False
    letters = re.sub(r"[^a-z0-9]", "", acronym.casefold())
    words = _words_of(name)
    if sum(w.casefold() not in _FUNCTION for w in words) < 2 or not letters:
        return False
    if _fits(letters, words):
        return True
    for size in range(1, min(3, len(words))):
        if _country_of(" ".join(words[:size])) or _country_of(".".join(words[:size]) + "."):
            return _fits(letters, words[size:])
    return False


def is_short_form(short: str, full: str) -> bool:
    """Whether ``short`` is how a text names the person ``full`` after the first time:
    the family name ("Austin" of "Lloyd J. Austin III", "Le Drian" of "Jean-Yves Le
    Drian", "Shin" of "Shin Won-sik"), never the whole name."""
    short_words = normalise(without_title(short)).split()
    full_words = [w for w in normalise(without_title(full)).split()
                  if w.strip(".,") not in _SUFFIXES]
    if not short_words or len(short_words) >= len(full_words):
        return False
    if full_words[-len(short_words):] == short_words:
        return True
    return full_words[:len(short_words)] == short_words and full_words[0] in FAMILY_FIRST


def _qualified(short: str, long: str) -> bool:
    """"Security Council" of "UN Security Council", "Senate" of "U.S. Senate": the long
    name is the short one with a country or an acronym before it."""
    short_n, long_n = normalise(short), normalise(long)
    if not long_n.endswith(" " + short_n):
        return False
    head = long.strip()[: len(long.strip()) - len(short.strip())].strip()
    return bool(head) and (bool(_country_of(head)) or is_acronym(head)
                           or head in gazetteer.demonyms())


def _with_feature(short: str, long: str) -> bool:
    """"Yokota" of "Yokota Air Base": the long name is the short one and feature words."""
    short_n, long_n = normalise(short), normalise(long)
    place = gazetteer.places().get(short.strip())
    if not long_n.startswith(short_n + " ") or (place is not None and place.kind != "city"):
        return False
    rest = long_n[len(short_n):].strip()
    return rest in _FEATURE_WORDS or rest in _SHORT_FEATURES


class _Groups:
    """Union-find over indices, keeping the order in which groups first appear."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)

    def groups(self) -> list[list[int]]:
        out: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            out.setdefault(self.find(i), []).append(i)
        return list(out.values())


def group_variants(names: Sequence[tuple[str, str]]) -> list[list[int]]:
    """Indices of ``(name, kind)`` pairs grouped so that one entity is one group, in the
    order each group first appears; every index is in exactly one group.

    Beyond :func:`entity_key`: a person's name with and without middle initials or a
    generational suffix (unless two names differ in their initials); a family name
    alone with the one person of the batch it can be; an acronym with the one name of
    the batch it abbreviates (that name's kind wins: a recogniser often types acronyms
    wrongly); a name with the one longer name that only puts a country or acronym before
    it ("Security Council", "UN Security Council"); a place's name with the one longer
    name that adds a feature word ("Yokota", "Yokota Air Base").
    """
    union = _Groups(len(names))
    by_key: dict[str, int] = {}
    for index, (name, kind) in enumerate(names):
        union.join(index, by_key.setdefault(entity_key(name, kind), index))
    # People: the same name with and without initials, unless the initials disagree.
    cores: dict[str, list[tuple[int, frozenset[str]]]] = {}
    for index, (name, kind) in enumerate(names):
        if kind == "person" and len(name.split()) > 1:
            initials, core = _initials_and_core(name)
            if len(core.split()) > 1:
                cores.setdefault(core, []).append((index, initials))
    for members in cores.values():
        given = {initials for _, initials in members if initials}
        if len(given) <= 1:
            for index, _ in members[1:]:
                union.join(members[0][0], index)

    # Indexes, so that a batch of thousands of names is grouped in one pass.
    people: dict[tuple[str, ...], set[int]] = {}
    suffixes: dict[str, set[int]] = {}
    bases: dict[str, set[int]] = {}
    long_names: list[int] = []
    for index, (name, kind) in enumerate(names):
        words = tuple(w for w in normalise(without_title(name)).split()
                      if w.strip(".,") not in _SUFFIXES)
        if kind == "person" and len(words) > 1:
            for size in range(1, len(words)):
                people.setdefault(words[-size:], set()).add(index)
                people.setdefault(("^", *words[:size]), set()).add(index)
        if kind == "organization":
            for size in range(1, len(words)):
                suffixes.setdefault(" ".join(words[size:]), set()).add(index)
        if kind == "place":
            for size in range(1, len(words)):
                bases.setdefault(" ".join(words[:size]), set()).add(index)
        if kind != "person" and not is_acronym(name):
            long_names.append(index)

    def join_only(index: int, candidates: Iterable[int], test: Callable[[str], bool]) -> None:
        """Join ``index`` to the one other group among ``candidates`` that passes."""
        own = union.find(index)
        owners = {union.find(i) for i in candidates
                  if union.find(i) != own and test(names[i][0])}
        if len(owners) == 1:
            union.join(index, owners.pop())

    for index, (name, kind) in enumerate(names):
        words = tuple(normalise(without_title(name)).split())
        if kind == "person" and words and not is_acronym(name):
            found = people.get(words, set()) | people.get(("^", *words), set())
            join_only(index, found, functools.partial(is_short_form, name))
        elif is_acronym(name) and kind != "person" and not _country_of(name):
            join_only(index, long_names, functools.partial(abbreviates, name))
        elif kind == "organization":
            join_only(index, suffixes.get(" ".join(words), ()),
                      functools.partial(_qualified, name))
        elif kind == "place" and not _country_of(name):
            join_only(index, bases.get(" ".join(words), ()),
                      functools.partial(_with_feature, name))
    return union.groups()


def usual_name(forms: Mapping[str, int] | Sequence[str], kind: str) -> str:
    """The name a group of variants goes under: a country's usual name ("United
    Kingdom" for "UK", "Britain"), a gazetteer place's own ("Virginia" for "Va."), else
    the form the batch uses most (``forms`` maps each to its count) that is a name in
    full: not an acronym, a family name alone or a title; ties go to the form without
    middle initials, then to the longer."""
    counts = dict(forms) if isinstance(forms, Mapping) else dict.fromkeys(forms, 1)
    if not counts:
        raise ValueError("usual_name needs at least one form")
    if kind == "place":
        for form in counts:
            code = _country_of(form)
            if code:
                return usual_country_name(code)
        for form in counts:
            place = gazetteer.places().get(form) or gazetteer.places().get(_DOTS.sub("", form))
            if place is not None and place.kind != "city":
                return place.name
    # Shouted datelines ("FORT BELVOIR", "WASHINGTON") go under the name's ordinary
    # capitals (an acronym keeps its own).
    counts = {(t.title() if t.isupper() and (" " in t.strip() or (
        kind == "place" and t.title() in gazetteer.places())) else t): n
        for t, n in counts.items()}
    texts = list(counts)
    # The full name, not the short one the same text goes on with: "UN Security
    # Council" over "Security Council", "Yokota Air Base" over "Yokota".
    fuller = [t for t in texts if not any(
        other != t and (_qualified(t, other) or _with_feature(t, other)) for other in texts)]
    texts = fuller or texts
    if kind == "person":
        texts = [without_title(t) or t for t in texts]
        counts = {without_title(t) or t: n for t, n in counts.items()}
        longest = max(len(t.split()) for t in texts)
        full = [t for t in texts if len(t.split()) > 1 and not any(
            is_short_form(t, other) for other in texts if other != t)]
        texts = full or [t for t in texts if len(t.split()) == longest]
    whole = [t for t in texts if not is_acronym(t)] or texts
    return max(whole, key=lambda t: (counts.get(t, 0), -len(_initials_and_core(t)[0])
                                     if kind == "person" else 0, len(t), t))


def usual_country_name(code: str) -> str:
    """The name the country with ISO code ``code`` usually goes by in English."""
    import pycountry

    if code in _USUAL_COUNTRY:
        return _USUAL_COUNTRY[code]
    usual = [n for n in gazetteer._USUAL_NAMES.get(code, ()) if not is_acronym(n)]
    if usual:
        return usual[0]
    country = pycountry.countries.get(alpha_2=code)
    names = gazetteer._country_names(country) if country is not None else []
    return names[0] if names else code


#: Words an acronym skips ("Ministry of Defence" is "MOD", "United Nations" is "UN").
_ACRONYM_SKIPS = frozenset({"of", "the", "and", "for", "on", "in", "de", "du", "des", "la", "le", "&"})


def initials(name: str) -> str:
    """The acronym of a name without its small words ("Ministry of Defence" → "MD"; the
    grouping also tries every word's initial, "MOD", since usage differs)."""
    words = [w for w in re.split(r"[\s-]+", name.strip()) if w]
    return "".join(w[0] for w in words if w.casefold() not in _ACRONYM_SKIPS).upper()


def ends_with_name(longer: str, shorter: str) -> bool:
    """Whether ``shorter`` is the last words of ``longer`` ("Healey" and "John Healey" of
    "Defence Secretary John Healey"), compared as the registry compares names."""
    long_words, short_words = normalise(longer).split(), normalise(shorter).split()
    return 0 < len(short_words) < len(long_words) and long_words[-len(short_words):] == short_words


def group_entities(units: Sequence[Sequence[tuple[str, str]]]) -> list[list[int]]:
    """Units (each a stub or candidate with its ``(name, kind)`` forms) grouped so that one
    entity is one group, in the order each group first appears.

    Units meet when any of their forms share a key (:func:`group_variants`), when an
    acronym abbreviates a longer name of the same kind in exactly one other group ("UN",
    "United Nations"), and when a person's shorter name ends (or, for a family name
    written first, starts) the longer names of exactly one other group ("Healey", "John
    Healey", "Defence Secretary John Healey"): a name two people could bear stays apart.
    """
    parent = list(range(len(units)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    flat = [(unit, name, kind) for unit, forms in enumerate(units) for name, kind in forms]
    for group in group_variants([(name, kind) for _, name, kind in flat]):
        for index in group[1:]:
            union(flat[group[0]][0], flat[index][0])

    # Who could own a shorter form: people by the last words (and the first word) of
    # their longer names, others by the acronym of their longer names.
    by_suffix: dict[tuple[str, ...], set[int]] = {}
    by_acronym: dict[tuple[str, str], set[int]] = {}
    for unit, name, kind in flat:
        words = normalise(name).split()
        if kind == "person":
            for size in range(1, len(words)):
                by_suffix.setdefault(tuple(words[-size:]), set()).add(unit)
            if len(words) >= 2:
                by_suffix.setdefault(("first:", words[0]), set()).add(unit)
        elif len(words) >= 2:
            every = "".join(w[0] for w in name.split()).upper()
            for letters in {initials(name), every}:
                by_acronym.setdefault((kind, letters), set()).add(unit)

    def join_if_one(unit: int, candidates: set[int]) -> None:
        groups = {find(other) for other in candidates} - {find(unit)}
        if len(groups) == 1:
            union(unit, groups.pop())

    by_length = sorted(range(len(units)), key=lambda u: -max(
        (len(n.split()) for n, _ in units[u]), default=0))
    for unit in by_length:
        candidates: set[int] = set()
        for name, kind in units[unit]:
            if kind != "person":
                continue
            name_words = tuple(normalise(name).split())
            candidates |= by_suffix.get(name_words, set())
            if len(name_words) == 1:
                candidates |= by_suffix.get(("first:", name_words[0]), set())
        join_if_one(unit, candidates)
    for unit, forms in enumerate(units):
        candidates = set()
        for name, kind in forms:
            if kind != "person" and is_acronym(name):
                candidates |= by_acronym.get((kind, _DOTS.sub("", name.strip()).upper()), set())
        join_if_one(unit, candidates)
    groups: dict[int, list[int]] = {}
    for unit in range(len(units)):
        groups.setdefault(find(unit), []).append(unit)
    return list(groups.values())


def _letters(name: str) -> str:
    """Lower-case ASCII letters and single spaces: "Jong-un" and "Jong Un", "Zelenskyy"."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def _distance(a: str, b: str) -> int:
    """Edit distance with transpositions (optimal string alignment)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            cost = 0 if char == other else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other:
                value = min(value, previous2[j - 2] + 1)
            current.append(value)
        previous2, previous = previous, current
    return previous[-1]


def is_spelling_variant(name: str, other: str) -> bool:
    """Whether two names of one entity are spellings of the same words ("Zelenskyy" and
    "Zelensky", "Kyiv" and "Kiev", "Kim Jong-un" and "Kim Jong Un", "Brasília"), not
    another name for it: an abbreviation ("UK"), a short name ("Healey"), a longer form
    ("Lloyd J. Austin") or a different name ("Britain") is no variant."""
    if normalise(name) == normalise(other) or is_acronym(name) or is_acronym(other):
        return False
    a, b = _letters(name), _letters(other)
    if not a or not b or len(a.split()) != len(b.split()) or a[0] != b[0]:
        return False
    return a == b or _distance(a, b) <= max(2, min(len(a), len(b)) // 5)
