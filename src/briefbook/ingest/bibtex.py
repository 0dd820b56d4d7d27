"""The article's own entry in ``sources.bib``, appended atomically.

The page's front matter cites the article by key, so the key must exist and be unique:
``<family name><year>`` with the bibliography's ``a``, ``b`` … suffixes when taken.
Re-ingesting the same text (``--force``) reuses its entry, found by the content hash in
the ``ingested`` field, instead of adding a duplicate.  The file is rewritten through a
temporary file and :func:`os.replace` so a crash never leaves half an entry.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from briefbook.atomic import atomic_write
from briefbook.ingest.model import Article
from briefbook.sources.style import year_suffix

_KEY = re.compile(r"@\s*\w+\s*\{\s*([^,\s]+)\s*,", re.IGNORECASE)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ORG_HINT = re.compile(r"\b(?:News|Agency|Ministry|Press|Times|Post|Department|Office|Service|"
                       r"Institute|Council|Committee|Reuters|BBC|Team|Staff|Desk)\b")
_LATEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%",
          "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
          "^": r"\textasciicircum{}"}


def fingerprint(article: Article) -> str:
    """A stable id of the article's content (title, date, author, text)."""
    digest = hashlib.sha256()
    for part in (article.title, str(article.date), article.author, *article.paragraphs):
        digest.update(part.encode("utf-8") + b"\x1f")
    return "sha256:" + digest.hexdigest()[:16]


def latex_escape(text: str) -> str:
    """Text as BibTeX field content: special characters escaped, braces balanced."""
    return "".join(_LATEX.get(c, c) for c in " ".join(text.split()))


def protect_capitals(text: str) -> str:
    """``{Russia}``: keep capitals that a lower-casing style would otherwise drop."""
    return " ".join(
        f"{{{word}}}" if any(c.isupper() for c in word) and "\\" not in word else word
        for word in latex_escape(text).split(" "))


def _ascii(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "",
                  unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower())


def existing_keys(text: str) -> set[str]:
    return {m.group(1) for m in _KEY.finditer(text)}


def credited(article: Article) -> str:
    """Who the article is credited to: its author, else its publisher ("" when neither)."""
    return article.author or article.publisher


def _is_org(name: str, article: Article) -> bool:
    return bool(_ORG_HINT.search(name)) or (not article.author and bool(article.publisher))


def make_key(article: Article, taken: set[str]) -> str:
    who = credited(article)
    names = who.replace(",", " ").split()
    family = _ascii(names[-1]) if names else ""
    if _is_org(who, article):
        # "U.S. Department of Defense" → "usdepartment"; a short name whole ("wikipedia").
        family = _ascii(re.sub(r"^the\s+", "", who, flags=re.IGNORECASE))[:12]
    base = (family or "anon") + (str(article.date.year) if article.date else "nd")
    if base not in taken:
        return base
    index = 0
    while base + year_suffix(index) in taken:
        index += 1
    return base + year_suffix(index)


def _author_field(author: str, organisation: bool = False) -> str:
    if not author:
        return "{Anonymous}"
    if organisation or _ORG_HINT.search(author) or not any(c.islower() for c in author):
        return "{" + latex_escape(author) + "}"
    parts = author.split()
    if len(parts) >= 2 and " and " not in author and "," not in author:
        return latex_escape(f"{parts[-1]}, {' '.join(parts[:-1])}")
    return latex_escape(author)


def entry_text(article: Article, key: str) -> str:
    title = protect_capitals(article.title)
    if article.title_supplied:
        title = f"[{title}]"
    who = credited(article)
    fields = [("author", "{" + _author_field(who, _is_org(who, article)) + "}"),
              ("title", "{" + title + "}")]
    if article.publisher and article.publisher != who:
        fields.append(("publisher", "{" + latex_escape(article.publisher) + "}"))
    if article.date is not None:
        fields += [("year", "{" + str(article.date.year) + "}"),
                   ("month", _MONTHS[article.date.month - 1])]
        dated = f"Dated {article.date.day} {article.date.strftime('%B %Y')}"
    else:
        fields.append(("year", "{n.d.}"))
        dated = "Undated"
    note = dated + ("; title supplied at ingest, to review" if article.title_supplied else "")
    if article.url and _URL_OK.match(article.url):
        # Kept verbatim: pybtex reads the field as it stands and escapes it for LaTeX.
        fields.append(("url", "{" + article.url + "}"))
        if article.retrieved is not None:
            fields.append(("urldate", "{" + article.retrieved.isoformat() + "}"))
    fields += [("note", "{" + note + "}"), ("ingested", "{" + fingerprint(article) + "}")]
    body = ",\n".join(f"  {name:<12} = {value}" for name, value in fields)
    return f"@misc{{{key},\n{body},\n}}\n"


_URL_OK = re.compile(r"^https?://[^\s{}\\]+$", re.IGNORECASE)


def find_ingested(text: str, article: Article) -> str | None:
    """The key of an entry already made for this very article, if any."""
    mark = fingerprint(article)
    position = text.find(mark)
    if position < 0:
        return None
    keys = list(_KEY.finditer(text, 0, position))
    return keys[-1].group(1) if keys else None


def plan_entry(bib: Path, article: Article) -> tuple[str, str | None]:
    """The key for ``article`` and the entry text to append (None when it exists)."""
    text = bib.read_text(encoding="utf-8") if bib.exists() else ""
    found = find_ingested(text, article)
    if found:
        return found, None
    key = make_key(article, existing_keys(text))
    return key, entry_text(article, key)


def append_entry(bib: Path, entry: str) -> None:
    """Append one entry to ``bib`` atomically."""
    text = bib.read_text(encoding="utf-8") if bib.exists() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    atomic_write(bib, text + ("\n" if text else "") + entry)
