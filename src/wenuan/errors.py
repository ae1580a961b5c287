"""Exceptions for what stops wenuan from going on; bad data in a return is a finding, not this."""

from wenuan.words.messages import t


class WenuanError(Exception):
    """Something wenuan cannot go on with; its text is already in the user's language."""

    def __init__(self, key: str, **params):
        self.key = key
        self.params = params
        super().__init__(key)

    def __str__(self) -> str:
        return t(self.key, **self.params)

    def __reduce__(self):  # travels whole from a worker process
        return (_restore, (type(self), self.__dict__))


def _restore(cls, state):
    err = cls.__new__(cls)
    Exception.__init__(err, state.get("key"))
    err.__dict__.update(state)
    return err


class FormFileError(WenuanError):
    """A form file that cannot be loaded: names the file, the line and the problem."""

    def __init__(self, path, line: int | None, problem: str):
        super().__init__("form_file_error", path=str(path), line=line or "?", problem=problem)
        self.path = str(path)
        self.line = line
        self.problem = problem


class UnknownForm(WenuanError):
    """No form with that id, nor with that city and year; `close` are ids spelt alike."""

    def __init__(self, form_id: str, known: list[str], close: list[str] | tuple = ()):
        key = "unknown_form_close" if close else "unknown_form"
        super().__init__(key, form_id=form_id, known="、".join(known), close="、".join(close))
