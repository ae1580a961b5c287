"""Safe YAML for form files: every scalar stays a string, each value keeps its line.

Codes such as `01` must stay `01`, amounts must never pass through float, duplicate keys must
fail, and nothing in the file may build Python objects or blow up through aliases. So the file
is only *composed* into nodes; this module turns the nodes into dicts, lists and strings and
records the line of every path, so that pydantic's error locations map back to lines.
"""

import hashlib
import os
import sys
from pathlib import Path

from wenuan import __version__
from wenuan.errors import FormFileError
from wenuan.words.messages import t

MAX_BYTES = 2_000_000
MAX_DEPTH = 32  # mappings and lists within each other: the built-in forms need 9
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


def read(path: Path) -> bytes:
    """A form file's bytes, refused when too large to be one."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise FormFileError(path, None, t("yaml_too_large", size=size, limit=MAX_BYTES))
    return path.read_bytes()


def load(path: Path, raw: bytes | None = None) -> tuple[dict, Lines]:
    """The form file as plain data (all scalars strings or None) and the line of every path.
    `raw`: the file's bytes, when read already."""
    import json  # a command reading checked forms (the cache's pickle) needs none

    raw = read(path) if raw is None else raw
    cached = cache_file(raw)
    if cached and cached.is_file():
        try:
            stored = json.loads(cached.read_text(encoding="utf-8"))
            return stored["data"], {tuple(k): v for k, v in stored["lines"]}
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a damaged cache entry: parse the file again
    from ruamel.yaml import YAML  # some 15 ms of a command's start: only when not cached
    from ruamel.yaml.composer import MaxDepthExceededError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    text = raw.decode("utf-8-sig", errors="replace")
    yaml = YAML(typ="rt")
    yaml.max_depth = MAX_DEPTH  # composing recurses: a file nested thousands deep stops here
    try:
        node = yaml.compose(text)
    except MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else None
        if isinstance(e, MaxDepthExceededError):
            raise FormFileError(path, line, t("yaml_too_deep", limit=MAX_DEPTH)) from None
        raise FormFileError(path, line, t("yaml_syntax", detail=e.problem or e.context)) from None
    except YAMLError as e:
        raise FormFileError(path, None, t("yaml_syntax", detail=str(e))) from None
    if node is None or type(node).__name__ != "MappingNode":
        raise FormFileError(path, 1, t("yaml_not_mapping"))
    lines: Lines = {}
    data = _convert(node, (), lines, set(), path)
    if cached:
        entry = {"data": data, "lines": [[list(k), v] for k, v in lines.items()]}
        store(cached, json.dumps(entry, ensure_ascii=False).encode())
    return data, lines


def cache_dir() -> Path | None:
    """Where parsed form files are kept: $WENUAN_CACHE, else the user's cache folder."""
    if env := os.environ.get("WENUAN_CACHE"):
        return Path(env) if env != "off" else None
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "wenuan" / "cache"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "wenuan"


def cache_file(
    raw: bytes, kind: str = "form", suffix: str = ".json", salt: str = ""
) -> Path | None:
    """The cache entry for a file's exact bytes (and `salt`): YAML parsing is the slow part of
    loading a form."""
    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(raw + __version__.encode() + salt.encode()).hexdigest()
    return folder / f"{kind}-{digest}{suffix}"


def store(target: Path, content: bytes) -> None:
    """Write a cache entry atomically; a cache that cannot be written is simply not used."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(content)
        os.replace(tmp, target)
    except OSError:
        pass


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
        if type(key_node).__name__ != "ScalarNode":
            raise FormFileError(path, key_node.start_mark.line + 1, t("yaml_bad_key"))
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
