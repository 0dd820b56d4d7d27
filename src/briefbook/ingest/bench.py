"""Linking benchmark: throughput (MB/s of article text) against registries of 100,
10,000 and 100,000 synthetic aliases, to show the cost does not grow with the registry.

Run ``python -m briefbook.ingest.bench`` (``make bench``).  Building the automaton grows
with the registry (once per run); linking a paragraph does not.
"""

from __future__ import annotations

import argparse
import random
import string
import time
from pathlib import Path

from briefbook.ingest.linker import Linker
from briefbook.ingest.reader import decode, parse_article
from briefbook.registry import Alias, Entity, EntityKind

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--text", help="article file to link (default: synthetic ~2 MB)")
    parser.add_argument("--sizes", default="100,10000,100000")
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
