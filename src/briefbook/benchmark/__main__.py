"""``python -m briefbook.benchmark``: the build benchmark behind ``make bench``."""

from __future__ import annotations

from briefbook.benchmark.runner import main

if __name__ == "__main__":
    raise SystemExit(main())
