"""Merging an import's components into content/components.yml: existing entries are never
silently changed (a difference is a conflict unless `overwrite`), new ones are inserted
where they belong, keeping the file's own text and comments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..content.frontmatter import parse_yaml
from ..content.validate import build_components
from ..errors import Severity
from .source import (
    COMPONENTS_FILE,
    ComponentSpec,
    GroupSpec,
    ImportFailure,
    Source,
    _Loader,
    unique,
)
from .writer import Fields, Raw, emit

# --- components.yml ---------------------------------------------------------------------------


@dataclass
class Existing:
    groups: list[GroupSpec]
    components: list[ComponentSpec]  # outside groups
    group_of: dict[str, str]  # component id -> group id ("" outside groups)
    text: str


def read_existing(path: Path, display: str) -> Existing | None:
    if not path.is_file():
        return None
    raw = path.read_bytes()
    doc = parse_yaml(display, raw)
    groups, components = build_components(doc)
    errors = [f for f in doc.findings if f.severity is Severity.ERROR]
    if errors:
        raise ImportFailure(
            f"{display} has errors; fix them first (statusbook validate), nothing was imported:\n"
            + "\n".join(f.format_text() for f in errors)
        )
    by_id = {c.id: c for c in components}
    out_groups = [
        GroupSpec(
            g.id,
            g.name,
            g.description,
            [
                ComponentSpec(cid, by_id[cid].name, by_id[cid].description, by_id[cid].link)
                for cid in g.component_ids
            ],
        )
        for g in groups
    ]
    loose = [
        ComponentSpec(c.id, c.name, c.description, c.link) for c in components if not c.group_id
    ]
    group_of = {c.id: c.group_id for c in components}
    return Existing(out_groups, loose, group_of, raw.decode("utf-8"))


def _component_fields(c: ComponentSpec) -> Fields:
    return [
        ("id", Raw(c.id)),
        ("name", c.name),
        ("description", c.description or None),
        ("link", c.link or None),
    ]


def _group_fields(g: GroupSpec) -> Fields:
    return [
        ("id", Raw(g.id)),
        ("name", g.name),
        ("description", g.description or None),
        ("components", [_component_fields(c) for c in g.components]),
    ]


COMPONENTS_HEADER = (
    "# The components your customers see, in display order. Ids are used in incident files;\n"
    "# names and descriptions are what readers see. Groups are one level deep.\n"
)


def render_components(groups: list[GroupSpec], components: list[ComponentSpec]) -> str:
    fields: Fields = [
        ("groups", [_group_fields(g) for g in groups if g.components] or None),
        ("components", [_component_fields(c) for c in components] or None),
    ]
    return COMPONENTS_HEADER + "\n".join(emit(fields)) + "\n"


@dataclass
class _Merge:
    text: str | None  # new contents, None when the file stays as it is
    ids: dict[str, str]  # provisional id -> final id
    known: set[str]  # every component id after the merge
    conflicts: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)


def merge_components(
    source: Source, existing: Existing | None, overwrite: bool, display: str
) -> _Merge:
    """Fold the source's groups and components into the existing file's, without surprises."""
    if existing is None:
        known = {c.id for g in source.groups for c in g.components} | {
            c.id for c in source.components
        }
        ids = {i: i for i in known}
        return _Merge(render_components(source.groups, source.components), ids, known)

    merger = _Merger(existing, overwrite, display)
    for g in source.groups:
        target = merger.resolve_group(g)
        if not target:
            target = unique(g.id, merger.taken)
            new = GroupSpec(target, g.name, g.description, [])
            merger.groups.append(new)
            merger.group_by_id[target] = new
        for c in g.components:
            merger.place(c, target)
    for c in source.components:
        merger.place(c, "")
    return merger.result()


class _Merger:
    """One merge into an existing components.yml: its groups and components as the source's
    are folded in, what changed, and the conflicts and notes for the report."""

    def __init__(self, existing: Existing, overwrite: bool, display: str) -> None:
        self.existing, self.overwrite, self.display = existing, overwrite, display
        groups = [
            GroupSpec(g.id, g.name, g.description, list(g.components)) for g in existing.groups
        ]
        self.groups = groups
        self.loose = list(existing.components)
        self.group_by_id = {g.id: g for g in groups}
        self.comp_by_id = {c.id: c for g in groups for c in g.components} | {
            c.id: c for c in self.loose
        }
        self.group_of = dict(existing.group_of)
        self.taken = set(self.group_by_id) | set(self.comp_by_id)
        self.by_name: dict[str, list[str]] = {}
        for cid, c in self.comp_by_id.items():
            self.by_name.setdefault(c.name.casefold(), []).append(cid)
        self.group_by_name: dict[str, list[str]] = {}
        for g in groups:
            self.group_by_name.setdefault(g.name.casefold(), []).append(g.id)
        self.merge = _Merge(None, {}, set())
        self.added, self.replaced = False, False
        self.claimed: set[str] = set()

    def resolve_group(self, g: GroupSpec) -> str:
        """The existing group the source's group is (by id, else by a unique name), its
        differences applied or reported; "" for a new group."""
        display = self.display
        if g.id in self.group_by_id:
            target = g.id
        elif len(self.group_by_name.get(g.name.casefold(), [])) == 1:
            target = self.group_by_name[g.name.casefold()][0]
            self.merge.notes.append(
                (display, f"group '{g.name}' matched the existing group '{target}' by name")
            )
        else:
            return ""
        have = self.group_by_id[target]
        diffs = _diff(have.name, g.name, "name") + (
            _diff(have.description, g.description, "description") if g.description else []
        )
        if diffs:
            if self.overwrite:
                have.name = g.name
                have.description = g.description or have.description
                self.replaced = True
            else:
                self.merge.conflicts.append(
                    (
                        display,
                        f"group '{target}' differs: {'; '.join(diffs)}; kept the existing one",
                    )
                )
        return target

    def place(self, c: ComponentSpec, target_group: str) -> None:
        """The source's component as the existing one it is (by id, else by a unique name),
        else as a new component with a unique id in `target_group`."""
        final = ""
        if c.id in self.comp_by_id and c.id not in self.claimed:
            final = c.id
        else:
            same_name = [
                i for i in self.by_name.get(c.name.casefold(), []) if i not in self.claimed
            ]
            if len(same_name) == 1:
                final = same_name[0]
                self.merge.notes.append(
                    (
                        self.display,
                        f"component '{c.name}' matched the existing component '{final}' by name",
                    )
                )
        if final:
            self._update(c, final, target_group)
            return
        final = unique(c.id, self.taken)
        self.claimed.add(final)
        self.merge.ids[c.id] = final
        spec = ComponentSpec(final, c.name, c.description, c.link)
        self.comp_by_id[final] = spec
        _attach(spec, target_group, self.group_by_id, self.loose)
        self.group_of[final] = target_group
        self.added = True

    def _update(self, c: ComponentSpec, final: str, target_group: str) -> None:
        """An existing component the source names again: its differences applied (with
        `overwrite`) or reported."""
        self.claimed.add(final)
        self.merge.ids[c.id] = final
        have = self.comp_by_id[final]
        diffs = _diff(have.name, c.name, "name")
        if c.description:
            diffs += _diff(have.description, c.description, "description")
        if c.link:
            diffs += _diff(have.link, c.link, "link")
        moved = target_group is not None and self.group_of.get(final, "") != target_group
        if moved:
            diffs.append(
                f"group '{self.group_of.get(final) or '(none)'}' here, "
                f"'{target_group or '(none)'}' in the source"
            )
        if not diffs:
            return
        if not self.overwrite:
            self.merge.conflicts.append(
                (
                    self.display,
                    f"component '{final}' differs: {'; '.join(diffs)}; kept the existing one",
                )
            )
            return
        have.name = c.name
        have.description = c.description or have.description
        have.link = c.link or have.link
        if moved:
            _detach(final, self.groups, self.loose)
            _attach(have, target_group, self.group_by_id, self.loose)
            self.group_of[final] = target_group
        self.replaced = True

    def result(self) -> _Merge:
        """The merge: the file's new text when anything was added or replaced (inserted into
        the existing text when its layout allows, else rewritten), the ids, the notes."""
        merge, existing, display = self.merge, self.existing, self.display
        groups, loose = self.groups, self.loose
        merge.known = set(self.comp_by_id)
        if self.replaced:
            merge.text = render_components(groups, loose)
            if existing.text.lstrip().startswith("#") or "\n#" in existing.text:
                merge.notes.append(
                    (display, "rewritten with --overwrite: its comments were not kept")
                )
        elif self.added:
            merge.text = _insert(existing, groups, loose)
            if merge.text is None:
                merge.text = render_components(groups, loose)
                merge.notes.append(
                    (
                        display,
                        "rewritten in Statusbook's layout (its layout did not allow adding lines)",
                    )
                )
        return merge


def _diff(have: str, want: str, what: str) -> list[str]:
    return [] if have == want else [f"{what} '{have}' here, '{want}' in the source"]


def _detach(cid: str, groups: list[GroupSpec], loose: list[ComponentSpec]) -> None:
    for g in groups:
        g.components = [c for c in g.components if c.id != cid]
    loose[:] = [c for c in loose if c.id != cid]


def _attach(
    spec: ComponentSpec, group: str, group_by_id: dict[str, GroupSpec], loose: list[ComponentSpec]
) -> None:
    if group:
        group_by_id[group].components.append(spec)
    else:
        loose.append(spec)


def _insert(existing: Existing, groups: list[GroupSpec], loose: list[ComponentSpec]) -> str | None:
    """Add the new groups and components as lines, keeping the file's comments and layout.

    None when the layout is not plain block YAML we can extend safely.
    """
    text = existing.text if existing.text.endswith("\n") else existing.text + "\n"
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        return None
    lines = text.split("\n")[:-1]
    top = {k.value: v for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    old_groups = {g.id for g in existing.groups}
    old_members = {g.id: {c.id for c in g.components} for g in existing.groups}
    old_loose = {c.id for c in existing.components}
    inserts: list[tuple[int, list[str]]] = []
    appended: list[str] = []

    def items_at(seq: yaml.Node, new_items: list[Fields]) -> bool:
        spot = _block_spot(lines, seq)
        if spot is None:
            return False
        at, dash, key = spot
        block: list[str] = []
        for item in new_items:
            sub = emit(item, key)
            sub[0] = " " * dash + "-" + " " * (key - dash - 1) + sub[0][key:]
            block.extend(sub)
        inserts.append((at, block))
        return True

    group_nodes = top.get("groups")
    for g in groups:
        if g.id not in old_groups:
            continue
        new = [c for c in g.components if c.id not in old_members[g.id]]
        if not new:
            continue
        node = _group_node(group_nodes, g.id)
        members = _value(node, "components") if node is not None else None
        if members is None or not items_at(members, [_component_fields(c) for c in new]):
            return None
    new_groups = [_group_fields(g) for g in groups if g.id not in old_groups and g.components]
    if new_groups:
        if group_nodes is None:
            appended += ["groups:", *_as_items(new_groups)]
        elif not items_at(group_nodes, new_groups):
            return None
    new_loose = [_component_fields(c) for c in loose if c.id not in old_loose]
    if new_loose:
        node = top.get("components")
        if node is None:
            appended += ["components:", *_as_items(new_loose)]
        elif not items_at(node, new_loose):
            return None
    for at, block in sorted(inserts, key=lambda i: i[0], reverse=True):
        lines[at:at] = block
    out = "\n".join(lines + appended) + "\n"
    check = parse_yaml(COMPONENTS_FILE, out.encode("utf-8"))
    got_groups, got = build_components(check)
    if any(f.severity is Severity.ERROR for f in check.findings):
        return None
    want = {c.id: g.id for g in groups for c in g.components} | {c.id: "" for c in loose}
    if {c.id: c.group_id for c in got} != want:
        return None
    return out


def _as_items(items: list[Fields]) -> list[str]:
    out: list[str] = []
    for item in items:
        sub = emit(item, 4)
        sub[0] = "  - " + sub[0][4:]
        out.extend(sub)
    return out


def _value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if getattr(k, "value", None) == key), None)


def _group_node(groups: yaml.Node | None, gid: str) -> yaml.Node | None:
    if not isinstance(groups, yaml.SequenceNode):
        return None
    for item in groups.value:
        ident = _value(item, "id")
        if isinstance(ident, yaml.ScalarNode) and ident.value == gid:
            return item
    return None


def _block_spot(lines: list[str], seq: yaml.Node) -> tuple[int, int, int] | None:
    """Where to add an item to a block sequence of mappings: (line, dash column, key column)."""
    if not isinstance(seq, yaml.SequenceNode) or seq.flow_style or not seq.value:
        return None
    first = seq.value[0]
    if not isinstance(first, yaml.MappingNode) or first.flow_style:
        return None
    key = first.start_mark.column
    before = lines[first.start_mark.line][:key].rstrip()
    if not before.endswith("-") or before[:-1].strip():
        return None
    return _end_line(seq.value[-1]), len(before) - 1, key


def _end_line(node: yaml.Node) -> int:
    """The line index just after the last character of a node's content."""
    if isinstance(node, yaml.ScalarNode):
        mark = node.end_mark
        return mark.line + (1 if mark.column > 0 else 0)
    children: Iterable[yaml.Node]
    if isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    else:
        children = node.value
    return max((_end_line(n) for n in children), default=node.start_mark.line + 1)
