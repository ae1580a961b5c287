"""The units that must report: their names, the names each may go by, and a roster file."""

from pathlib import Path

from wenuan.forms.model import Unit
from wenuan.reading import norm
from wenuan.words.messages import t

_SUFFIXES = ("工会委员会", "总工会", "工会")


def unit_key(name: str) -> str:
    """A unit's name as compared: 叶县总工会, 叶县 工会 and 叶县 are one unit."""
    key = norm(name)
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


class Roster:
    """The units that must report, and every name each may go by."""

    def __init__(self, units: list[Unit]):
        self.names = [u.name for u in units]
        self._canonical = {}
        self._full = {}
        for u in units:
            unions = [n for n in (u.name, *u.aliases) if n.endswith(_SUFFIXES)]
            self._full[u.name] = max(unions, key=len) if unions else u.name
            for name in (u.name, *u.aliases):
                self._canonical.setdefault(unit_key(name), u.name)

    def canonical(self, name: str) -> str:
        """The roster's name for a unit, or the name as given when the roster lacks it."""
        return self._canonical.get(unit_key(name), name.strip())

    def full(self, name: str) -> str:
        """A unit's full name, as a letter addresses it: 鲁山县总工会 for 鲁山."""
        return self._full.get(self.canonical(name), name)

    def __contains__(self, name: str) -> bool:
        return unit_key(name) in self._canonical


def read_roster(path: Path) -> list[Unit]:
    """A roster from a text file (a unit a line) or a workbook (first column, first sheet)."""
    from wenuan.checking.validate import input_problem
    from wenuan.errors import WenuanError
    from wenuan.reading import Unreadable, open_workbook

    if why := input_problem(path):
        raise WenuanError("bad_roster", path=str(path), why=t(why, path=path.name))
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
            wb = open_workbook(path)
            try:
                rows = wb.get_sheet_by_index(0).to_python()
            finally:
                wb.close()
            names = [str(r[0]).strip() for r in rows if r and str(r[0]).strip()]
        else:
            names = [line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines()]
    except UnicodeDecodeError:
        raise WenuanError("bad_roster", path=str(path), why=t("not_utf8")) from None
    except Unreadable as e:
        raise WenuanError(
            "bad_roster", path=str(path), why=t(f"read_{e}", path=path.name, **e.params)
        ) from None
    except OSError as e:
        raise WenuanError("bad_roster", path=str(path), why=e.strerror or str(e)) from None
    return [Unit(name=n) for n in names if n and not n.startswith("#")]
