"""The printed edition of a page whose boxes hold more than prose.

A portion prints as a box ruled on the left (``briefbookportion``, a breakable
tcolorbox), and so do claims, key judgements and pull quotes; LaTeX refuses a float
inside a box ("Not in outer par mode"), so a figure in any of them stopped the whole
book's PDF.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOTS, SAMPLE_EPOCH

FIGURE_IN_PORTION = """

````{marking} TLP:AMBER
A portion with a figure in it.

```{figure} route.png
:width: 4cm

The convoys' route, zqxFIGUREcaption.
```
````
"""


FIGURE_IN_BOXES = """

`````{key-judgements}
````{claim}
:likelihood: likely
:confidence: moderate
:sources: open2025

The harbour reopens, as the map shows.

```{figure} route.png
:width: 3cm

The harbour's approaches, zqxKEYcaption.
```
````
`````

````{claim}
:likelihood: unlikely
:confidence: low
:sources: open2025

The convoys stop.

```{figure} route.png
:width: 3cm

The convoys' last stop, zqxCLAIMcaption.
```
````

````{pull-quote}
A line worth pulling out.

```{figure} route.png
:width: 3cm

The pulled line's place, zqxPULLcaption.
```
````
"""


@pytest.mark.pdf
def test_a_figure_in_a_marked_portion_prints_in_the_full_edition(tmp_path: Path) -> None:
    book = tmp_path / "book"
    shutil.copytree(ROOTS / "test-editions", book)
    shutil.copy(ROOTS / "test-editions-selection" / "docs" / "briefings" / "route.png", book)
    page = book / "b1.md"
    page.write_text(page.read_text(encoding="utf-8") + FIGURE_IN_PORTION + FIGURE_IN_BOXES,
                    encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-M", "latexpdf", str(book), str(tmp_path / "build"),
         "-W", "--keep-going", "-q"],
        capture_output=True, text=True, check=False, timeout=600,
        env={**os.environ, "SOURCE_DATE_EPOCH": SAMPLE_EPOCH})
    log = tmp_path / "build" / "latex" / "editions.log"
    assert proc.returncode == 0, (proc.stderr[-2000:],
                                  log.read_text(errors="replace")[-2000:] if log.exists() else "")
    pdf = PdfReader(str(tmp_path / "build" / "latex" / "editions.pdf"))
    for caption in ("zqxFIGUREcaption", "zqxCLAIMcaption", "zqxKEYcaption", "zqxPULLcaption"):
        pages = [p for p in pdf.pages if caption in (p.extract_text() or "")]
        assert pages, f"the figure's caption {caption} is not in the PDF"
        # The image is printed on the caption's page, inside its box (not floated away).
        assert any(len(p.images) for p in pages), caption
