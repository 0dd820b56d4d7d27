"""Ingest benchmarks: linking throughput against registries of 100, 10,000 and 100,000
synthetic aliases (the cost must not grow with the registry), and a whole ``briefbook
ingest`` of 100 real-sized articles with the default (statistical) recogniser, whose
target is under a minute on two cores.

Run ``python -m briefbook.ingest.bench`` (``make bench``).  Building the automaton grows
with the registry (once per run); linking a paragraph does not.
"""

from __future__ import annotations

import argparse
import io
import random
import string
import time
from pathlib import Path

from briefbook.entities.registry import Alias, Entity, EntityKind
from briefbook.ingest.decoding import decode
from briefbook.ingest.linker import Linker
from briefbook.ingest.parsing import parse_article
from briefbook.ingest.pipeline import Context, Options, ingest_paths

SEED_TEXT = """It has been officially confirmed by US Defence Secretary Lloyd Austin that North
Korean troops have been deployed in Russian territory. As the BBC stated “the war is
spreading”, Xi Jinping called for “no escalation in fighting” in Ukraine, while officials
in Kazan, Russia, said the BRICS summit showed Moscow was not isolated."""


def synthetic_entities(aliases: int, rng: random.Random) -> list[Entity]:
    """Entities with about ``aliases`` names in all (two per entity), plus the seed's."""
    def word() -> str:
        return rng.choice(string.ascii_uppercase) + "".join(
            rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 9)))

    kinds: tuple[EntityKind, ...] = ("person", "place", "organization")
    entities = [
        Entity("person", "lloyd-austin", "Lloyd Austin"),
        Entity("person", "xi-jinping", "Xi Jinping", (Alias("Xi"),)),
        Entity("place", "russia", "Russia"), Entity("place", "ukraine", "Ukraine"),
        Entity("place", "kazan", "Kazan"), Entity("organization", "bbc", "BBC"),
    ]
    for n in range(max(0, aliases - len(entities)) // 2):
        name = f"{word()} {word()}"
        entities.append(Entity(kinds[n % 3], f"e{n}", name, (Alias(f"{word()} {word()}"),)))
    return entities


def measure(aliases: int, text: str, repeat: int = 3, seed: int = 1) -> dict[str, float]:
    """Build a linker over ``aliases`` names and time linking ``text``."""
    rng = random.Random(seed)
    entities = synthetic_entities(aliases, rng)
    start = time.perf_counter()
    linker = Linker(entities)
    build = time.perf_counter() - start
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    size = sum(len(p.encode("utf-8")) for p in paragraphs)
    best = float("inf")
    mentions = 0
    for _ in range(repeat):
        start = time.perf_counter()
        mentions = len(linker.link(paragraphs))
        best = min(best, time.perf_counter() - start)
    return {"aliases": float(sum(len(e.all_names) for e in entities)), "build_s": build,
            "mb_per_s": size / 1e6 / best, "mentions": float(mentions), "mb": size / 1e6}


CORPUS = Path(__file__).resolve().parents[3] / "tests" / "corpus"


def ingest_articles(count: int, folder: Path, corpus: Path = CORPUS) -> dict[str, float | str]:
    """Write ``count`` articles of about 1,000 words (real texts from the evaluation
    corpus, two or three to an article) and time one ``ingest --dry-run`` of them all,
    in-process as the command runs it, model loading included."""
    texts = sorted(p.read_text(encoding="utf-8") for p in corpus.glob("*.txt")) or [SEED_TEXT]
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    for number in range(count):
        body: list[str] = []
        index = number
        while sum(len(t.split()) for t in body) < 1000:
            body.append(texts[index % len(texts)])
            index += 7
        text = f" date 2024-11-{1 + number % 28:02d} Bench Writer\n\n" + "\n\n".join(body)
        words += len(text.split())
        (folder / f"article-{number:04d}.txt").write_text(text, encoding="utf-8")
    start = time.perf_counter()
    context = Context(None)
    summary = ingest_paths([folder], Options(dry_run=True), context, out=io.StringIO(),
                           err=io.StringIO())
    seconds = time.perf_counter() - start
    return {"articles": float(summary.articles), "words": float(words), "seconds": seconds,
            "recogniser": context.recogniser.name}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--text", help="article file to link (default: synthetic ~2 MB)")
    parser.add_argument("--sizes", default="100,10000,100000")
    parser.add_argument("--articles", type=int, default=100,
                        help="articles for the whole-ingest measurement (0 skips it)")
    args = parser.parse_args(argv)
    if args.text:
        article = parse_article(decode(Path(args.text).read_bytes(), args.text), args.text)
        text = "\n\n".join(article.paragraphs * max(1, 2_000_000 // max(
            1, sum(len(p) for p in article.paragraphs))))
    else:
        text = "\n\n".join(" ".join(SEED_TEXT.split()) for _ in range(5000))
    print(f"{'aliases':>10} {'build s':>9} {'MB/s':>8} {'mentions':>9}")
    for size in (int(s) for s in args.sizes.split(",")):
        row = measure(size, text)
        print(f"{int(row['aliases']):>10} {row['build_s']:>9.2f} {row['mb_per_s']:>8.2f} "
              f"{int(row['mentions']):>9}")
    if args.articles:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            run = ingest_articles(args.articles, Path(tmp))
        seconds = float(run["seconds"])
        verdict = "meets" if seconds < 60 else "MISSES"
        print(f"ingest of {int(float(run['articles']))} articles ({int(float(run['words'])):,} "
              f"words) with {run['recogniser']}: {seconds:.1f} s "
              f"({verdict} the target of under 60 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
