"""Reading the registry's YAML files: every entry validated, every problem with its file and line.

The files are composed node by node rather than loaded, so that each problem names the
line of the field at fault, and every problem of every file is collected before failing:
an editor fixes a whole file in one pass.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from briefbook.book.problems import Problem
from briefbook.entities.registry import (
    FILES,
    ID_RE,
    KIND_FIELDS,
    KINDS,
    ORG_KINDS,
    PLACE_KINDS,
    WIKIDATA_RE,
    Alias,
    Entity,
    EntityKind,
    Registry,
    RegistryError,
    Role,
    normalise,
)


class _Reader:
    """Walks YAML nodes of one file, keeping line numbers for every message."""

    def __init__(self, path: Path, display: str) -> None:
        self.path = path
        self.display = display
        self.problems: list[Problem] = []

    def problem(self, node: yaml.Node | None, code: str, message: str, line: int = 0) -> None:
        if node is not None:
            line = node.start_mark.line + 1
        self.problems.append(Problem(self.display, line, code, message))

    def scalar(self, node: yaml.Node, what: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, "BB308", f"{what}: expected text, got a {_node_kind(node)}")
            return None
        return str(node.value)

    def string_list(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node]]:
        if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, "BB308", f"{what}: expected a list, got a {_node_kind(node)}")
            return []
        out = []
        for item in node.value:
            value = self.scalar(item, what)
            if value is not None:
                out.append((value, item))
        return out


def _node_kind(node: yaml.Node) -> str:
    return {yaml.ScalarNode: "value", yaml.SequenceNode: "list", yaml.MappingNode: "mapping"}.get(
        type(node), "node"
    )


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(value: str) -> str:
    """NFC, without control characters (they corrupt HTML and LaTeX; they are reported)."""
    return _CONTROL.sub(" ", unicodedata.normalize("NFC", value))


def _load_entry(reader: _Reader, kind: EntityKind, node: yaml.MappingNode) -> Entity | None:
    fields: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        key = reader.scalar(key_node, "field name")
        if key is None:
            continue
        if key in fields:
            reader.problem(key_node, "BB306", f"field '{key}' given twice")
        if key not in KIND_FIELDS[kind]:
            allowed = ", ".join(sorted(KIND_FIELDS[kind]))
            reader.problem(key_node, "BB306", f"unknown field '{key}' for a {kind} (allowed: {allowed})")
            continue
        fields[key] = value_node

    entry_line = node.start_mark.line + 1
    before = len(reader.problems)
    values: dict[str, Any] = {"kind": kind, "path": reader.display, "line": entry_line}

    id_node = fields.get("id")
    entity_id = reader.scalar(id_node, "id") if id_node is not None else None
    if id_node is None:
        reader.problem(node, "BB303", f"{kind} entry has no 'id'")
    elif entity_id is not None and not ID_RE.match(entity_id):
        reader.problem(id_node, "BB307", f"id '{entity_id}' must be lowercase ASCII kebab-case "
                       "(letters, digits and single hyphens, e.g. 'lloyd-austin')")
    values["id"] = entity_id or ""

    name_node = fields.get("name")
    name = reader.scalar(name_node, "name") if name_node is not None else None
    if name_node is None or (name is not None and not name.strip()):
        reader.problem(name_node or node, "BB303", f"{kind} '{entity_id or '?'}' has no 'name'")
    values["name"] = _clean(name or "").strip()

    for text_field in ("native_name", "description", "sort_name"):
        if text_field in fields:
            values[text_field] = _clean(reader.scalar(fields[text_field], text_field) or "").strip()

    for text_field in ("native_name", "name", "sort_name"):
        raw_node = fields.get(text_field)
        text = str(raw_node.value) if isinstance(raw_node, yaml.ScalarNode) else ""
        if text and _CONTROL.search(text):
            reader.problem(fields.get(text_field, node), "BB308",
                           f"{text_field} contains a control character")

    if "wikidata" in fields:
        wikidata = reader.scalar(fields["wikidata"], "wikidata") or ""
        if not WIKIDATA_RE.match(wikidata):
            reader.problem(fields["wikidata"], "BB308", f"wikidata '{wikidata}' is not a Q-id like 'Q42'")
        values["wikidata"] = wikidata

    if "unreviewed" in fields:
        flag = reader.scalar(fields["unreviewed"], "unreviewed")
        values["unreviewed"] = str(flag).lower() in {"true", "yes", "1"}

    if "aliases" in fields:
        values["aliases"] = tuple(_load_aliases(reader, fields["aliases"]))

    if kind == "person" and "roles" in fields:
        values["roles"] = tuple(_load_roles(reader, fields["roles"]))

    if kind in ("place", "organization") and "kind" in fields:
        sub = reader.scalar(fields["kind"], "kind") or ""
        allowed_kinds = PLACE_KINDS if kind == "place" else ORG_KINDS
        if sub not in allowed_kinds:
            reader.problem(fields["kind"], "BB308",
                           f"kind '{sub}' is not one of: {', '.join(sorted(allowed_kinds))}")
        values["place_kind" if kind == "place" else "org_kind"] = sub
    if "country" in fields:
        values["country"] = reader.scalar(fields["country"], "country") or ""

    if kind == "place" and "coordinates" in fields:
        values["coordinates"] = _load_coordinates(reader, fields["coordinates"])

    if len(reader.problems) > before and not entity_id:
        return None
    return Entity(**values)


def _load_aliases(reader: _Reader, node: yaml.Node) -> Iterator[Alias]:
    if not isinstance(node, yaml.SequenceNode):
        reader.problem(node, "BB308", f"aliases: expected a list, got a {_node_kind(node)}")
        return
    for item in node.value:
        if isinstance(item, yaml.ScalarNode):
            if item.value.strip():
                yield Alias(_clean(item.value).strip())
            else:
                reader.problem(item, "BB308", "aliases: empty alias")
        elif isinstance(item, yaml.MappingNode):
            data = {k.value: v for k, v in item.value if isinstance(k, yaml.ScalarNode)}
            unknown = set(data) - {"name", "variant", "note"}
            if unknown:
                reader.problem(item, "BB306", f"alias: unknown field(s) {', '.join(sorted(unknown))} "
                               "(allowed: name, variant, note)")
            name_node = data.get("name")
            name = reader.scalar(name_node, "alias name") if name_node is not None else None
            if not name or not name.strip():
                reader.problem(item, "BB303", "alias has no 'name'")
                continue
            variant = str(getattr(data.get("variant"), "value", "false")).lower() in {"true", "yes"}
            note = reader.scalar(data["note"], "alias note") if "note" in data else ""
            yield Alias(_clean(name).strip(), variant, _clean(note or "").strip())
        else:
            reader.problem(item, "BB308", "aliases: each alias is a name or a mapping")


def _load_roles(reader: _Reader, node: yaml.Node) -> Iterator[Role]:
    if not isinstance(node, yaml.SequenceNode):
        reader.problem(node, "BB308", f"roles: expected a list, got a {_node_kind(node)}")
        return
    for item in node.value:
        if not isinstance(item, yaml.MappingNode):
            reader.problem(item, "BB308", "roles: each role is a mapping with title, start, end")
            continue
        data = {k.value: v for k, v in item.value if isinstance(k, yaml.ScalarNode)}
        unknown = set(data) - {"title", "start", "end"}
        if unknown:
            reader.problem(item, "BB306", f"role: unknown field(s) {', '.join(sorted(unknown))} "
                           "(allowed: title, start, end)")
        title = reader.scalar(data["title"], "role title") if "title" in data else None
        if not title:
            reader.problem(item, "BB303", "role has no 'title'")
            continue
        dates: dict[str, dt.date | None] = {"start": None, "end": None}
        for which in ("start", "end"):
            if which not in data:
                continue
            raw = reader.scalar(data[which], f"role {which}")
            parsed = _parse_date(raw) if raw is not None else None
            if parsed is None:
                reader.problem(data[which], "BB304",
                               f"role '{title}': {which} date '{raw}' is not a date (YYYY-MM-DD)")
            dates[which] = parsed
        if dates["start"] and dates["end"] and dates["end"] < dates["start"]:
            reader.problem(item, "BB304", f"role '{title}': end {dates['end']} is before start "
                           f"{dates['start']}")
        yield Role(_clean(title).strip(), dates["start"], dates["end"])


def _load_coordinates(reader: _Reader, node: yaml.Node) -> tuple[float, float] | None:
    raw: list[yaml.Node] = []
    if isinstance(node, yaml.SequenceNode):
        raw = list(node.value)
    elif isinstance(node, yaml.MappingNode):
        data = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        if {"lat", "lon"} <= set(data):
            raw = [data["lat"], data["lon"]]
    if len(raw) != 2 or not all(isinstance(n, yaml.ScalarNode) for n in raw):
        reader.problem(node, "BB305", "coordinates: expected [latitude, longitude] in decimal degrees")
        return None
    try:
        lat, lon = float(raw[0].value), float(raw[1].value)
    except ValueError:
        reader.problem(node, "BB305", "coordinates: latitude and longitude must be numbers")
        return None
    if not (-90 <= lat <= 90) or not (-180 <= lon <= 180) or lat != lat or lon != lon:
        reader.problem(node, "BB305", f"coordinates: ({lat}, {lon}) out of range "
                       "(latitude -90..90, longitude -180..180)")
        return None
    return (lat, lon)


def _display_path(path: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            pass
    return str(path)


def _compose(text: str) -> yaml.Node | None:
    """The YAML node tree, through libyaml when PyYAML has it (7x faster: a registry of a
    few hundred entities is read on every build); a file libyaml rejects is composed again
    by the pure-Python composer, so syntax errors keep PyYAML's own wording."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def load_file(path: Path, kind: EntityKind, base: Path | None = None) -> tuple[list[Entity], list[Problem]]:
    """Parse one registry file; return its entities and the problems found in it."""
    reader = _Reader(path, _display_path(path, base))
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        reader.problem(None, "BB309", f"not valid UTF-8 (byte {exc.start})", line)
        return [], reader.problems
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        reader.problem(None, "BB309", f"YAML syntax error: {exc.problem or exc}", line)
        return [], reader.problems
    except yaml.YAMLError as exc:
        reader.problem(None, "BB309", f"YAML error: {exc}", 1)
        return [], reader.problems
    if root is None:
        return [], []
    if not isinstance(root, yaml.SequenceNode):
        reader.problem(root, "BB308", f"expected a list of {kind} entries (each starting with '- id:')")
        return [], reader.problems
    entities = []
    for item in root.value:
        if not isinstance(item, yaml.MappingNode):
            reader.problem(item, "BB308", f"each {kind} entry is a mapping of fields")
            continue
        entity = _load_entry(reader, kind, item)
        if entity is not None:
            entities.append(entity)
    return entities, reader.problems


def cross_check(entities: Iterable[Entity]) -> list[Problem]:
    """Problems that span entries: duplicate ids, one name claimed by two entities."""
    problems: list[Problem] = []
    seen_ids: dict[str, Entity] = {}
    claimed: dict[str, tuple[Entity, str]] = {}
    for entity in entities:
        if entity.id in seen_ids:
            first = seen_ids[entity.id]
            where = f"{first.path}:{first.line}"
            problems.append(Problem(entity.path, entity.line, "BB301",
                                    f"duplicate id '{entity.id}' (first defined at {where})"))
            continue
        seen_ids[entity.id] = entity
        for name in dict.fromkeys(normalise(n) for n in entity.all_names):
            original = next(n for n in entity.all_names if normalise(n) == name)
            if name in claimed and claimed[name][0].id != entity.id:
                other = claimed[name][0]
                problems.append(Problem(entity.path, entity.line, "BB302",
                                        f"name or alias '{original}' of '{entity.id}' is already "
                                        f"claimed by '{other.id}' ({other.path}:{other.line})"))
            else:
                claimed[name] = (entity, original)
    return problems


def load_registry(folder: str | Path, base: Path | None = None, lenient: bool = False) -> Registry:
    """Load every registry file in ``folder``; raise :class:`RegistryError` listing all problems.

    ``lenient`` keeps going past problems (first of two duplicate ids wins), for
    ``briefbook check``, which reports the problems itself and still checks the pages.
    """
    folder = Path(folder)
    entities: list[Entity] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        raise RegistryError([Problem(str(folder), 0, "BB309", "registry folder not found")])
    for kind in KINDS:
        path = folder / FILES[kind]
        if path.exists():
            found, issues = load_file(path, kind, base)
            entities.extend(found)
            problems.extend(issues)
    problems.extend(cross_check(entities))
    if problems and not lenient:
        raise RegistryError(sorted(problems, key=lambda p: (p.path, p.line)))
    kept: dict[str, Entity] = {}
    for entity in entities:
        kept.setdefault(entity.id, entity)
    return Registry(kept, folder=str(folder))

