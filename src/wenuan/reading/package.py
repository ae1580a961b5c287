"""A workbook's file as its readers share it: a return's bytes read from disk once, its zip
directory parsed once and each part inflated at most once (the bounds' look, the hidden columns
and rows, the formats shown in 万元 all read the same sheets, styles and workbook.xml)."""

import io
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from wenuan.reading.extent import WHOLE, _part


@dataclass
class Package:
    """A workbook's file: its bytes when it is small (a return), its zip's directory once read,
    and its parts inflated so far, by name. A large file (a list) is read from disk in pieces."""

    path: Path
    data: bytes | None = None
    infos: list[zipfile.ZipInfo] | None = None
    parts: dict[str, bytes] = field(default_factory=dict, repr=False)
    _members: dict[str, zipfile.ZipInfo] | None = field(default=None, repr=False)

    @classmethod
    def open(cls, path: Path) -> "Package":
        """The file read whole when it is at most WHOLE bytes, else left on disk."""
        with open(path, "rb") as f:
            small = f.seek(0, 2) <= WHOLE
            f.seek(0)
            return cls(path, f.read() if small else None)

    @cached_property
    def suffix(self) -> str:
        return self.path.suffix.lower()

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else self.path.stat().st_size

    def raw(self):
        """The file's bytes to seek in: from memory, or from disk."""
        return io.BytesIO(self.data) if self.data is not None else open(self.path, "rb")

    def directory(self) -> list[zipfile.ZipInfo]:
        """The zip's directory, parsed once."""
        if self.infos is None:
            with self.raw() as raw, zipfile.ZipFile(raw) as z:
                self.infos = z.infolist()
        return self.infos

    def members(self) -> dict[str, zipfile.ZipInfo]:
        """The directory by name (the last of a name, as zipfile)."""
        if self._members is None:
            self._members = {i.filename: i for i in self.directory()}
        return self._members

    def read(self, name: str) -> bytes:
        """A part's bytes, as zipfile's read (KeyError when there is none), inflated once and no
        further than the directory says."""
        if (data := self.parts.get(name)) is None:
            info = self.members()[name]
            with self.raw() as raw:
                data = self.parts[name] = _part(raw, info)
        return data


def package(source: "Path | Package") -> Package:
    """`source` as a Package (a path is opened, its directory not yet read)."""
    return source if isinstance(source, Package) else Package.open(source)
