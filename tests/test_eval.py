"""The ingest evaluation: the scorer on hand-made cases, and the real corpus's floors.

The scorer tests feed hand-made ingest results (``tests/roots/test-eval/*.system.json``)
so that each kind of error is asserted exactly, whatever ingest does today; the corpus
test runs ingest for real and holds the numbers at :data:`FLOORS`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefbook.entities.registry import Registry
from briefbook.entities.registry_files import load_registry
from briefbook.evaluation.command import main
from briefbook.evaluation.gold import GoldArticle, GoldError, load_corpus, load_gold, verbatim_problems
from briefbook.evaluation.names import names_someone, normalise_name, title_key
from briefbook.evaluation.report import meets
from briefbook.evaluation.runs import COUNT_METRICS, Evaluation, RunScore, evaluate
from briefbook.evaluation.scoring import score_article
from briefbook.evaluation.stubs import STUB_TARGETS, StubCase, gold_groups, judge, stub_meets

#: What the corpus must keep achieving (headline run, registry conf/entities).  Rates
#: are minima; the counts (misattributions, wrong_links) are maxima.  For now these are
#: the project's targets; the lead sets them to what ingest achieves once the corpus is
#: complete, and raises them as ingest improves.
#: What ingest achieves on tests/corpus today (``make eval``), held so that no change
#: lowers it; the targets the project aims at are ``evaluation.TARGETS``.  Raise a floor
#: when ingest improves; never lower one to make a change pass.
FLOORS: dict[str, float] = {
    "person_recall": 0.91,
    "person_precision": 0.87,
    "place_recall": 0.91,
    "organization_recall": 0.82,
    "quote_recall": 0.97,
    "speaker_accuracy": 0.88,
    "misattributions": 0,
    "wrong_links": 0,
    "title_accuracy": 0.96,
}
MIN_ARTICLES = 20
#: What the corpus ingested as one batch into a new book achieves (``make eval``'s stub
#: table), held the same way; all are maxima. Lower one when ingest improves.
STUB_FLOORS: dict[str, float] = {
    "stub_junk_share": 0.07,
    "duplicate_stubs": 0,
    "stubs_outside": 0,
    "rejected_returned": 0,
    "rerun_stubs": 0,
}

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "roots" / "test-eval"
CORPUS = TESTS / "corpus"
SAMPLE_REGISTRY = REPO / "conf" / "entities"


@pytest.fixture(scope="module")
def fixture_registry() -> Registry:
    return load_registry(FIXTURES / "entities")


def scored(stem: str, registry: Registry) -> tuple[GoldArticle, dict[str, object]]:
    gold = load_gold(FIXTURES / f"{stem}.gold.yaml")
    system = json.loads((FIXTURES / f"{stem}.system.json").read_text(encoding="utf-8"))
    return gold, score_article(gold, system, registry).to_json()


# --- normalisation ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "key"), [
    ("MR. KIRBY", "kirby"),
    ("Secretary Austin", "austin"),
    ("Austin’s", "austin"),
    ("Austin's", "austin"),
    ("Air Force Staff Sgt. Jane  Doe", "jane doe"),
    ("Army Gen. Mark A. Milley", "mark a. milley"),
    ("Secretary of Defense Lloyd J. Austin III", "lloyd j. austin iii"),
    ("Defense Minister Shin Won-sik", "shin won-sik"),
    ("President", "president"),            # a title alone is kept: nothing would be left
    ("Air Force", "air force"),            # a qualifier without a title is a name
    ("U.S. Army", "u.s. army"),
    ("the Pentagon", "pentagon"),
    ("Secretary of the fleet", "secretary of the fleet"),  # no capital after: not a title
])
def test_normalise_name(name: str, key: str) -> None:
    assert normalise_name(name) == key


@pytest.mark.parametrize(("text", "named"), [
    ("Kirby", True), ("MR. KIRBY", True), ("The Pentagon", True), ("Lee", True),
    ("He", False), ("they", False), ("officials", False), ("Officials", False),
    ("U.S. officials", False), ("A senior administration official", False),
    ("South Korean intelligence services", False), (None, False), ("", False),
    ("Capt", False), ("Prime Minister", False),
])
def test_names_someone(text: str | None, named: bool) -> None:
    assert names_someone(text) is named


def test_titles_compare_without_case_quotes_dashes_and_spacing() -> None:
    assert title_key("Austin’s “Ironclad” Pledge — Seoul") == title_key(
        'austin\'s "ironclad"  pledge - Seoul')
    assert title_key("Austin and Shin reaffirm alliance") != title_key(
        "Austin, Shin Reaffirm U.S.-South Korea Alliance")


# --- the scorer on hand-made cases --------------------------------------------------------


def test_precision_miss(fixture_registry: Registry) -> None:
    _, score = scored("alliance", fixture_registry)
    assert score["precision"]["person"] == [3, 4]
    assert {"type": "person", "name": "Defense Analyses (candidate)",
            "why": "not in the gold"} in score["false_positives"]
    # The link on "Korea" inside a longer name is also a place no gold entity has there.
    assert score["precision"]["place"] == [2, 3]


def test_recall_miss(fixture_registry: Registry) -> None:
    _, score = scored("alliance", fixture_registry)
    assert score["recall"]["organization"] == [1, 2]
    assert [m["name"] for m in score["misses"]] == ["Korea Institute for Defense Analyses"]
    assert score["recall"]["person"] == [2, 2]   # "Shin" as a candidate, Austin linked
    _, briefing = scored("briefing", fixture_registry)
    assert briefing["recall"]["place"] == [0, 1]


def test_wrong_link_inside_a_longer_name(fixture_registry: Registry) -> None:
    _, score = scored("alliance", fixture_registry)
    assert len(score["wrong_links"]) == 1
    wrong = score["wrong_links"][0]
    assert (wrong["text"], wrong["id"], wrong["paragraph"]) == ("Korea", "south-korea", 2)
    assert wrong["why"].startswith("inside 'Korea Institute for Defense Analyses'")


def test_right_links_with_titles_labels_and_short_forms(fixture_registry: Registry) -> None:
    """"MR. RYDER", "Secretary Austin" and "Austin" are right; a link on a word no gold
    entity covers ("General") is wrong."""
    _, score = scored("briefing", fixture_registry)
    assert [(w["text"], w["why"]) for w in score["wrong_links"]] == [
        ("General", "no gold entity is named here")]


def test_wrong_link_of_another_entity_and_of_another_type(fixture_registry: Registry) -> None:
    gold = load_gold(FIXTURES / "alliance.gold.yaml")
    system = json.loads((FIXTURES / "alliance.system.json").read_text(encoding="utf-8"))
    paragraph = system["paragraphs"][1]
    start = paragraph.index("Austin")
    system["mentions"] = [
        {"text": "Austin", "id": "pat-ryder", "type": "person", "paragraph": 1,
         "start": start, "end": start + 6},
        {"text": "Austin", "id": "lloyd-austin", "type": "place", "paragraph": 1,
         "start": start, "end": start + 6},
    ]
    reasons = [w["why"] for w in score_article(gold, system, fixture_registry).wrong_links]
    assert reasons == ["the text names 'Lloyd J. Austin III'",
                       "typed place, but 'Lloyd J. Austin III' is a person"]


def test_misattribution(fixture_registry: Registry) -> None:
    _, score = scored("alliance", fixture_registry)
    assert score["quotes"] == [3, 3]
    assert score["speakers"] == [1, 2]
    assert score["misattributions"] == [{
        "text": "This is a turning point for deterrence", "system": "lloyd-austin / Austin",
        "gold": "Shin Won-sik"}]


def test_unnamed_source_is_no_misattribution_but_a_named_one_is(fixture_registry: Registry) -> None:
    """"Officials" for a quote the gold leaves unattributed is fine; a name is not."""
    gold = load_gold(FIXTURES / "alliance.gold.yaml")
    system = json.loads((FIXTURES / "alliance.system.json").read_text(encoding="utf-8"))
    assert not any("new ways" in m["text"]
                   for m in score_article(gold, system, fixture_registry).misattributions)
    system["quotes"][2]["speaker"] = {"id": None, "text": "Shin"}
    wrong = score_article(gold, system, fixture_registry).misattributions
    assert [m["text"] for m in wrong][-1] == "new ways to deter aggression from the North"


def test_speaker_named_inside_a_description(fixture_registry: Registry) -> None:
    gold = load_gold(FIXTURES / "alliance.gold.yaml")
    system = json.loads((FIXTURES / "alliance.system.json").read_text(encoding="utf-8"))
    system["quotes"][1]["speaker"] = {"id": None, "text": "South Korean Defense Minister Shin Won-sik"}
    score = score_article(gold, system, fixture_registry)
    assert (score.speakers.hits, score.misattributions) == (2, [])


def test_quote_miss(fixture_registry: Registry) -> None:
    _, score = scored("briefing", fixture_registry)
    assert score["quotes"] == [1, 2]
    assert score["missed_quotes"] == [
        {"text": "Thank you, General. What did the ministers decide?", "speaker": None}]
    assert score["speakers"] == [1, 1]   # "MR. RYDER" is Pat Ryder


def test_title_mismatch_and_match(fixture_registry: Registry) -> None:
    _, alliance = scored("alliance", fixture_registry)
    assert alliance["title"]["ok"] is False
    assert alliance["date"]["ok"] is True
    assert alliance["publisher"]["ok"] is True
    _, briefing = scored("briefing", fixture_registry)
    assert briefing["title"]["ok"] is True   # differs only in its dash


def test_headline_missing_from_the_text_must_be_marked_supplied(
        fixture_registry: Registry, tmp_path: Path) -> None:
    # A saved text without its headline (it was in the page's URL or <title>): ingest
    # cannot know it, and is right only when it marks the title it made up for review.
    gold = load_gold(FIXTURES / "alliance.gold.yaml")
    headless = tmp_path / "alliance.txt"
    text = (FIXTURES / "alliance.txt").read_text(encoding="utf-8")
    headless.write_text(text.split("\n", 1)[1], encoding="utf-8")
    gold.article_path = headless
    system = json.loads((FIXTURES / "alliance.system.json").read_text(encoding="utf-8"))
    system["meta"]["title_supplied"] = False
    assert score_article(gold, system, fixture_registry).title[0] is False
    system["meta"]["title_supplied"] = True
    assert score_article(gold, system, fixture_registry).title[0] is True


def test_publisher_falls_back_to_the_author(fixture_registry: Registry) -> None:
    gold = load_gold(FIXTURES / "alliance.gold.yaml")
    system = json.loads((FIXTURES / "alliance.system.json").read_text(encoding="utf-8"))
    del system["meta"]["publisher"]
    assert score_article(gold, system, fixture_registry).publisher == (
        False, "Example Wire", "Jane Reporter")
    system["meta"]["author"] = "EXAMPLE WIRE"
    assert score_article(gold, system, fixture_registry).publisher[0] is True


def test_a_refused_article_scores_every_gold_item_as_missed(fixture_registry: Registry) -> None:
    gold = load_gold(FIXTURES / "alliance.gold.yaml")
    score = score_article(gold, None, fixture_registry, failure="ingest refused it")
    assert score.recall["person"].hits == 0 and score.recall["person"].total == 2
    assert score.quotes.hits == 0 and score.quotes.total == 3
    assert score.title[0] is False


def test_micro_average_over_articles(fixture_registry: Registry) -> None:
    run = RunScore("fixtures")
    for stem in ("alliance", "briefing"):
        gold = load_gold(FIXTURES / f"{stem}.gold.yaml")
        system = json.loads((FIXTURES / f"{stem}.system.json").read_text(encoding="utf-8"))
        run.articles.append(score_article(gold, system, fixture_registry))
    metrics = run.metrics()
    assert metrics["person_precision"] == pytest.approx(5 / 7)
    assert metrics["place_recall"] == pytest.approx(2 / 3)
    assert metrics["quote_recall"] == pytest.approx(4 / 5)
    assert metrics["speaker_accuracy"] == pytest.approx(2 / 3)
    assert metrics["wrong_links"] == 2
    assert metrics["misattributions"] == 1
    assert metrics["title_accuracy"] == pytest.approx(1 / 2)
    assert meets("wrong_links", 0, 0) and not meets("wrong_links", 2, 0)
    assert meets("quote_recall", 0.9, 0.9) and not meets("quote_recall", 0.8, 0.9)


# --- gold files ---------------------------------------------------------------------------


def test_fixture_golds_are_verbatim() -> None:
    golds, problems = load_corpus(FIXTURES)
    assert not problems
    assert [g.stem for g in golds] == ["alliance", "briefing"]
    assert all(not verbatim_problems(g) for g in golds)


GOOD = """\
source: {url: https://example.org/a, licence: CC0, retrieved: 2026-11-30}
title: A title
date: 2024-01-31
publisher: Example
author: null
entities:
  - name: Lloyd Austin
    type: person
    forms: [Austin]
quotes:
  - text: We will
    speaker: Lloyd Austin
"""


@pytest.mark.parametrize(("text", "message", "line"), [
    ("title: [unclosed\n", "invalid YAML", 2),
    (GOOD.replace("type: person", "type: human"), "'type' must be one of", 8),
    (GOOD.replace("speaker: Lloyd Austin", "speaker: Austin"),
     "speaker 'Austin' is not the name of an entity in 'entities' (did you mean 'Lloyd Austin'?)", 12),
    (GOOD.replace("forms: [Austin]", "forms: []"), "'forms' must be a non-empty list", 9),
    (GOOD.replace("date: 2024-01-31", "date: 31 January"), "'date' must be YYYY-MM-DD", 3),
    (GOOD.replace("title: A title\n", ""), "has no 'title'", 1),
    (GOOD.replace("publisher: Example", "publisher: Example\ntitle: Again"), "duplicate key 'title'", 5),
    (GOOD + "  - text: Again\n    speaker: null\n  - text: Again\n    speeker: null\n", None, None),
])
def test_bad_gold_files_name_file_and_line(tmp_path: Path, text: str, message: str | None,
                                           line: int | None) -> None:
    (tmp_path / "a.txt").write_text("A title\n\nAustin said: “We will.”\n", encoding="utf-8")
    path = tmp_path / "a.gold.yaml"
    path.write_text(text, encoding="utf-8")
    if message is None:   # an unknown key is a warning with its line, not an error
        gold = load_gold(path)
        assert gold.warnings == [f"{path}:16: unknown key 'speeker' in quote 3 (ignored)"]
        return
    with pytest.raises(GoldError) as info:
        load_gold(path)
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert message in str(info.value)


def test_gold_without_article(tmp_path: Path) -> None:
    path = tmp_path / "lonely.gold.yaml"
    path.write_text(GOOD, encoding="utf-8")
    with pytest.raises(GoldError, match=r"no article next to it \(expected lonely.txt or lonely.html\)"):
        load_gold(path)


def test_command_reports_a_bad_gold_file_without_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("alliance.txt", "alliance.gold.yaml"):
        (tmp_path / name).write_bytes((FIXTURES / name).read_bytes())
    (tmp_path / "broken.txt").write_text("Title\n\nText.\n", encoding="utf-8")
    (tmp_path / "broken.gold.yaml").write_text("title: x\nentities: [\n", encoding="utf-8")
    code = main([str(tmp_path), "--registry", str(FIXTURES / "entities"), "--recogniser", "rules"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "broken.gold.yaml:" in out and "invalid YAML" in out
    assert "Traceback" not in out + err
    assert "quote recall" in out   # the good article is still scored


def test_command_table_verbose_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_json = tmp_path / "eval.json"
    code = main([str(FIXTURES), "--registry", str(FIXTURES / "entities"), "--recogniser", "rules",
                 "--json", str(out_json), "--verbose"])
    out, _ = capsys.readouterr()
    assert code == 0
    for label in ("people: recall", "places: recall", "organisations: recall", "quote recall",
                  "speaker accuracy", "misattributions", "wrong links", "titles right",
                  "Errors by article", "alliance"):
        assert label in out
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert [run["label"] for run in data["runs"]] == [str(FIXTURES / "entities"), "no registry"]
    # The articles as one batch into a new book: the stub table and its numbers.
    assert "stubs outside conf/entities" in out and "duplicate stubs" in out
    assert data["stubs"]["metrics"]["stubs_outside"] == 0
    assert data["stubs"]["metrics"]["stubs"] == len(data["stubs"]["stubs"]) > 0
    assert data["runs"][1]["metrics"]["wrong_links"] == 0   # nothing to link without a registry
    assert data["articles"] == 2


def test_command_refuses_a_missing_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["/nonexistent/corpus"]) == 2
    assert "no folder" in capsys.readouterr().err


# --- the real corpus ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus() -> Evaluation:
    """Both runs of every article and the batch into a new book, once for the module."""
    return evaluate(CORPUS, load_registry(SAMPLE_REGISTRY), "conf/entities", backend="auto",
                    stubs=True)


def test_corpus_is_complete_and_well_formed() -> None:
    golds, problems = load_corpus(CORPUS)
    assert not problems, "\n".join(str(p) for p in problems)
    assert len(golds) >= MIN_ARTICLES, f"only {len(golds)} annotated articles"
    missing = [f"{g.gold_path.name}: {field}" for g in golds
               for field in ("url", "licence", "retrieved") if not getattr(g, field)]
    assert not missing
    not_verbatim = [p for g in golds for p in verbatim_problems(g)]
    assert not not_verbatim, "\n".join(not_verbatim)


def test_corpus_holds_the_floors(corpus: Evaluation) -> None:
    failures = [f"{a.stem}: {a.failure}" for run in corpus.runs for a in run.articles if a.failure]
    assert not failures, "ingest failed on corpus articles:\n" + "\n".join(failures)
    metrics = corpus.headline.metrics()
    failed = {
        metric: metrics[metric] for metric, floor in FLOORS.items()
        if not meets(metric, metrics[metric], floor)
    }
    assert not failed, (
        f"below the floors {FLOORS} (counts are maxima: {sorted(COUNT_METRICS)}): {failed}; "
        "run `make eval` (python -m briefbook.evaluation tests/corpus --verbose) "
        "for the cases")


def test_rules_alone_are_as_careful() -> None:
    # A machine without the statistical model falls back to the rules: they may find
    # less, but a wrong link or a wrong speaker is never the price.
    evaluation = evaluate(CORPUS, load_registry(SAMPLE_REGISTRY), "conf/entities",
                          backend="rules")
    metrics = evaluation.headline.metrics()
    assert metrics["misattributions"] == 0, evaluation.headline.articles
    assert metrics["wrong_links"] == 0


def test_corpus_batch_holds_the_stub_floors(corpus: Evaluation) -> None:
    """The corpus as one batch into a new book: stubs in conf/entities, no duplicates,
    little junk, and nothing rejected comes back (:mod:`briefbook.evaluation.stubs`)."""
    assert corpus.stubs is not None
    assert not corpus.stubs.failures, corpus.stubs.failures
    metrics = corpus.stubs.metrics()
    assert metrics["stubs"] and metrics["rejected"], metrics   # something to judge
    failed = {metric: metrics[metric] for metric, floor in STUB_FLOORS.items()
              if not stub_meets(metric, metrics[metric], floor)}
    assert not failed, (
        f"above the stub floors {STUB_FLOORS}: {failed}; run `make eval` "
        "(python -m briefbook.evaluation tests/corpus --verbose) for the stubs")
    assert set(STUB_TARGETS) <= set(STUB_FLOORS)


def test_stub_verdicts_and_duplicates() -> None:
    """Each stub against the batch's gold entities: a form of one of its type is right,
    of another type the wrong kind, a proper part of a longer form a fragment, else junk;
    two stubs of one entity (merged across articles) are a duplicate."""
    golds, _ = load_corpus(FIXTURES)
    cases = [
        StubCase("lloyd-austin", "Lloyd Austin", "person", ["Lloyd J. Austin III"], "p"),
        StubCase("austin", "Austin", "person", [], "p"),            # the same person again
        StubCase("seoul", "Seoul", "place", [], "p"),
        StubCase("shin", "Shin", "place", [], "p"),
        StubCase("korea-institute", "Korea Institute", "organization", [], "p"),
        StubCase("patriot", "Patriot", "person", [], "p"),
        StubCase("ramstein", "Ramstein", "place", [], "p"),
    ]
    duplicates = judge(cases, gold_groups(golds))
    assert [(c.name, c.verdict) for c in cases] == [
        ("Lloyd Austin", "right"), ("Austin", "right"), ("Seoul", "right"),
        ("Shin", "wrong kind"), ("Korea Institute", "fragment"), ("Patriot", "junk"),
        ("Ramstein", "right")]
    # "Lloyd J. Austin III" of one article and "Austin" of the other are one person.
    assert duplicates == [{"entity": "Lloyd J. Austin III", "type": "person",
                           "stubs": ["Lloyd Austin", "Austin"]}]


# --- web pages and the wider corpus (issue 20) ----------------------------------------------

WIDER = {"corpus-wider/i": TESTS / "corpus-wider" / "i", "corpus-wider/m": TESTS / "corpus-wider" / "m"}
WEB = TESTS / "corpus-web"
#: What ingest achieves on the folders it was never tuned on, measured with this change
#: (headline run, no stubs). Held like :data:`FLOORS`: raise, never lower.
WIDER_FLOORS: dict[str, dict[str, float]] = {
    "corpus-wider/i": {"person_precision": 0.90, "person_recall": 0.95, "place_recall": 0.93,
                       "organization_recall": 0.81, "quote_recall": 0.93,
                       "speaker_accuracy": 1.0, "misattributions": 0, "wrong_links": 0,
                       "title_accuracy": 0.94, "date_accuracy": 1.0,
                       "publisher_accuracy": 0.50},
    "corpus-wider/m": {"person_precision": 0.83, "person_recall": 0.88, "place_recall": 0.85,
                       "organization_recall": 0.72, "quote_recall": 1.0,
                       "speaker_accuracy": 0.84, "misattributions": 0, "wrong_links": 0,
                       "title_accuracy": 0.77, "date_accuracy": 0.88,
                       "publisher_accuracy": 0.50},
}
WEB_FLOORS: dict[str, float] = {
    "title_accuracy": 1.0,
    "date_accuracy": 0.95,
    "publisher_accuracy": 0.82,
    "author_accuracy": 0.95,
    "first_paragraph_accuracy": 1.0,
    "last_paragraph_accuracy": 0.91,
    "boilerplate_clean": 0.86,
}


def test_page_fields_are_scored(tmp_path: Path) -> None:
    """Authors as a set of normalised names (a name twice is wrong), the first and last
    paragraph by their first words after a dateline, and furniture inside a paragraph."""
    (tmp_path / "p.html").write_text("<html><h1>Quay to be widened</h1></html>", encoding="utf-8")
    (tmp_path / "p.gold.yaml").write_text(
        "source: {url: https://example.org/p}\ntitle: Quay to be widened\ndate: 2021-05-03\n"
        "publisher: Coastline Daily\nauthor: Ana Ruiz and Li Wei\nauthors: [Ana Ruiz, Li Wei]\n"
        "first_paragraph: The harbour council met on Tuesday\n"
        "last_paragraph: Work begins in spring\nboilerplate: [Sign up for our newsletter]\n"
        "scope: metadata\nentities: []\nquotes: []\n", encoding="utf-8")
    gold = load_gold(tmp_path / "p.gold.yaml")
    system = {"meta": {"title": "Quay to be widened", "date": "2021-05-03",
                       "publisher": "Coastline Daily", "author": "LI WEI and Ana Ruiz"},
              "paragraphs": ["PORTSIDE — “The harbour council met on Tuesday ,", "Middle.",
                             "Work begins in spring. Sign up for our newsletter"]}
    score = score_article(gold, system, Registry({}))
    assert score.authors is not None and score.authors[0]
    assert score.first_paragraph is not None and score.first_paragraph[0]
    assert score.last_paragraph is not None and score.last_paragraph[0]
    assert score.boilerplate == ["Sign up for our newsletter"]
    assert not score.full and score.precision["person"].total == 0
    system["meta"]["author"] = "Ana Ruiz and ANA RUIZ"
    assert score_article(gold, system, Registry({})).authors == (
        False, "Ana Ruiz, Li Wei", "Ana Ruiz and ANA RUIZ")


def test_title_in_markup_with_character_references(tmp_path: Path) -> None:
    """A headline written "Trump&#x2019;s" in the page is in its text: not a supplied title."""
    (tmp_path / "p.html").write_text("<html><title>Haley&#x2019;s exit &amp; after</title></html>",
                                     encoding="utf-8")
    (tmp_path / "p.gold.yaml").write_text(
        "title: Haley’s exit & after\ndate: null\npublisher: X\nscope: metadata\n", encoding="utf-8")
    gold = load_gold(tmp_path / "p.gold.yaml")
    system = {"meta": {"title": "Haley’s exit & after", "title_supplied": False}}
    assert score_article(gold, system, Registry({})).title[0] is True


def test_command_scores_several_folders_each_in_its_own_table(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    web = tmp_path / "web"
    web.mkdir()
    for name in ("w-nytimes-sudan-sanctions.html", "w-nytimes-sudan-sanctions.gold.yaml"):
        (web / name).write_bytes((WEB / name).read_bytes())
    code = main([str(FIXTURES), str(web), "--registry", str(FIXTURES / "entities"),
                 "--recogniser", "rules", "--no-stubs"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert out.count("briefbook ingest against") == 2
    web_table = out.split(str(web))[1]
    assert "authors right" in web_table and "no paragraph outside the article" in web_table
    assert "people: recall" not in web_table   # not annotated: not scored


@pytest.mark.parametrize("name", sorted(WIDER))
def test_wider_corpus_holds_its_floors(name: str) -> None:
    evaluation = evaluate(WIDER[name], load_registry(SAMPLE_REGISTRY), "conf/entities")
    assert not evaluation.problems
    metrics = evaluation.headline.metrics()
    failed = {m: metrics[m] for m, floor in WIDER_FLOORS[name].items()
              if not meets(m, metrics[m], floor)}
    assert not failed, f"{name} below {WIDER_FLOORS[name]}: {failed}"


def test_web_pages_hold_their_floors() -> None:
    evaluation = evaluate(WEB, load_registry(SAMPLE_REGISTRY), "conf/entities")
    assert not evaluation.problems and not evaluation.warnings
    metrics = evaluation.headline.metrics()
    failed = {m: metrics[m] for m, floor in WEB_FLOORS.items() if not meets(m, metrics[m], floor)}
    assert not failed, f"corpus-web below {WEB_FLOORS}: {failed}"
