"""How good are the stubs ``--add-candidates`` writes? A batch into a new book, scored.

Recognition scores (:mod:`.runs`) say whether ingest finds the names; what an
analyst meets after a first ingest is different: the stubs in the registry, each one a
decision to make. So this runs the command a new user runs — ``briefbook init`` in an
empty folder, then ``briefbook ingest <corpus> --add-candidates`` from inside it (the same
code path: :func:`briefbook.cli.main`) — and judges every stub against the gold
annotations of the whole batch:

* **junk**: no gold entity has any of the stub's names as a form;
* **fragment**: not a form, but a proper part of a longer gold form ("Lloyd" of "Lloyd
  Austin", "Baltic" of "Baltic Sea");
* **wrong kind**: a form only of gold entities of another type;
* **duplicates**: stubs beyond the first for one gold entity (the batch's gold entities
  are merged across articles: same name, same person, same country);
* **outside**: stubs written anywhere but the registry folder;
* **returned**: after rejecting some stubs (half through ``review.yaml``, half deleted by
  hand from the registry file), the same batch ingested again must not bring any back.

The share of junk, fragments and wrong kinds, the duplicates, the stubs outside and the
returned names have targets (:data:`STUB_TARGETS`); ``tests/test_eval.py`` holds floors.
"""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rich.markup import escape
from rich.table import Table

from briefbook.cli import main
from briefbook.entities.registry import normalise
from briefbook.entities.review_state import ReviewState
from briefbook.evaluation.gold import GoldArticle
from briefbook.evaluation.names import loose_person, normalise_name
from briefbook.ingest import gazetteer
from briefbook.init import BookValues, init_book

#: The targets for stubs (all maxima: lower is better).
STUB_TARGETS: dict[str, float] = {
    "stub_junk_share": 0.08,
    "duplicate_stubs": 0,
    "stubs_outside": 0,
    "rejected_returned": 0,
    "rerun_stubs": 0,
}
#: The rows of the stub report, in order, with their labels.
STUB_METRICS: tuple[tuple[str, str], ...] = (
    ("stubs", "stubs written"),
    ("stubs_per_article", "stubs per article"),
    ("junk", "junk (no gold entity has the name)"),
    ("fragments", "fragments of longer names"),
    ("wrong_kind", "wrong kind"),
    ("stub_junk_share", "junk + fragments + wrong kind"),
    ("duplicate_stubs", "duplicate stubs"),
    ("stubs_outside", "stubs outside conf/entities"),
    ("rejected", "stubs rejected before the re-run"),
    ("rejected_returned", "rejected stubs back after the re-run"),
    ("rerun_stubs", "stubs the re-run added"),
)
VERDICTS = ("right", "junk", "fragment", "wrong kind")


@dataclass
class StubCase:
    """One stub the batch wrote and what the gold makes of it."""

    id: str
    name: str
    kind: str
    aliases: list[str]
    file: str
    verdict: str = "right"
    why: str = ""

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]


@dataclass
class StubScore:
    """The stubs of one batch ingested into a new book, judged, and the re-run."""

    articles: int = 0
    cases: list[StubCase] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    #: Stubs of the re-run that bear a rejected name.
    returned: list[str] = field(default_factory=list)
    rerun_stubs: int = 0
    rerun_added: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def metrics(self) -> dict[str, float | int | None]:
        count = {v: sum(c.verdict == v for c in self.cases) for v in VERDICTS}
        stubs = len(self.cases)
        bad = count["junk"] + count["fragment"] + count["wrong kind"]
        return {
            "stubs": stubs,
            "stubs_per_article": stubs / self.articles if self.articles else None,
            "junk": count["junk"],
            "fragments": count["fragment"],
            "wrong_kind": count["wrong kind"],
            "stub_junk_share": bad / stubs if stubs else None,
            "duplicate_stubs": sum(len(d["stubs"]) - 1 for d in self.duplicates),
            "stubs_outside": sum(1 for c in self.cases if not c.file.startswith("conf/entities/")),
            "rejected": len(self.rejected),
            "rejected_returned": len(self.returned),
            "rerun_stubs": self.rerun_stubs,
        }

    def to_json(self) -> dict[str, Any]:
        return {"metrics": self.metrics(), "targets": STUB_TARGETS,
                "stubs": [c.__dict__ for c in self.cases], "duplicates": self.duplicates,
                "outside": self.outside, "rejected": self.rejected, "returned": self.returned,
                "rerun_added": self.rerun_added,
                "failures": self.failures}


def stub_meets(metric: str, value: float | int | None, target: float) -> bool:
    """Stub targets are maxima; a share with nothing to count meets its target."""
    return value is None or value <= target


# --- the gold entities of a batch ---------------------------------------------------------


@dataclass
class _GoldGroup:
    """One entity of the batch: gold entities of several articles that are the same."""

    name: str
    type: str
    keys: set[str]


def gold_groups(golds: Sequence[GoldArticle]) -> list[_GoldGroup]:
    """The batch's entities: one article's "Lloyd J. Austin III" and another's "Lloyd
    Austin" are one person, "UK" and "United Kingdom" one country."""
    entities = [(e.name, e.type, {normalise_name(f) for f in (e.name, *e.forms)} - {""})
                for g in golds for e in g.entities]
    parent = list(range(len(entities)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_identity: dict[tuple[str, str], int] = {}
    for index, (name, kind, _keys) in enumerate(entities):
        identities = [normalise_name(name)]
        if kind == "person" and (loose := loose_person(normalise_name(name))):
            identities.append("loose:" + loose)
        if kind == "place":
            place = gazetteer.places().get(name)
            if place is not None and place.kind == "country":
                identities.append("country:" + place.country)
        for identity in identities:
            other = by_identity.setdefault((kind, identity), index)
            parent[find(index)] = find(other)
    # A canonical name another entity lists as a form ("United States" in one article,
    # a form of "United States of America" in another) is that entity.
    names = {(kind, normalise_name(name)): i for i, (name, kind, _) in enumerate(entities)}
    for index, (_name, kind, keys) in enumerate(entities):
        for key in keys:
            named = names.get((kind, key))
            if named is not None and len(key.split()) > 1:
                parent[find(index)] = find(named)
    groups: dict[int, _GoldGroup] = {}
    for index, (name, kind, keys) in enumerate(entities):
        group = groups.setdefault(find(index), _GoldGroup(name, kind, set()))
        group.keys |= keys
    return list(groups.values())


def judge(cases: Sequence[StubCase], groups: Sequence[_GoldGroup]) -> list[dict[str, Any]]:
    """Give each stub its verdict; return the duplicates (gold entity → its stubs)."""
    by_key: dict[str, list[int]] = {}
    for number, group in enumerate(groups):
        for key in group.keys:
            by_key.setdefault(key, []).append(number)
    every_form = sorted({key for group in groups for key in group.keys})
    matched: dict[int, list[StubCase]] = {}
    for case in cases:
        keys = {normalise_name(n) for n in case.names} - {""}
        hits = {i for k in keys for i in by_key.get(k, ()) if groups[i].type == case.kind}
        if hits:
            case.verdict = "right"
            case.why = ", ".join(sorted(groups[i].name for i in hits))
            for i in hits:
                matched.setdefault(i, []).append(case)
            continue
        others = {i for k in keys for i in by_key.get(k, ())}
        if others:
            case.verdict = "wrong kind"
            first = groups[min(others)]
            case.why = f"{first.name!r} is a {first.type}"
            continue
        longer = next((form for key in sorted(keys) for form in every_form
                       if key in form and key != form
                       and re.search(rf"(?<!\w){re.escape(key)}(?!\w)", form)), None)
        if longer is not None:
            case.verdict = "fragment"
            case.why = f"part of {longer!r}"
        else:
            case.verdict = "junk"
            case.why = "no gold entity has this name"
    return [{"entity": groups[i].name, "type": groups[i].type,
             "stubs": [c.name for c in stubs]}
            for i, stubs in sorted(matched.items(), key=lambda item: groups[item[0]].name)
            if len(stubs) > 1]


# --- running the batch --------------------------------------------------------------------


def _ingest(book: Path, articles: Sequence[Path], backend: str,
            extra: Sequence[str]) -> tuple[int, str]:
    """``briefbook ingest <articles> --add-candidates`` from inside ``book``, as a user
    types it; the exit code and what it said on stderr. The annotated articles only, never
    the folder: a folder's other text files (a batch's first-sight report) are no article."""
    err = io.StringIO()
    paths = sorted(str(path.resolve()) for path in articles)
    with contextlib.chdir(book), contextlib.redirect_stderr(err), \
            contextlib.redirect_stdout(io.StringIO()):
        code = main(["ingest", *paths, "--add-candidates", "--recogniser", backend, *extra])
    return code, err.getvalue()


def _stubs_in(book: Path) -> list[tuple[str, dict[str, Any]]]:
    """Every ``unreviewed: true`` entry in any YAML list under ``book``, by file."""
    found = []
    for path in sorted(book.rglob("*.yaml")):
        if "_build" in path.parts:
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(data, list):
            for entry in data:
                if isinstance(entry, dict) and entry.get("unreviewed") is True:
                    found.append((path.relative_to(book).as_posix(), entry))
    return found


def _case(file: str, entry: dict[str, Any]) -> StubCase:
    kind = {"people.yaml": "person", "places.yaml": "place",
            "organizations.yaml": "organization"}.get(Path(file).name, "?")
    aliases = [a["name"] if isinstance(a, dict) else str(a) for a in entry.get("aliases") or []]
    return StubCase(str(entry.get("id", "")), str(entry.get("name", "")), kind, aliases, file)


def _reject(book: Path, cases: Sequence[StubCase]) -> list[str]:
    """Reject ``cases`` as an editor would: every other one through ``review.yaml`` (the
    review queue's way: names remembered, entry removed), the rest deleted by hand from
    the registry file. Returns every name rejected."""
    folder = book / "conf" / "entities"
    state = ReviewState.load(folder)
    doomed: dict[str, set[str]] = {}
    names: list[str] = []
    for number, case in enumerate(cases):
        doomed.setdefault(case.file, set()).add(case.id)
        names.extend(case.names)
        if number % 2 == 0:
            for name in case.names:
                state.reject(name, case.kind)
            state.forget(stub_id=case.id)
    state.save(folder)
    for file, ids in doomed.items():
        path = book / file
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        kept = [e for e in data if not (isinstance(e, dict) and e.get("id") in ids)]
        path.write_text(yaml.safe_dump(kept, sort_keys=False, allow_unicode=True)
                        if kept else "[]\n", encoding="utf-8")
    return names


def evaluate_stubs(corpus: str | Path, golds: Sequence[GoldArticle],
                   backend: str = "auto") -> StubScore:
    """Ingest the annotated articles of ``corpus`` (``golds``) as one batch into a new book
    and judge its stubs against them; then reject some and ingest the batch again."""
    score = StubScore(articles=len(golds))
    groups = gold_groups(golds)
    with tempfile.TemporaryDirectory(prefix="briefbook-eval-") as tmp:
        book = Path(tmp) / "book"
        init_book(book, BookValues(title="Evaluation"))
        articles = [gold.article_path for gold in golds]
        code, said = _ingest(book, articles, backend, [])
        if code != 0:
            score.failures.append(f"ingest exited {code}: " + said.strip()[-2000:])
        first = _stubs_in(book)
        score.cases = [_case(file, entry) for file, entry in first]
        score.outside = sorted({c.file for c in score.cases
                                if not c.file.startswith("conf/entities/")})
        score.duplicates = judge(score.cases, groups)
        # Reject every stub the gold finds wanting and one in four of the others, then
        # ingest the same batch again (into other pages and bibliography, so that the
        # articles are analysed anew rather than recognised as already ingested).
        right = [c for c in score.cases if c.verdict == "right"]
        chosen = [c for c in score.cases if c.verdict != "right"] + right[::4]
        rejected = _reject(book, chosen)
        score.rejected = [c.name for c in chosen]
        before = {(file, entry.get("id")) for file, entry in _stubs_in(book)}
        code, said = _ingest(book, articles, backend, ["--out", "rerun", "--bib", "rerun.bib"])
        if code != 0:
            score.failures.append(f"re-run exited {code}: " + said.strip()[-2000:])
        added = [_case(file, entry) for file, entry in _stubs_in(book)
                 if (file, entry.get("id")) not in before]
        score.rerun_stubs = len(added)
        score.rerun_added = [c.name for c in added]
        gone = {normalise(n) for n in rejected}
        score.returned = sorted(c.name for c in added
                                if any(normalise(n) in gone for n in c.names))
    return score


# --- report -------------------------------------------------------------------------------


def print_stub_report(score: StubScore, console: Any, verbose: int = 0) -> list[str]:
    """The stub table against :data:`STUB_TARGETS`; returns the targets missed."""
    metrics = score.metrics()
    if verbose:
        console.print("\n[bold]Stubs the batch wrote that the gold finds wanting[/bold]",
                      markup=True)
        for case in sorted(score.cases, key=lambda c: (c.verdict, c.kind, c.name)):
            if case.verdict != "right":
                console.print(f"  {escape(case.verdict)} ({case.kind}): {escape(case.name)} "
                              f"{escape(str(case.aliases) if case.aliases else '')} - "
                              f"{escape(case.why)}", markup=True)
        for duplicate in score.duplicates:
            console.print(f"  duplicate: {escape(duplicate['entity'])} as "
                          f"{escape(', '.join(duplicate['stubs']))}", markup=True)
        for name in score.returned:
            console.print(f"  rejected and back: {escape(name)}", markup=True)
        for name in score.rerun_added:
            console.print(f"  added by the re-run: {escape(name)}", markup=True)
    table = Table(title=f"stubs: the {score.articles} articles as one batch into a new book "
                        "(briefbook init; ingest --add-candidates)")
    table.add_column("metric")
    table.add_column("target", justify="right")
    table.add_column("new book", justify="right")
    for metric, label in STUB_METRICS:
        value = metrics[metric]
        target = STUB_TARGETS.get(metric)
        if value is None:
            cell = "–"
        elif metric == "stub_junk_share":
            cell = f"{value:.1%}"
        elif metric == "stubs_per_article":
            cell = f"{value:.2f}"
        else:
            cell = str(value)
        shown = ""
        if target is not None:
            shown = f"≤ {target:.0%}" if metric == "stub_junk_share" else f"≤ {target:g}"
            ok = stub_meets(metric, value, target)
            cell = f"[{'green' if ok else 'red'}]{cell} {'✓' if ok else '✗'}[/]"
        table.add_row(label, shown, cell)
    console.print(table)
    for failure in score.failures:
        console.print(f"[red]batch ingest failed[/red]: {escape(failure)}", markup=True)
    missed = [m for m, t in STUB_TARGETS.items() if not stub_meets(m, metrics[m], t)]
    return missed + (["batch ingest"] if score.failures else [])
