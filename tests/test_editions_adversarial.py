"""Released editions against an adversary: every way MyST and Sphinx read a page's marking.

A release leaves out what is marked above it. The marking it goes by must be the one MyST
and Sphinx read, for every file Sphinx reads; where that cannot be determined the release
fails closed: the page (or what it includes) is left out, the build fails, and the error
names the file. Two books:

* ``tests/roots/test-editions-adversarial``: pages marked TLP:RED in every form MyST
  accepts (fences of four and five dashes, a comment after the opening fence, an
  indented closing fence, ``...`` closing it, front matter over 16 KB, a byte-order
  mark, CRLF line ends, a YAML alias, lower case), files Sphinx reads that a glob or a
  scan would miss (a hidden file, a hidden folder, glob characters in the name) and an
  rST page marked in its field list. The TLP:CLEAR edition must build cleanly and hold
  none of their canary words in any output byte (HTML, search index, decompressed
  ``objects.inv``, LaTeX); the full edition must hold every one (the control).
* ``tests/roots/test-editions-adversarial-failing``: pages whose marking cannot be
  determined (malformed YAML, an unknown marking, an alias the scheme does not define,
  an empty marking, ``marking`` given twice or spelt ``Marking``, a fence never closed,
  a file that is not UTF-8, a marking MyST reads from a field list rather than the front
  matter), portions marked with no level of the scheme, and CLEAR
  pages that include a RED file (``{include}``, ``:literal:``, ``{literalinclude}``,
  ``{raw}`` with ``:file:``, rST ``.. include::``). The TLP:CLEAR edition must fail,
  with an error naming each file, and still hold none of their canaries; ``briefbook
  export --release`` and ``briefbook pdf PAGE --release`` stop on the same errors (exit
  1, nothing written) and ``briefbook check`` reports them in the same words.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

from test_editions_release import leaks, output_text

ROOTS = Path(__file__).parent / "roots"
RELEASE = "TLP:CLEAR"

#: Marked TLP:RED, each in its own way: case → (file, canary).
WITHHELD = {
    "four-dash fences": ("four-dash.md", "zqxREDfourdash"),
    "five-dash fences": ("five-dash.md", "zqxREDfivedash"),
    "a comment after the opening fence": ("fence-comment.md", "zqxREDfencecomment"),
    "an indented closing fence": ("indented-close.md", "zqxREDindentedclose"),
    "front matter closed by '...'": ("dots-close.md", "zqxREDdotsclose"),
    "front matter over 16 KB": ("long-front-matter.md", "zqxREDlongfrontmatter"),
    "a hidden file": ("briefings/.hidden-red.md", "zqxREDhiddenfile"),
    "a page in a hidden folder": ("briefings/.private/red.md", "zqxREDhiddenfolder"),
    "glob brackets in the name": ("a[1].md", "zqxREDglobname"),
    "glob stars and marks in the name": ("q?x*.md", "zqxREDglobstar"),
    "a byte-order mark before the fence": ("bom.md", "zqxREDbom"),
    "CRLF line ends": ("crlf.md", "zqxREDcrlf"),
    "the marking through a YAML alias": ("yaml-alias.md", "zqxREDyamlalias"),
    "the marking in lower case": ("lowercase.md", "zqxREDlowercase"),
    "an rST page marked in its field list": ("rst-field.rst", "zqxREDrstfield"),
    "a RED file included inside a RED portion": ("portion-include.md", "zqxREDincludedinportion"),
}


@dataclass(frozen=True)
class Failing:
    """A page a release must fail on: the files its error names, and its canary."""

    file: str
    canary: str
    also_names: str = ""  # the included file, for an include
    #: Known from the file alone (a handout stops before building), not once it is read.
    before_reading: bool = True


FAILING = {
    "malformed YAML on a RED page": Failing("malformed-yaml.md", "zqxREDmalformed"),
    "an unknown page marking": Failing("unknown-page.md", "zqxUNKNOWNpage"),
    "an alias the scheme does not define": Failing("undefined-alias.md", "zqxALIASpage"),
    "an empty marking": Failing("empty-marking.md", "zqxNULLmarking"),
    "marking given twice": Failing("marking-twice.md", "zqxREDtwice"),
    "Marking with a capital": Failing("key-case.md", "zqxREDkeycase"),
    "a front-matter fence never closed": Failing("unclosed.md", "zqxREDunclosed"),
    "a page that is not UTF-8": Failing("latin1.md", "zqxREDlatin1"),
    "a marking MyST reads from a field list": Failing("field-list.md", "zqxREDfieldlist",
                                                      before_reading=False),
    "an unknown portion marking": Failing("portion-unknown.md", "zqxUNKNOWNportion",
                                          before_reading=False),
    "a portion alias the scheme does not define": Failing("portion-alias.md", "zqxALIASportion",
                                                          before_reading=False),
    "{include} of a RED file": Failing("include-red.md", "zqxREDpartinclude",
                                       "_parts/red-include.md", False),
    "{include} :literal: of a RED file": Failing("include-literal.md", "zqxREDpartliteral",
                                                 "_parts/red-literal.md", False),
    "{literalinclude} of a RED file": Failing("literalinclude-red.md", "zqxREDpartliteralinclude",
                                              "_parts/red-literalinclude.md", False),
    "{raw} :file: of a RED file": Failing("raw-file.md", "zqxREDpartraw", "_parts/red-raw.md",
                                          False),
    "rST include of a RED rST file": Failing("include-rst.rst", "zqxREDpartrst",
                                             "_parts/red-rst.rst", False),
}


def write_generated_pages(src: Path) -> None:
    """Pages an editor's tools, or git, would mangle if they were kept as files."""
    if (src / "four-dash.md").exists():
        filler = "".join(f"  line {n} of a long summary that says nothing at all.\n"
                         for n in range(400))
        (src / "long-front-matter.md").write_text(
            f"---\nsummary: |\n{filler}marking: TLP:RED\n---\n\n# zqxREDlongfrontmatter title\n\n"
            "zqxREDlongfrontmatter body.\n", encoding="utf-8")
        assert len((src / "long-front-matter.md").read_bytes()) > 20_000
        (src / "q?x*.md").write_text(
            "---\nmarking: TLP:RED\n---\n\n# zqxREDglobstar title\n\nzqxREDglobstar body.\n",
            encoding="utf-8")
        (src / "bom.md").write_bytes(
            b"\xef\xbb\xbf---\nmarking: TLP:RED\n---\n\n# zqxREDbom title\n\nzqxREDbom body.\n")
        (src / "crlf.md").write_bytes(
            b"---\r\nmarking: TLP:RED\r\n---\r\n\r\n# zqxREDcrlf title\r\n\r\nzqxREDcrlf body.\r\n")
    else:
        (src / "latin1.md").write_bytes(
            b"---\ntitle: Caf\xe9 notes\nmarking: TLP:RED\n---\n\n# zqxREDlatin1 title\n\n"
            b"zqxREDlatin1 body.\n")


def copy_book(root: str, dest: Path) -> Path:
    src = dest / "book"
    shutil.copytree(ROOTS / root, src)
    write_generated_pages(src)
    return src


@dataclass
class Built:
    outdir: Path
    statuscode: int
    warnings: str

    def text(self) -> str:
        return "\n".join(output_text(self.outdir).values())


def build(src: Path, dest: Path, builder: str, release: str = "") -> Built:
    overrides = {"briefbook_release": release} if release else {}
    app = SphinxTestApp(builder, srcdir=src, builddir=dest, freshenv=True, confoverrides=overrides)
    try:
        app.build()
    finally:
        app.cleanup()
    warnings = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    return Built(Path(app.outdir), app.statuscode, warnings)


def errors_naming(warnings: str, file: str) -> list[str]:
    return [line for line in warnings.splitlines()
            if "ERROR" in line and f"/{file}:" in line]


# --- the decision is what MyST reads ---------------------------------------------------------


def myst_reads(text: str) -> str:
    """The ``marking`` MyST hands on as the page's metadata (its docutils parser: the
    same front-matter rule and renderer as in a Sphinx build)."""
    from docutils import nodes
    from docutils.core import publish_doctree
    from myst_parser.parsers.docutils_ import Parser

    doctree = publish_doctree(text, parser=Parser(), settings_overrides={
        "report_level": 5, "halt_level": 5, "warning_stream": False})
    index = doctree.first_child_not_matching_class(nodes.PreBibliographic)
    if index is None or not isinstance(doctree[index], nodes.docinfo):
        return ""
    fields = [f for f in doctree[index].children if isinstance(f, nodes.field)]
    return next((f[1].astext().strip() for f in fields if f[0].astext() == "marking"), "")


@settings(max_examples=300, deadline=None)
@given(opening=st.integers(3, 6), after_opening=st.sampled_from(["", " # note", "   ", "x"]),
       before=st.integers(0, 2), key=st.sampled_from(["marking", "Marking", "MARKING"]),
       value=st.sampled_from(["TLP:RED", "tlp:red", "'TLP:AMBER'", "TLP:RED # note", "RED",
                              "", "[TLP:RED]", "TLP:CLEAR"]),
       twice=st.booleans(),
       closing=st.one_of(st.tuples(st.integers(0, 5), st.integers(2, 7)), st.just("..."),
                         st.just(None)),
       newline=st.sampled_from(["\n", "\r\n", "\r"]), lead=st.sampled_from(["", "\ufeff", "\n"]))
def test_the_decision_is_what_myst_reads(opening: int, after_opening: str, before: int, key: str,
                                          value: str, twice: bool, closing: object, newline: str,
                                          lead: str) -> None:
    """However the front matter is written, the decision finds the marking MyST finds,
    or refuses the page (a problem fails the release closed): never another one; and it
    refuses only what is ambiguous (a second ``marking``, another spelling of the key)
    or undefined."""
    from briefbook.editions.decision import Reading

    lines = ["-" * opening + after_opening, *(f"k{n}: v" for n in range(before)),
             f"{key}: {value}"]
    if twice:
        lines.append("marking: TLP:CLEAR")
    if isinstance(closing, tuple):
        lines.append(" " * closing[0] + "-" * closing[1])
    elif closing == "...":
        lines.append("...")
    text = lead + newline.join([*lines, "", "# Title", "", "Body."]) + newline
    reading = Reading.of_conf({"extensions": ["myst_parser"]})
    decided, read = reading.decide(Path("page.md"), text), myst_reads(text)
    assert decided.problem or decided.text == read, (text, decided)
    known = {level.name for level in reading.scheme.levels}
    if key == "marking" and not twice and read.upper() in known:
        # A marking MyST reads, once, in a level the scheme defines: taken, not refused.
        assert not decided.problem and decided.level == reading.scheme.level(read), (text, decided)


# --- the book of pages a release leaves out, cleanly ------------------------------------------


@pytest.fixture(scope="module")
def withheld_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_book("test-editions-adversarial", tmp_path_factory.mktemp("withheld"))


@pytest.fixture(scope="module")
def withheld_full(withheld_book: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(withheld_book, tmp_path_factory.mktemp("withheld-full"), "html")


@pytest.fixture(scope="module")
def withheld_html(withheld_book: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(withheld_book, tmp_path_factory.mktemp("withheld-html"), "html", RELEASE)


@pytest.fixture(scope="module")
def withheld_latex(withheld_book: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(withheld_book, tmp_path_factory.mktemp("withheld-latex"), "latex", RELEASE)


def test_the_full_edition_reads_every_adversarial_page(withheld_full: Built) -> None:
    """The control: Sphinx reads each of these files and MyST its marking, so a release
    that shows none of them has left them out, not missed them."""
    text = withheld_full.text()
    missing = [case for case, (_, canary) in WITHHELD.items() if canary not in text]
    assert missing == []
    assert "zqxCLEARindex4242" in text


def test_the_full_edition_banners_each_page_red(withheld_full: Built) -> None:
    """What decides the release is what the full edition shows: each page is RED there."""
    from bs4 import BeautifulSoup

    for case, (file, _) in WITHHELD.items():
        if case == "a RED file included inside a RED portion":
            continue  # a CLEAR page
        page = withheld_full.outdir / (file.rsplit(".", 1)[0] + ".html")
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        banner = soup.select_one(".bb-marking-banner")
        assert banner is not None and banner.get_text() == "TLP:RED", case


def test_the_released_edition_builds_cleanly(withheld_html: Built) -> None:
    assert withheld_html.statuscode == 0, withheld_html.warnings
    assert withheld_html.warnings == ""  # not even a toctree naming a withheld page
    text = withheld_html.text()
    assert "zqxCLEARindex4242" in text and "zqxCLEARportioninclude" in text
    assert "zqxCLEARpdftitle" in text and "zqxCLEARbriefing3131" in text


@pytest.mark.parametrize("case", list(WITHHELD))
def test_no_byte_of_the_released_html_holds_the_page(withheld_html: Built, case: str) -> None:
    _, canary = WITHHELD[case]
    assert leaks(withheld_html.outdir, [canary]) == []


@pytest.mark.parametrize("case", list(WITHHELD))
def test_no_byte_of_the_released_latex_holds_the_page(withheld_latex: Built, case: str) -> None:
    _, canary = WITHHELD[case]
    assert leaks(withheld_latex.outdir, [canary]) == []


def test_the_released_latex_holds_what_it_may(withheld_latex: Built) -> None:
    text = withheld_latex.text()
    assert "zqxCLEARindex4242" in text and "zqxCLEARpdftitle" in text
    assert "zqxCLEARbriefing3131" in text


def test_the_withheld_pages_are_in_no_navigation(withheld_html: Built) -> None:
    """Not even their names: the toctree's glob found only what the release reads."""
    index = (withheld_html.outdir / "index.html").read_text(encoding="utf-8")
    for name in ("four-dash", "hidden-red", ".private", "a%5B1%5D", "a[1]", "rst-field",
                 "bom.html"):
        assert name not in index, name


# --- the book a release must fail on ------------------------------------------------------------


@pytest.fixture(scope="module")
def failing_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_book("test-editions-adversarial-failing", tmp_path_factory.mktemp("failing"))


@pytest.fixture(scope="module")
def failing_html(failing_book: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(failing_book, tmp_path_factory.mktemp("failing-html"), "html", RELEASE)


@pytest.fixture(scope="module")
def failing_latex(failing_book: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(failing_book, tmp_path_factory.mktemp("failing-latex"), "latex", RELEASE)


def test_the_release_fails_and_keeps_what_it_may_show(failing_html: Built,
                                                      failing_latex: Built) -> None:
    assert failing_html.statuscode != 0 and failing_latex.statuscode != 0
    for built in (failing_html, failing_latex):  # the glob '*' over the root finds the page
        assert "zqxCLEARindex5151" in built.text() and "zqxCLEARpage6161" in built.text()


@pytest.mark.parametrize("case", list(FAILING))
def test_the_release_names_the_file(failing_html: Built, case: str) -> None:
    expected = FAILING[case]
    found = errors_naming(failing_html.warnings, expected.file)
    assert found, failing_html.warnings
    if expected.also_names:
        assert any(expected.also_names in line for line in found), found


@pytest.mark.parametrize("case", list(FAILING))
def test_no_byte_of_the_failed_release_holds_it(failing_html: Built, failing_latex: Built,
                                                case: str) -> None:
    canary = FAILING[case].canary
    assert leaks(failing_html.outdir, [canary]) == []
    assert leaks(failing_latex.outdir, [canary]) == []


@pytest.fixture(scope="module")
def failing_check(failing_book: Path) -> list:
    from briefbook.check.run import run_check

    return run_check(failing_book)


@pytest.mark.parametrize("case", list(FAILING))
def test_check_reports_what_the_release_fails_on_in_the_same_words(
        failing_book: Path, failing_html: Built, failing_check: list, case: str) -> None:
    from briefbook.book.layout import Book
    from briefbook.check.findings import sphinx_findings

    file = FAILING[case].file
    book = Book.find(failing_book)
    # BB6xx: markings; BB508: a page that is not UTF-8 text (no build reads it).
    codes = ("BB6", "BB508")
    released = {(f.code, f.message) for f in sphinx_findings(book, failing_html.warnings)
                if f.path == file and f.code.startswith(codes)}
    checked = {(f.code, f.message) for f in failing_check
               if f.path == file and f.code.startswith(codes)}
    assert released, failing_html.warnings
    assert released <= checked, (released, checked)
    assert all(f.severity == "error" for f in failing_check if f.path == file
               and f.code.startswith(codes))


def test_export_of_the_release_stops_and_writes_nothing(failing_book: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from briefbook.cli import main

    out = tmp_path / "export.json"
    code = main(["export", str(failing_book), "--release", RELEASE, "--out", str(out)])
    stderr = re.sub(r"\x1b\[[0-9;]*m", "", capsys.readouterr().err)
    assert code == 1
    assert not out.exists()
    missing = [case for case, expected in FAILING.items()
               if not errors_naming(stderr, expected.file)]
    assert missing == [], stderr


@pytest.mark.parametrize("case", list(FAILING))
def test_a_handout_of_the_page_stops_and_writes_nothing(
        failing_book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    from briefbook.cli import main

    expected = FAILING[case]
    out = tmp_path / "handout.pdf"
    code = main(["pdf", str(failing_book), expected.file, "--release", RELEASE,
                 "--out", str(out), "--builddir", str(tmp_path / "build")])
    stderr = re.sub(r"\x1b\[[0-9;]*m", "", capsys.readouterr().err)
    assert code == 1, stderr
    assert not out.exists()
    assert expected.file in stderr, stderr
    if expected.also_names:
        assert expected.also_names in stderr, stderr
    if expected.before_reading:  # decided before anything is built: no Sphinx, no LaTeX
        assert not (tmp_path / "build" / ".selection").exists()


# --- the handout's title -----------------------------------------------------------------------


@pytest.mark.pdf
def test_a_released_handout_takes_its_title_from_what_it_prints(
        withheld_book: Path, tmp_path: Path) -> None:
    """The first heading in the file sits in a RED portion: neither the cover nor the
    PDF's /Title may show it; the title is the page's own as the release reads it."""
    from pypdf import PdfReader

    from briefbook.cli import main

    out = tmp_path / "pdf-title.pdf"
    code = main(["pdf", str(withheld_book), "pdf-title", "--release", RELEASE,
                 "--out", str(out), "--builddir", str(tmp_path / "build")])
    assert code == 0
    reader = PdfReader(out)
    assert reader.metadata is not None and reader.metadata.title == "Harbour opens"
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    assert "zqxCLEARpdftitle" in text
    assert "zqxREDpdftitle" not in text
    latex = next((tmp_path / "build" / ".selection").glob("*/build/latex"))
    assert leaks(latex, ["zqxREDpdftitle"]) == []


def test_a_parallel_release_fails_without_w_and_keeps_nothing(failing_book: Path,
                                                              tmp_path: Path) -> None:
    """Workers read the pages: what they refuse reaches the main process, which fails the
    build even without -W; neither the output nor the doctrees hold a canary."""
    import subprocess
    import sys

    out = tmp_path / "html"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-j", "2", "-q", str(failing_book),
         str(out), "-d", str(tmp_path / "doctrees"), "-D", f"briefbook_release={RELEASE}"],
        capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    missing = [case for case, expected in FAILING.items()
               if not errors_naming(result.stderr, expected.file)]
    assert missing == [], result.stderr
    canaries = [expected.canary for expected in FAILING.values()]
    assert leaks(out, canaries) == []
    assert leaks(tmp_path / "doctrees", canaries) == []
    assert "zqxCLEARpage6161" in "\n".join(output_text(out).values())
