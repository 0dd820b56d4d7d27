"""Standard estimative language: ICD 203's likelihood terms and confidence levels.

Likelihood (how probable an event is) and confidence (how good the sourcing is) are
separate judgements; briefbook keeps them in separate fields so neither can stand in for
the other.  The terms, bands and definitions here feed the claim boxes, their hover
text, and the yardstick annex at the end of the book.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Likelihood:
    term: str
    low: int
    high: int

    @property
    def band(self) -> str:
        return f"{self.low:02d}–{self.high:02d}%"

    @property
    def slug(self) -> str:
        return self.term.replace(" ", "-")


# ICD 203, section D.6.b.(2)(a): the seven terms and their percentage bands.
LIKELIHOODS: tuple[Likelihood, ...] = (
    Likelihood("almost no chance", 1, 5),
    Likelihood("very unlikely", 5, 20),
    Likelihood("unlikely", 20, 45),
    Likelihood("roughly even chance", 45, 55),
    Likelihood("likely", 55, 80),
    Likelihood("very likely", 80, 95),
    Likelihood("almost certain", 95, 99),
)
_BY_TERM = {item.term: item for item in LIKELIHOODS}
# Synonyms ICD 203 lists for the same bands.
_SYNONYMS = {
    "remote": "almost no chance",
    "highly improbable": "very unlikely",
    "improbable": "unlikely",
    "improbably": "unlikely",
    "roughly even odds": "roughly even chance",
    "probable": "likely",
    "probably": "likely",
    "highly probable": "very likely",
    "nearly certain": "almost certain",
    "almost certainly": "almost certain",
}

CONFIDENCE: dict[str, str] = {
    "high": (
        "Judgements based on high-quality information from multiple sources, or where "
        "the nature of the issue makes a solid judgement possible. High confidence is not "
        "certainty: such judgements can still be wrong."
    ),
    "moderate": (
        "The information is credibly sourced and plausible but not of sufficient quality "
        "or corroborated sufficiently to warrant a higher level of confidence."
    ),
    "low": (
        "The information's credibility or plausibility is uncertain, it is too fragmented "
        "or poorly corroborated to make solid analytic inferences, or there are "
        "significant concerns or problems with the sources."
    ),
}


def likelihood(term: str) -> Likelihood | None:
    """The likelihood for a term or one of ICD 203's synonyms (any case), else None."""
    key = " ".join(term.lower().replace("-", " ").split())
    return _BY_TERM.get(_SYNONYMS.get(key, key))


def confidence(level: str) -> str | None:
    """The normalised confidence level ('low', 'moderate', 'high'), else None."""
    key = level.strip().lower().removesuffix(" confidence")
    return key if key in CONFIDENCE else None


def terms_list() -> str:
    return ", ".join(item.term for item in LIKELIHOODS)
