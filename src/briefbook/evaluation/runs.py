"""How good is ingest? Scores ``briefbook ingest`` against the hand-annotated corpus.

``tests/corpus`` holds real articles, each with a ``<stem>.gold.yaml`` annotation (format:
``tests/corpus/README.md``).  This module runs the ingest analysis in-process on every
annotated article (the same code path as ``briefbook ingest --dry-run --json``, but with
one :class:`~briefbook.ingest.pipeline.Context` per registry for the whole corpus, since
building it is the costly part) and compares the JSON contract it produces with the gold:

* recognition, per type: precision and recall of the names ingest finds (linked mentions
  and candidates alike), compared after :func:`normalise_name`, micro-averaged over
  articles, so that a long article weighs more than a short one;
* wrong links: a registry link on text that names someone else, or no one, is the worst
  error ingest can make (the page then says something false), so each one is listed;
* quotes: recall of the gold quotations, speaker accuracy, and misattributions (a quote
  credited to a named speaker who did not say it; again a false statement on the page);
* metadata: title, date and publisher accuracy.

Every article runs twice: with an empty registry (what a new user gets: candidates only)
and with the sample book's registry (``conf/entities``), the headline.  Then the command
ingests the whole corpus as one batch into a new book with ``--add-candidates`` and judges
the stubs it writes (:mod:`.stubs`: junk, fragments, wrong kinds, duplicates,
stubs outside the registry folder, rejected stubs back after a re-run).  The command line
(``python -m briefbook.evaluation``, ``make eval``) prints one table against the
project's :data:`TARGETS`, and ``--verbose`` lists every miss, false positive, wrong link
and misattribution by article, which is what a developer improving ingest works from.
A bad gold file is reported with its path and YAML line and skipped, never a traceback,
because annotators edit these files by hand.

The pieces: gold files are read by :mod:`.gold`, names compared by :mod:`.names`, one
article scored by :mod:`.scoring`, the table printed by :mod:`.report`, and the command
line is :mod:`.command`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefbook.entities.registry import Registry
from briefbook.evaluation.gold import TYPES, GoldArticle, GoldError, load_corpus
from briefbook.evaluation.scoring import ArticleScore, Ratio, score_article
from briefbook.evaluation.stubs import StubScore, evaluate_stubs
from briefbook.ingest import pipeline
from briefbook.ingest.model import IngestError
from briefbook.ingest.reader import read_article

DEFAULT_CORPUS = "tests/corpus"
#: What ``make eval`` scores, each folder in its own table: the corpus ingest was tuned
#: on, then publishers and layouts it never saw (issue 20), and saved web pages.
DEFAULT_FOLDERS: tuple[str, ...] = (DEFAULT_CORPUS, "tests/corpus-wider/i",
                                    "tests/corpus-wider/m", "tests/corpus-web")
DEFAULT_REGISTRY = "conf/entities"

#: The project's targets.  Rates are minima; the two counts (``misattributions``,
#: ``wrong_links``) are maxima, because each one puts a false statement on a page.
TARGETS: dict[str, float] = {
    "person_recall": 0.9,
    "person_precision": 0.85,
    "place_recall": 0.9,
    "organization_recall": 0.8,
    "quote_recall": 0.9,
    "speaker_accuracy": 0.85,
    "misattributions": 0,
    "wrong_links": 0,
    "title_accuracy": 0.9,
}
#: Metrics that count errors: lower is better and a target is a maximum.
COUNT_METRICS: frozenset[str] = frozenset({"misattributions", "wrong_links"})

#: The rows of the report, in order, with their labels.
METRICS: tuple[tuple[str, str], ...] = (
    ("person_precision", "people: precision"),
    ("person_recall", "people: recall"),
    ("place_precision", "places: precision"),
    ("place_recall", "places: recall"),
    ("organization_precision", "organisations: precision"),
    ("organization_recall", "organisations: recall"),
    ("quote_recall", "quote recall"),
    ("speaker_accuracy", "speaker accuracy"),
    ("misattributions", "misattributions"),
    ("wrong_links", "wrong links"),
    ("title_accuracy", "titles right"),
    ("date_accuracy", "dates right"),
    ("publisher_accuracy", "publishers right"),
    ("author_accuracy", "authors right"),
    ("first_paragraph_accuracy", "first paragraph right"),
    ("last_paragraph_accuracy", "last paragraph right"),
    ("boilerplate_clean", "no paragraph outside the article"),
)
#: The page fields of :class:`ArticleScore` behind the rows above (web pages only).
_PAGE_FIELDS: tuple[tuple[str, str], ...] = (
    ("author_accuracy", "authors"), ("first_paragraph_accuracy", "first_paragraph"),
    ("last_paragraph_accuracy", "last_paragraph"))


@dataclass
class RunScore:
    """One registry's run over the corpus: the micro-averaged metrics and the articles."""

    label: str
    articles: list[ArticleScore] = field(default_factory=list)

    def metrics(self) -> dict[str, float | int | None]:
        """Every metric of :data:`METRICS`; rates are None when nothing was there to count."""
        out: dict[str, float | int | None] = {name: r.value for name, r in self.ratios().items()}
        out["misattributions"] = sum(len(a.misattributions) for a in self.articles)
        out["wrong_links"] = sum(len(a.wrong_links) for a in self.articles)
        return out

    def ratios(self) -> dict[str, Ratio]:
        """The counts behind every rate, for the report."""
        out: dict[str, Ratio] = {}
        for kind in TYPES:
            out[f"{kind}_precision"], out[f"{kind}_recall"] = Ratio(), Ratio()
            for article in self.articles:
                out[f"{kind}_precision"].add(article.precision[kind])
                out[f"{kind}_recall"].add(article.recall[kind])
        out["quote_recall"], out["speaker_accuracy"] = Ratio(), Ratio()
        for article in self.articles:
            out["quote_recall"].add(article.quotes)
            out["speaker_accuracy"].add(article.speakers)
        n = len(self.articles)
        out["title_accuracy"] = Ratio(sum(a.title[0] for a in self.articles), n)
        out["date_accuracy"] = Ratio(sum(a.date[0] for a in self.articles), n)
        out["publisher_accuracy"] = Ratio(sum(a.publisher[0] for a in self.articles), n)
        # Page fields count only the articles whose gold annotates them.
        for metric, name in _PAGE_FIELDS:
            values = [getattr(a, name) for a in self.articles if getattr(a, name) is not None]
            out[metric] = Ratio(sum(v[0] for v in values), len(values))
        furniture = [a.boilerplate for a in self.articles if a.boilerplate is not None]
        out["boilerplate_clean"] = Ratio(sum(not kept for kept in furniture), len(furniture))
        return out

    @property
    def full(self) -> bool:
        """Whether any article was scored for entities and quotes (not metadata only)."""
        return any(a.full for a in self.articles)

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "metrics": self.metrics(),
                "articles": [a.to_json() for a in self.articles]}


class EvaluationError(Exception):
    """The evaluation cannot run at all (ingest cannot be set up)."""


@dataclass
class Evaluation:
    """The whole evaluation: runs (headline first), gold problems and warnings."""

    folder: str
    backend: str
    runs: list[RunScore] = field(default_factory=list)
    problems: list[GoldError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    articles: int = 0
    #: The stubs of the corpus ingested as one batch into a new book (when asked for).
    stubs: StubScore | None = None

    @property
    def headline(self) -> RunScore:
        return self.runs[0]

    def to_json(self) -> dict[str, Any]:
        return {"folder": self.folder, "backend": self.backend, "articles": self.articles,
                "targets": TARGETS, "runs": [r.to_json() for r in self.runs],
                "stubs": self.stubs.to_json() if self.stubs else None,
                "problems": [str(p) for p in self.problems], "warnings": self.warnings}


def run_article(gold: GoldArticle, context: pipeline.Context) -> dict[str, Any]:
    """The ingest JSON of one article, exactly as ``briefbook ingest --dry-run --json``."""
    analysis = pipeline.analyse(read_article(gold.article_path), context)
    return analysis.to_json()


def score_run(golds: Sequence[GoldArticle], registry: Registry, label: str,
              backend: str = "auto") -> RunScore:
    """Analyse and score every article with one registry (one Context for all of them)."""
    try:
        context = pipeline.Context(registry, backend=backend)
    except Exception as exc:  # e.g. --recogniser spacy without a model: say so, no traceback
        raise EvaluationError(f"cannot set up ingest (recogniser {backend!r}): "
                              f"{type(exc).__name__}: {exc}") from exc
    run = RunScore(label)
    for gold in golds:
        try:
            system: dict[str, Any] | None = run_article(gold, context)
            failure = None
        except IngestError as exc:
            system, failure = None, f"refused: {exc}"
        except Exception as exc:  # one broken article must not hide the others' scores
            system, failure = None, f"{type(exc).__name__}: {exc}"
        run.articles.append(score_article(gold, system, registry, failure))
    return run


def evaluate(folder: str | Path = DEFAULT_CORPUS, registry: Registry | None = None,
             registry_label: str = DEFAULT_REGISTRY, backend: str = "auto",
             stubs: bool = False) -> Evaluation:
    """Score every annotated article in ``folder`` with ``registry`` (headline) and with
    an empty registry; gold files that fail to load are reported, not scored. With
    ``stubs``, also ingest the articles as one batch into a new book and judge the stubs
    (:mod:`.stub_evaluation`)."""
    golds, problems = load_corpus(folder)
    result = Evaluation(str(folder), backend, problems=problems, articles=len(golds))
    for gold in golds:
        result.warnings.extend(gold.warnings)
    # Pages annotated for their metadata only: links and stubs have nothing to be judged
    # against, so one run is enough and no batch is ingested.
    metadata_only = bool(golds) and all(g.metadata_only for g in golds)
    if registry is not None:
        result.runs.append(score_run(golds, registry, registry_label, backend))
    if not metadata_only or not result.runs:
        result.runs.append(score_run(golds, Registry({}), "no registry", backend))
    if stubs and golds and not metadata_only:
        result.stubs = evaluate_stubs(folder, golds, backend)
    return result
