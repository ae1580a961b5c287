"""A campaign's state on disk: one SQLite file and the received files, stored by content hash.

Everything lives in `DIR/wenuan-data/`: `wenuan.db` (the chosen form, every submission with its
findings) and `files/<sha256>` (each file as received, written once, never changed). A
connection is opened per request and every change is one transaction, so two browser tabs, two
uploads at once and a restart all see the same campaign.
"""

import hashlib
import json
import os
import sqlite3
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from wenuan.checking.findings import FileReport, Finding

DATA = "wenuan-data"
CLERK, LINK, TYPED = "clerk", "link", "typed"  # how a return came: dropped by the city's clerk,
# uploaded through the unit's own link, or typed in on its page
SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS submissions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  form TEXT NOT NULL,         -- the campaign's form the file was checked against
  unit_key TEXT NOT NULL,     -- who sent it: the roster's key, else the file's name
  file_name TEXT NOT NULL,    -- as uploaded: shown, never used as a path
  sha256 TEXT NOT NULL,       -- the stored file: files/<sha256>
  size INTEGER NOT NULL,
  uploaded_at TEXT NOT NULL,  -- ISO time the server received it
  errors INTEGER NOT NULL,
  warnings INTEGER NOT NULL,
  report TEXT NOT NULL,       -- JSON: the FileReport, its values and header
  withdrawn INTEGER NOT NULL DEFAULT 0  -- taken back on the page: kept, not counted
);
CREATE INDEX IF NOT EXISTS by_unit ON submissions (form, unit_key, id);
CREATE TABLE IF NOT EXISTS links (  -- each unit's personal link (databases before it gain it)
  unit_key TEXT PRIMARY KEY,
  token_sha256 TEXT NOT NULL UNIQUE,  -- the token itself is never kept: only its hash
  issued_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS explanations (  -- 核实说明: why a warning's figure is right
  form TEXT NOT NULL,
  unit_key TEXT NOT NULL,
  finding TEXT NOT NULL,      -- the warning's key (campaign.finding_key)
  text TEXT NOT NULL,
  written_at TEXT NOT NULL,
  PRIMARY KEY (form, unit_key, finding)
);
CREATE TABLE IF NOT EXISTS audit (  -- who did what, when: kept, never changed
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  who TEXT NOT NULL,          -- a unit's name (through its link), or the city
  what TEXT NOT NULL,         -- clerk, link, typed, explain, withdraw, link_given, link_renewed
  unit_key TEXT NOT NULL,
  sha256 TEXT NOT NULL,       -- the file's, when there is one
  detail TEXT NOT NULL        -- the file's name, the explanation's words
);
"""
# Databases made before it get `previous`, each submission's place in its unit's chain: a
# submission has one successor at most, so two requests cannot both follow the same one (the
# same file sent by many at once is recorded once). Copies such requests recorded earlier go.
CHAIN = [
    "ALTER TABLE submissions ADD COLUMN previous INTEGER NOT NULL DEFAULT 0",
    "DELETE FROM submissions WHERE id IN (SELECT s.id FROM submissions s JOIN submissions p"
    " ON p.id = (SELECT MAX(id) FROM submissions WHERE form = s.form AND unit_key = s.unit_key"
    " AND id < s.id) WHERE p.sha256 = s.sha256 AND NOT p.withdrawn AND NOT s.withdrawn)",
    "UPDATE submissions SET previous = COALESCE((SELECT MAX(p.id) FROM submissions p"
    " WHERE p.form = submissions.form AND p.unit_key = submissions.unit_key"
    " AND p.id < submissions.id), 0)",
    "CREATE UNIQUE INDEX one_after_another ON submissions (form, unit_key, previous)",
]


@dataclass
class Submission:
    """One file a unit sent: what it was, when it came, and what checking it found."""

    id: int
    form: str
    unit_key: str
    file_name: str
    sha256: str
    size: int
    uploaded_at: str
    errors: int
    warnings: int
    withdrawn: int
    report: FileReport
    via: str = CLERK


class Store:
    """The campaign directory's database and file store."""

    def __init__(self, campaign: Path):
        self.root = campaign / DATA
        self.files = self.root / "files"
        self.files.mkdir(parents=True, exist_ok=True)
        self.db = self.root / "wenuan.db"
        with self.connect() as db:
            db.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
            db.executescript(SCHEMA)
            db.execute("BEGIN IMMEDIATE")
            columns = {r["name"] for r in db.execute("PRAGMA table_info(submissions)")}
            for step in CHAIN if "previous" not in columns else []:
                db.execute(step)
            if "via" not in columns:  # how each came: by the clerk, unless a unit's link says
                db.execute(
                    f"ALTER TABLE submissions ADD COLUMN via TEXT NOT NULL DEFAULT '{CLERK}'"
                )
            db.execute("COMMIT")

    @contextmanager
    def connect(self):
        """A connection for one request; changes made in it are committed at the end, whole."""
        db = sqlite3.connect(self.db, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
        try:
            yield db
        finally:
            db.close()

    def setting(self, key: str) -> str | None:
        with self.connect() as db:
            row = db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else None

    def set_setting(self, key: str, value: str, only_if_unset: bool = False) -> str:
        """Set a setting (or keep the one there when `only_if_unset`); the value now in force."""
        with self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            verb = "INSERT OR IGNORE" if only_if_unset else "INSERT OR REPLACE"
            db.execute(f"{verb} INTO settings (key, value) VALUES (?, ?)", (key, value))
            db.execute("COMMIT")
            return db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()[0]

    def keep(self, source, most: int) -> tuple[str, int] | None:
        """Store an uploaded file (a binary file object) by its SHA-256: the hash and the size,
        or None, keeping nothing, for a file over `most` bytes. A file already stored stays."""
        digest, size = hashlib.sha256(), 0
        fd, tmp = tempfile.mkstemp(dir=self.files, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                while block := source.read(min(1 << 16, most + 1 - size)):
                    digest.update(block)
                    size += len(block)
                    out.write(block)
                    if size > most:
                        return None
            target = self.files / digest.hexdigest()
            if not target.exists():
                os.chmod(tmp, 0o444)  # received files are evidence: never changed
                os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)
        return digest.hexdigest(), size

    def path(self, sha256: str) -> Path:
        """Where a stored file is; the name is its hash, never a name from the upload."""
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise KeyError(sha256)
        return self.files / sha256

    def add(
        self, form: str, unit_key: str, name: str, sha256: str, size: int, report, via=CLERK
    ) -> int | None:
        """Record a submission in one transaction: its id, the highest of its unit standing;
        None, recording nothing, when it is the file the unit's standing submission holds."""
        data = report.to_json()
        data["values"] = {k: str(v) for k, v in report.values.items()}
        data["places"] = report.places
        data["header"] = {k: _plain(v) for k, v in report.header.items()}
        with self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            last = db.execute(
                "SELECT id, sha256, withdrawn FROM submissions WHERE form = ? AND unit_key = ?"
                " ORDER BY id DESC LIMIT 1",
                (form, unit_key),
            ).fetchone()
            if last and last["sha256"] == sha256 and not last["withdrawn"]:
                db.execute("ROLLBACK")
                return None
            cur = db.execute(
                "INSERT INTO submissions (form, unit_key, file_name, sha256, size, uploaded_at,"
                " errors, warnings, report, previous, via)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    form,
                    unit_key,
                    name,
                    sha256,
                    size,
                    datetime.now().isoformat(timespec="seconds"),
                    report.errors,
                    report.warnings,
                    json.dumps(data, ensure_ascii=False),
                    last["id"] if last else 0,
                    via,
                ),
            )
            db.execute("COMMIT")
            return cur.lastrowid

    def latest(self, form: str) -> list[Submission]:
        """Each unit's last submission for the form, in the order they first came."""
        with self.connect() as db:
            rows = db.execute(
                "SELECT * FROM submissions s WHERE form = ? AND NOT withdrawn AND id = (SELECT"
                " MAX(id) FROM submissions WHERE form = s.form AND unit_key = s.unit_key)"
                " ORDER BY (SELECT MIN(id) FROM submissions WHERE form = s.form"
                " AND unit_key = s.unit_key)",
                (form,),
            ).fetchall()
        return [_submission(r) for r in rows]

    def history(self, form: str, unit_key: str) -> list[Submission]:
        """Every submission of a unit, the latest first."""
        with self.connect() as db:
            rows = db.execute(
                "SELECT * FROM submissions WHERE form = ? AND unit_key = ? ORDER BY id DESC",
                (form, unit_key),
            ).fetchall()
        return [_submission(r) for r in rows]

    def withdraw(self, form: str, unit_key: str) -> None:
        """Mark a unit's submissions withdrawn: kept in the history, out of the roster."""
        with self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "UPDATE submissions SET withdrawn = 1 WHERE form = ? AND unit_key = ?",
                (form, unit_key),
            )
            db.execute("COMMIT")

    def counts(self, form: str) -> dict[str, int]:
        """How many submissions each unit has made."""
        with self.connect() as db:
            rows = db.execute(
                "SELECT unit_key, COUNT(*) FROM submissions WHERE form = ? GROUP BY unit_key",
                (form,),
            ).fetchall()
        return {r[0]: r[1] for r in rows}

    def issue_link(self, unit_key: str, token_sha256: str, renew: bool) -> bool:
        """Give a unit the link whose token has this hash: whether it was given (a unit that
        has one keeps it unless `renew`, and the old one stops working with the change)."""
        verb = "INSERT OR REPLACE" if renew else "INSERT OR IGNORE"
        with self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            cur = db.execute(
                f"{verb} INTO links (unit_key, token_sha256, issued_at) VALUES (?, ?, ?)",
                (unit_key, token_sha256, datetime.now().isoformat(timespec="seconds")),
            )
            db.execute("COMMIT")
            return cur.rowcount > 0

    def linked(self, token_sha256: str) -> str | None:
        """The key of the unit a link's token hash belongs to."""
        with self.connect() as db:
            row = db.execute(
                "SELECT unit_key FROM links WHERE token_sha256 = ?", (token_sha256,)
            ).fetchone()
        return row[0] if row else None

    def links(self) -> dict[str, str]:
        """When each unit with a link was given it, by unit key."""
        with self.connect() as db:
            return dict(db.execute("SELECT unit_key, issued_at FROM links").fetchall())

    def explain(self, form: str, unit_key: str, finding: str, text: str) -> None:
        """Keep a unit's explanation of a warning (a later one replaces it)."""
        with self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT OR REPLACE INTO explanations (form, unit_key, finding, text, written_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (form, unit_key, finding, text, datetime.now().isoformat(timespec="seconds")),
            )
            db.execute("COMMIT")

    def explanations(self, form: str) -> dict[tuple[str, str], str]:
        """Every explanation of the form's warnings, by (unit key, warning key)."""
        with self.connect() as db:
            rows = db.execute(
                "SELECT unit_key, finding, text FROM explanations WHERE form = ?", (form,)
            ).fetchall()
        return {(r[0], r[1]): r[2] for r in rows}

    def log(self, who: str, what: str, unit_key: str, sha256: str = "", detail: str = "") -> None:
        """Add a line to the audit log."""
        with self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT INTO audit (at, who, what, unit_key, sha256, detail)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (datetime.now().isoformat(timespec="seconds"), who, what, unit_key, sha256, detail),
            )
            db.execute("COMMIT")

    def audit(self) -> list[tuple]:
        """The audit log, oldest first: (at, who, what, unit key, sha256, detail)."""
        with self.connect() as db:
            rows = db.execute(
                "SELECT at, who, what, unit_key, sha256, detail FROM audit ORDER BY id"
            ).fetchall()
        return [tuple(r) for r in rows]

    def get(self, submission_id: int) -> Submission | None:
        """A submission by its id; None for an id no submission has, however large."""
        if not 0 < submission_id < 1 << 63:  # beyond SQLite's integers
            return None
        with self.connect() as db:
            row = db.execute("SELECT * FROM submissions WHERE id = ?", (submission_id,)).fetchone()
        return _submission(row) if row else None


def _plain(value):
    """A header value as JSON takes it: dates as ISO text."""
    if isinstance(value, (str, int, float)) or value is None:
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _submission(row) -> Submission:
    data = json.loads(row["report"])
    report = FileReport(
        path=row["file_name"],
        form=data["form"],
        unit=data["unit"],
        received=data["received"],
        findings=[Finding.from_json(f) for f in data["findings"]],
        values={k: Decimal(v) for k, v in data["values"].items()},
        header=data["header"],
        sha256=row["sha256"],
    )
    report.places = data.get("places", {})  # submissions stored before it have none
    fields = {k: row[k] for k in row.keys() if k not in ("report", "previous")}
    return Submission(**fields, report=report)
