"""Safe YAML for form files: every scalar stays a string, each value keeps its line.

Codes such as `01` must stay `01`, amounts must never pass through float, duplicate keys must
fail, and nothing in the file may build Python objects or blow up through aliases. So the file
is only *composed* into nodes; this module turns the nodes into dicts, lists and strings and
records the line of every path, so that pydantic's error locations map back to lines.
"""

from pathlib import Path

from wenuan.errors import FormFileError
from wenuan.messages import t

MAX_BYTES = 2_000_000
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}

Lines = dict[tuple, int]


def load(path: Path) -> tuple[dict, Lines]:
    """The form file as plain data (all scalars strings or None) and the line of every path."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    size = path.stat().st_size
    if size > MAX_BYTES:
        raise FormFileError(path, None, t("yaml_too_large", size=size, limit=MAX_BYTES))
    text = path.read_text(encoding="utf-8-sig")
    try:
        node = YAML(typ="rt").compose(text)
    except MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else None
        raise FormFileError(path, line, t("yaml_syntax", detail=e.problem or e.context)) from None
    except YAMLError as e:
        raise FormFileError(path, None, t("yaml_syntax", detail=str(e))) from None
    if node is None or type(node).__name__ != "MappingNode":
        raise FormFileError(path, 1, t("yaml_not_mapping"))
    lines: Lines = {}
    data = _convert(node, (), lines, set(), path)
    return data, lines


def _convert(node, where: tuple, lines: Lines, seen: set, path: Path):
    line = node.start_mark.line + 1
    if id(node) in seen or getattr(node, "anchor", None):
        raise FormFileError(path, line, t("yaml_alias"))
    seen.add(id(node))
    lines[where] = line
    tag = str(getattr(node.tag, "value", node.tag))
    if tag not in _PLAIN_TAGS:
        raise FormFileError(path, line, t("yaml_tag", tag=tag))
    kind = type(node).__name__
    if kind == "ScalarNode":
        if tag == "tag:yaml.org,2002:null" and node.style is None:
            return None
        return node.value
    if kind == "SequenceNode":
        return [_convert(n, (*where, i), lines, seen, path) for i, n in enumerate(node.value)]
    out: dict = {}
    first: dict = {}
    for key_node, value_node in node.value:
        key = _convert(key_node, where, lines, seen, path)
        if key in out:
            raise FormFileError(
                path,
                key_node.start_mark.line + 1,
                t("yaml_duplicate_key", key=key, first=first[key]),
            )
        first[key] = key_node.start_mark.line + 1
        out[key] = _convert(value_node, (*where, key), lines, seen, path)
    lines[where] = line
    return out


def line_of(lines: Lines, loc: tuple) -> int | None:
    """The line of the deepest recorded path that `loc` starts with."""
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())
