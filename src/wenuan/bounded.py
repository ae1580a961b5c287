"""Templates people write (a form's report sentences, a Word template) run bounded: in jinja2's
immutable sandbox without huge numbers, repetitions or ranges, and in a child process with a
time and a memory limit, so that no template can change the figures, hang or exhaust wenuan."""

import os
import signal
import sys
import threading
from contextlib import contextmanager
from functools import cache

from jinja2 import DictLoader, TemplateError, TemplateNotFound, pass_context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

SECONDS = 10  # for a report's sentences, and again for its template
MEMORY = 512 << 20  # more address space than the process had when a template started
KILL_AFTER = 3 * SECONDS  # the child is killed outright if its own limits did not stop it
MAX_BITS = 1 << 16  # an integer a template makes: some 20,000 digits
MAX_ITEMS = 1 << 20  # a text or list a template repeats: a million characters or items
MAX_RANGE = 10_000  # a report counts units and items, never this many


class OutOfTime(BaseException):
    """A template ran past its time (not an Exception: no `except Exception` swallows it)."""


class TooBig(Exception):
    """A template asked for a number, a repetition or a range far too big for a report."""


class Killed(Exception):
    """The child process had to be killed, or died, before it said how it ended."""


class Environment(ImmutableSandboxedEnvironment):
    """jinja2's sandbox where a template can change nothing it is given, include no other
    template, and make no huge number, repetition or range."""

    intercepted_binops = frozenset({"**", "*"})

    def __init__(self, **options):
        # Nothing is worked out while compiling (jinja2 folds constants, filters included, and
        # a form's sentences are compiled when it is loaded, unbounded): not optimized, and a
        # finalize that needs the context. No loader: include, import, extends find nothing.
        super().__init__(loader=DictLoader({}), optimized=False, finalize=_as_is, **options)
        self.globals["range"] = _range
        self.globals.pop("lipsum", None)  # made-up text on demand: nothing a report needs

    def call_binop(self, context, operator, left, right):
        """`**` and `*`, refused when the result would be huge."""
        if _too_big(operator, left, right):
            raise TooBig(operator)
        return super().call_binop(context, operator, left, right)


@pass_context
def _as_is(context, value):
    return value


def _too_big(operator: str, left, right) -> bool:
    if isinstance(left, int) and isinstance(right, int):
        if operator == "**":
            return abs(left) > 1 and right * left.bit_length() > MAX_BITS
        return left.bit_length() + right.bit_length() > MAX_BITS
    if operator == "*":
        for times, repeated in ((left, right), (right, left)):
            if isinstance(times, int) and isinstance(repeated, (str, list, tuple)):
                return len(repeated) * times > MAX_ITEMS
    return False


def _range(*args: int) -> range:
    numbers = range(*args)
    try:
        if len(numbers) <= MAX_RANGE:
            return numbers
    except OverflowError:  # longer than a machine word can count
        pass
    raise TooBig("range")


@cache
def sentences() -> Environment:
    """The environment a form's report sentences render in (plain text)."""
    return Environment(autoescape=False)


def undeclared(tree) -> set[str]:
    """The names a parsed template reads without setting them: jinja2's `meta`, but computing
    nothing (its code generator would fold constants, `'x'|center(10**9)` among them)."""
    from jinja2.meta import TrackingCodeGenerator

    codegen = TrackingCodeGenerator(tree.environment)
    codegen.optimizer = None
    codegen.visit(tree)
    return codegen.undeclared_identifiers


def failure(e: BaseException) -> tuple[str, int | None]:
    """What stopped a template, in the reader's words, and the line of the template it was on."""
    from wenuan.words.messages import t

    if isinstance(e, OutOfTime):
        why = t("template_time", seconds=SECONDS)
    elif isinstance(e, MemoryError):
        why = t("template_memory", mib=MEMORY >> 20)
    elif isinstance(e, RecursionError):
        why = t("template_recursion")
    elif isinstance(e, TooBig):
        why = t("template_too_big", what=str(e))
    elif isinstance(e, TemplateNotFound):
        why = t("template_include", name=e.name)
    elif isinstance(e, SecurityError):
        why = t("template_unsafe", detail=e.message)
    elif isinstance(e, TemplateError):
        why = e.message or type(e).__name__
    else:  # the template's own slip: 1/0, a text added to a number
        why = f"{type(e).__name__}: {e}"
    return why, getattr(e, "lineno", None) or _line(e.__traceback__)


def _line(tb) -> int | None:
    """The template line of the innermost template frame: jinja2 rewrites the traceback of an
    Exception to template lines; the frames of OutOfTime keep the compiled code's."""
    line = None
    while tb is not None:
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if template is not None:
            line = template.get_corresponding_lineno(tb.tb_lineno)
        elif tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


@contextmanager
def limits():
    """Within: a time limit (SECONDS) and a memory limit (MEMORY more than now), where the
    system has them; `run`'s kill is the backstop where it has not."""
    alarm = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if alarm:
        handler = signal.signal(signal.SIGALRM, _out_of_time)
        signal.setitimer(signal.ITIMER_REAL, SECONDS)
    memory = _limit_memory()
    try:
        yield
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, handler)
        if memory:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, memory)


def _out_of_time(signum, frame):
    raise OutOfTime


def _limit_memory() -> tuple[int, int] | None:
    """Lower the address-space limit to MEMORY above what is mapped now; the old limit."""
    try:
        import resource

        with open("/proc/self/statm") as f:
            mapped = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        old = resource.getrlimit(resource.RLIMIT_AS)
        soft = mapped + MEMORY if old[1] == resource.RLIM_INFINITY else min(mapped + MEMORY, old[1])
        resource.setrlimit(resource.RLIMIT_AS, (soft, old[1]))
        return old
    except (ImportError, OSError, ValueError):  # no such limit here (Windows, macOS)
        return None


def run(work, *args):
    """`work(*args)` in a child process: its result, or the exception it raised; Killed when it
    had to be killed after KILL_AFTER seconds, or died. One child a report: forked where the
    system can (nothing to start again), else started afresh."""
    import multiprocessing

    from wenuan.words.messages import get_lang

    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, get_lang(), work, args), daemon=True)
    child.start()
    send.close()
    try:
        ended, value = receive.recv() if receive.poll(KILL_AFTER) else (None, None)
    except EOFError:  # it died without a word: killed by the system, or crashed
        ended, value = None, None
    finally:
        child.kill()
        child.join()
        receive.close()
    if ended is None or isinstance(value, OutOfTime):
        raise Killed
    if ended == "raised":
        raise value
    return value


def _child(send, lang: str, work, args) -> None:
    from wenuan.words.messages import set_lang

    set_lang(lang)
    try:
        said = ("returned", work(*args))
    except BaseException as e:  # everything travels to the parent, which decides
        said = ("raised", e)
    try:
        send.send(said)
    except Exception as e:  # an exception that cannot be pickled
        send.send(("raised", RuntimeError(f"{type(said[1]).__name__}: {said[1]} ({e})")))
