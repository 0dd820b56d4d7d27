"""Entity linking: boundaries, case, longest match, variants, short forms, Unicode."""

from __future__ import annotations

from briefbook.entities.registry import Alias, Entity
from briefbook.ingest.linker import Linker, family_name, fold

ENTITIES = [
    Entity("place", "korea", "Korea"),
    Entity("place", "south-korea", "South Korea"),
    Entity("place", "united-states", "United States", (Alias("US"),)),
    Entity("place", "china", "China"),
    Entity("person", "lloyd-austin", "Lloyd Austin"),
    Entity("person", "lee-seong-kweun", "Lee Seong-kweun",
           (Alias("Lee Seong-Kweun", variant=True),)),
    Entity("person", "kim-tae-hyo", "Kim Tae-hyo", (Alias("Kim Tae-Yayo", variant=True),)),
    Entity("person", "kim-jong-un", "Kim Jong Un"),
    Entity("place", "sao-paulo", "São Paulo"),
    Entity("organization", "bbc", "BBC"),
]
LINKER = Linker(ENTITIES)


def ids(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.id) for m in LINKER.link([text])]


def test_never_inside_another_word() -> None:
    assert ids("South Korean troops and Koreans") == []
    assert ids("Chinatown") == []


def test_longest_match_wins() -> None:
    assert ids("South Korea and Korea") == [("South Korea", "south-korea"), ("Korea", "korea")]


def test_case_aware() -> None:
    assert ids("fine china, and us") == []
    assert ids("China and the US") == [("China", "china"), ("US", "united-states")]
    assert ids("SOUTH KOREA") == [("SOUTH KOREA", "south-korea")]
    assert ids("the bbc") == []


def test_variants_and_case_variants() -> None:
    assert ids("Kim Tae-Yayo met Lee Seong-Kweun") == [
        ("Kim Tae-Yayo", "kim-tae-hyo"), ("Lee Seong-Kweun", "lee-seong-kweun")]


def test_short_forms_only_after_the_full_name() -> None:
    assert ids("Austin spoke.") == []
    found = LINKER.link(["Lloyd Austin spoke.", "Later Austin left; Austin, Texas, too."])
    assert [(m.text, m.id, m.short_form) for m in found][1] == ("Austin", "lloyd-austin", True)
    assert ids("Lee Seong-kweun said so, Lee added.")[-1] == ("Lee", "lee-seong-kweun")


def test_short_form_goes_to_the_most_recent_namesake() -> None:
    found = LINKER.link(["Kim Tae-hyo met Kim Jong Un.", "Kim smiled."])
    assert found[-1].id == "kim-jong-un"


def test_family_names() -> None:
    assert family_name(ENTITIES[4]) == "Austin"
    assert family_name(ENTITIES[5]) == "Lee"


def test_unicode_offsets() -> None:
    text = "İstanbul ẞ then São Paulo 🙂 and China"
    assert len(fold(text)) == len(text)
    found = LINKER.link([text])
    assert [(text[m.start:m.end], m.id) for m in found] == [
        ("São Paulo", "sao-paulo"), ("China", "china")]


def test_a_currency_is_not_its_country() -> None:
    # "US$" prices a seizure; it does not name the United States.
    assert ids("Goods worth US$12 million were found; the US said nothing.") == [
        ("US", "united-states")]
