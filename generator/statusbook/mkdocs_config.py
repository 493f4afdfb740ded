"""mkdocs.yml read and checked, its problems as findings at `mkdocs.yml:LINE:COL`, like content.

MkDocs' own loader reads the file as it always has (`!ENV`, `!relative`, `!!python/name:`,
`INHERIT`). Only to say *where* something is wrong is the file composed into YAML nodes: composing
builds no values, so any tag is accepted there.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from mkdocs import exceptions
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from .config import StatusbookConfig
from .errors import Finding, Severity
from .frontmatter import yaml_hint

_Composer: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PLUGIN = "statusbook"
# https://www.mkdocs.org/user-guide/configuration/ has one anchor per top-level option.
_DOCS = "https://www.mkdocs.org/user-guide/configuration/#"


class Located:
    """mkdocs.yml composed into nodes, to find the line of a key or a value."""

    def __init__(self, shown: str, text: str) -> None:
        self.shown = shown
        try:
            self.root: yaml.Node | None = yaml.compose(text, Loader=_Composer)
        except yaml.YAMLError:
            self.root = None

    def finding(
        self, path: tuple[str, ...], message: str, hint: str = "", key: bool = False, **kw: Any
    ) -> Finding:
        """A finding at the deepest node of `path` found (the whole file when none is)."""
        line, col = self.where(path, key)
        return Finding(self.shown, line, col, message, hint, **kw)

    def where(self, path: tuple[str, ...], key: bool = False) -> tuple[int, int]:
        node, best = self.root, (0, 0)
        for name in path:
            found = _child(node, name)
            if found is None:
                return best
            key_node, node = found
            mark = (key_node if key else node).start_mark
            best = (mark.line + 1, mark.column + 1)
        return best


def _child(node: yaml.Node | None, name: str) -> tuple[yaml.Node, yaml.Node] | None:
    """The (key node, value node) named `name` under a mapping; under `plugins:` given as a
    list, the item `- name` or `- name: {...}` (the item's own node stands for both)."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == name:
                return key_node, value_node
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.ScalarNode) and item.value == name:
                return item, item
            found = _child(item, name) if isinstance(item, yaml.MappingNode) else None
            if found is not None:
                return found
    return None


def _duplicates(located: Located) -> Iterator[Finding]:
    """Keys written twice in one mapping: YAML, and so MkDocs, silently keeps the last."""
    stack = [located.root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        if not isinstance(node, yaml.MappingNode):
            continue
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            stack.append(value_node)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<":
                continue
            name, line = key_node.value, key_node.start_mark.line + 1
            if name in seen:
                yield Finding(
                    located.shown,
                    line,
                    key_node.start_mark.column + 1,
                    f"'{name}' appears twice (first on line {seen[name]})",
                    "keep one of them; MkDocs would silently use the last",
                )
            else:
                seen[name] = line


def read(path: Path, shown: str) -> tuple[dict[str, Any] | None, Located, list[Finding]]:
    """The file as MkDocs' loader reads it, and what is wrong with its YAML."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    located = Located(shown, text)
    try:
        with open(path, "rb") as f:
            raw = yaml_load(f)
    except exceptions.ConfigurationError as exc:
        return None, located, [_yaml_finding(path, located, exc)]
    findings = list(_duplicates(located))
    return raw, located, findings


def _yaml_finding(path: Path, located: Located, exc: Exception) -> Finding:
    """Where MkDocs' loader failed. Its error carries the place only inside its text, so the
    file is read again with the same loader to get the marked error itself."""
    try:
        with open(path, "rb") as f:
            yaml.load(f, Loader=get_yaml_loader())  # noqa: S506 - MkDocs' own loader, as MkDocs
    except yaml.MarkedYAMLError as marked:
        mark = marked.problem_mark or marked.context_mark
        problem = marked.problem or "invalid YAML"
        if marked.context:
            problem = f"{problem} ({marked.context})"
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        if isinstance(marked, yaml.constructor.ConstructorError):
            return Finding(
                located.shown,
                line,
                col,
                f"cannot read this value: {problem}",
                "check the tag (e.g. !ENV NAME, !!python/name:module.name) and that what it "
                "names exists",
            )
        return Finding(
            located.shown, line, col, f"YAML syntax error: {problem}", yaml_hint(problem)
        )
    except (yaml.YAMLError, OSError):
        pass
    message = str(exc).strip()
    if message.startswith("Inherited config file"):
        return located.finding(("INHERIT",), message, "check the path after INHERIT:")
    return Finding(located.shown, 0, 0, message, "check the file's YAML syntax")


# --- the statusbook plugin's options ---------------------------------------------------------


def plugin_entry(raw: dict[str, Any] | None) -> dict[str, Any] | None:
    """Our plugin's options from a loaded mkdocs.yml, or None when the plugin is not listed."""
    plugins = raw.get("plugins") if isinstance(raw, dict) else None
    entries: list[tuple[Any, Any]] = []
    if isinstance(plugins, dict):
        entries = list(plugins.items())
    for entry in plugins if isinstance(plugins, list) else []:
        if isinstance(entry, dict) and len(entry) == 1:
            entries.append(next(iter(entry.items())))
        else:
            entries.append((entry, None))
    found = next((v for k, v in entries if k == PLUGIN), False)
    if found is False:
        return None
    return dict(found) if isinstance(found, dict) else {}


def check_options(
    options: dict[str, Any], located: Located, config_file: str
) -> tuple[StatusbookConfig | None, list[Finding]]:
    """The plugin's options checked as MkDocs checks them, and beyond: an unknown name is an
    error with a did-you-mean (MkDocs only warns), a wrong type names what is expected."""
    schema = dict(StatusbookConfig._schema)
    at = ("plugins", PLUGIN)
    findings = []
    for name in options:
        if name not in schema and name != "enabled":
            findings.append(
                located.finding(
                    (*at, str(name)),
                    f"unknown option '{name}' of the statusbook plugin",
                    _option_hint(str(name), schema),
                    key=True,
                )
            )
    known = {k: _widened(schema[k], v) for k, v in options.items() if k in schema}
    # MkDocs' Config.validate stops at the first bad option: check each on its own, so that
    # one run reports them all.
    errors = [_option_error(name, value, config_file) for name, value in known.items()]
    for name, error in filter(None, errors):
        findings.append(
            located.finding(
                (*at, name),
                f"statusbook option '{name}' {_expected(schema[name], error)}, "
                f"found {_describe(known[name])}",
                f"write e.g. {name}: {_example(schema[name])}",
            )
        )
    opts = StatusbookConfig(config_file_path=config_file)
    opts.load_dict(known)
    if not findings:  # each option passed on its own; this fills in the defaults
        findings += [
            located.finding((*at, name), f"statusbook option '{name}': {error}")
            for name, error in opts.validate()[0]
        ]
    if "timezone" in known and not findings:
        try:
            ZoneInfo(opts.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            findings.append(
                located.finding(
                    (*at, "timezone"),
                    f"statusbook option 'timezone' is '{opts.timezone}', not an IANA timezone",
                    "write an IANA name, e.g. timezone: Europe/Berlin, UTC or America/New_York",
                )
            )
    return (None if findings else opts), findings


def _widened(option: Any, value: Any) -> Any:
    """`partial_outage_weight: 1` is a number too (MkDocs' Type(float) refuses an int)."""
    if getattr(option, "_type", None) is float and type(value) is int:
        return float(value)
    return value


def _option_error(name: str, value: Any, config_file: str) -> tuple[str, str] | None:
    option = dict(StatusbookConfig._schema)[name]
    if type(value) is bool and getattr(option, "_type", None) in (int, float):
        return name, "a boolean"  # Python's True is an int: `uptime_days: true` would pass as 1
    alone = StatusbookConfig(config_file_path=config_file)
    alone.load_dict({name: value})
    problems, _ = alone.validate()
    return (name, str(problems[0][1])) if problems else None


def _option_hint(name: str, schema: dict[str, Any]) -> str:
    close = difflib.get_close_matches(name, list(schema), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "the options are: " + ", ".join(sorted(schema))


_KINDS = {
    bool: "true or false",
    int: "a whole number",
    float: "a number",
    str: "text",
    dict: "a mapping of names to values",
}


def _expected(option: Any, error: str) -> str:
    if getattr(option, "expected", None):
        return f"must be {option.expected}"
    if isinstance(option, c.ListOfItems):
        return "must be a list of text"
    kind = _KINDS.get(getattr(option, "_type", None))  # type: ignore[arg-type]
    return f"must be {kind}" if kind else f"is not valid ({error})"


def _example(option: Any) -> str:
    if getattr(option, "example", None):
        return str(option.example)
    default = option.default
    if isinstance(default, bool):
        return "true" if default else "false"
    if isinstance(default, list):
        return "[" + ", ".join(default[:3]) + '] (quote an item that reads as a number: "1")'
    if isinstance(default, dict):
        return "{}"
    return str(default)


def _describe(value: Any) -> str:
    if value is None:
        return "no value"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        odd = next((v for v in value if not isinstance(v, str)), None)
        return "a list" if odd is None else f"a list with {_describe(odd)} in it"
    return f"'{value}'"


# --- MkDocs' own checks ----------------------------------------------------------------------

_log = logging.getLogger("mkdocs.config")  # where MkDocs' load_config logs


def load_mkdocs(
    path: Path, located: Located, **overrides: Any
) -> tuple[MkDocsConfig | None, list[Finding]]:
    """`mkdocs.config.load_config`, step by step as in MkDocs 1.6 (mkdocs/config/base.py),
    with each validation error placed on its line instead of logged."""
    cfg = MkDocsConfig(config_file_path=str(path))
    try:
        with open(path, "rb") as f:
            cfg.load_file(f)
    except exceptions.ConfigurationError as exc:
        return None, [_yaml_finding(path, located, exc)]
    cfg.load_dict({k: v for k, v in overrides.items() if v is not None})
    errors, warnings = cfg.validate()
    findings = [_mkdocs_finding(located, name, str(e)) for name, e in errors]
    if cfg.strict:
        findings += [_mkdocs_finding(located, name, str(w)) for name, w in warnings]
    else:
        for name, warning in warnings:
            _log.warning(f"Config value '{name}': {warning}")
    return (None if findings else cfg), findings


_NAMED = re.compile(r"""Plugin '([^']+)'|['"]([^'"]+)['"] plugin|(?:option|Sub-option) '([^']+)'""")


def _mkdocs_finding(located: Located, name: str, message: str) -> Finding:
    """Place a MkDocs message on the deepest key it names: `plugins` -> plugin -> option."""
    path = [name]
    for match in _NAMED.finditer(message):
        path.append(next(g for g in match.groups() if g))
    if name == "theme" and "theme name" in message:
        path.append("name")
    return located.finding(
        tuple(path),
        f"'{name}': {message}",
        f"see {_DOCS}{name.replace('_', '-')}",
        severity=Severity.ERROR,
    )
