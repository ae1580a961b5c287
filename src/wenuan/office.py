"""LibreOffice headless, run in a box: its own profile, its own process group, a time limit,
and nothing of it left running when wenuan gives up (LibreOffice forks soffice.bin)."""

import os
import shutil
import signal
import subprocess
from contextlib import suppress
from pathlib import Path


class Failed(Exception):
    """LibreOffice made nothing: it failed, could not start or ran out of time (why)."""


def program() -> str | None:
    """The LibreOffice program, when it is installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(office: str, source: Path, kind: str, folder: Path, seconds: float) -> Path:
    """`source` converted to `kind` (docx, pdf) in `folder`, with a profile of its own there (so
    it works beside a running LibreOffice); its whole process group is killed when it ends."""
    args = [office, f"-env:UserInstallation=file://{folder}/profile", "--headless"]
    args += ["--convert-to", kind, "--outdir", str(folder), str(source)]
    try:
        run = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as e:
        raise Failed(str(e)) from None
    try:
        _, err = run.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        from wenuan.words.messages import t

        raise Failed(t("office_timeout", seconds=f"{seconds:g}")) from None
    finally:
        _kill_group(run)
    made = folder / f"{source.stem}.{kind}"
    if run.returncode != 0 or not made.exists():
        raise Failed(err.decode(errors="replace")[-200:])
    return made


def _kill_group(run: subprocess.Popen) -> None:
    """End the program and every process it started (they share its session)."""
    if hasattr(os, "killpg"):
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(run.pid, signal.SIGKILL)
    else:
        run.kill()
    with suppress(subprocess.TimeoutExpired):  # the pipes close once the group is gone
        run.communicate(timeout=5)
    run.wait()
