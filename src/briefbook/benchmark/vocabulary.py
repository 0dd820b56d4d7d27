"""The words a synthetic benchmark article is made of, in one place.

The synthetic entities (:mod:`briefbook.benchmark.model`) and the articles that name
them (:mod:`briefbook.benchmark.writer`) draw from the same lists, so the lists live
apart from both: changing a list changes every generated book, which is worth seeing
in a diff of this file alone.
"""

from __future__ import annotations

# --- word lists ---------------------------------------------------------------------------
# Plain reporting prose.  No estimative words ("likely", "probably", "certain",
# "confidence", "chance") so running text never reads as an unsourced judgement.

ADJECTIVES = (
    "new", "regional", "northern", "southern", "eastern", "western", "military", "civilian",
    "economic", "diplomatic", "senior", "former", "joint", "local", "national", "foreign",
    "coastal", "rural", "official", "public", "private", "armed", "naval", "border", "annual",
    "temporary", "renewed", "limited", "broad", "quiet", "sudden", "formal", "recent", "early",
    "late", "second", "final", "informal", "modest", "large",
)
NOUNS = (
    "talks", "delegation", "ministry", "convoy", "report", "agreement", "ceasefire", "budget",
    "pipeline", "harbour", "railway", "election", "summit", "protest", "exercise", "shipment",
    "statement", "inquiry", "sanctions", "grain", "fuel", "bridge", "airfield", "garrison",
    "committee", "mission", "treaty", "council", "embassy", "frontier", "corridor", "market",
    "currency", "port", "cabinet", "parliament", "negotiators", "observers", "officials",
    "engineers", "analysts", "farmers", "workers", "refugees", "volunteers", "monitors",
    "supplies", "reserves", "loans", "exports", "imports", "tariffs", "drills", "patrols",
)
VERBS = (
    "announced", "delayed", "reviewed", "expanded", "suspended", "approved", "rejected",
    "inspected", "financed", "blocked", "resumed", "questioned", "reported", "defended",
    "moved", "rebuilt", "signed", "welcomed", "criticised", "extended", "reduced", "planned",
    "postponed", "confirmed", "described", "opened", "closed", "secured", "shipped", "drafted",
)
PREPOSITIONS = (
    "in", "near", "after", "before", "across", "with", "against", "during", "over",
    "beyond", "around", "towards",
)
DETERMINERS = ("the", "a", "its", "their", "this", "that", "another")
CONNECTIVES = (
    "Meanwhile,", "By contrast,", "In the same week,", "According to the report,",
    "At the same time,", "Later,", "Even so,", "In response,", "For now,", "Since then,",
)

# --- who writes, who is cited, how sure a judgement is -------------------------------------

AUTHORS = (
    "Alex Morgan", "Priya Raman", "Tomasz Nowak", "Hye-jin Park", "Samuel Okafor",
    "Laura Becker", "Mateo Silva", "Ingrid Holm", "Yusuf Demir", "Claire Dubois",
    "Kenji Sato", "Nadia Petrova", "Owen Hughes", "Lucia Romano", "Arjun Mehta",
)
OUTLETS = (
    "Harbour Gazette", "Continental Wire", "Frontier Monitor", "Evening Dispatch",
    "Policy Review Quarterly", "Northern Broadcasting", "Strategic Survey Institute",
    "Daily Ledger", "Eastern Tribune", "Open Source Observatory",
)
LIKELIHOODS = (
    "almost no chance", "very unlikely", "unlikely", "roughly even chance", "likely",
    "very likely", "almost certain",
)
CONFIDENCE = ("low", "moderate", "high")
