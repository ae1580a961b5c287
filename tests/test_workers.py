"""The worker pool stopped mid-batch (Ctrl-C) ends cleanly, whatever its threads are doing."""

import multiprocessing
import threading
import time

from wenuan.workers import Workers


def _slow(x):
    time.sleep(0.05)
    return x


def test_a_batch_stopped_mid_way_ends_its_workers_without_an_error():
    # Ctrl-C in the consumer closes the map while threads wait on workers: close() and each
    # waiting thread both ended the same worker, and closing its pipe twice raised EBADF in
    # the main thread (exit 3 "内部错误" instead of 130). 5 in 60 stops did before the fix.
    for i in range(40):
        results = Workers(4).map(_slow, range(40))
        assert next(results) == 0
        time.sleep(0.01 + (i % 7) * 0.007)
        results.close()  # raised OSError(9, 'Bad file descriptor') now and then
    # every worker ended, and every thread that waited on one (a thread left polling a pipe
    # closed under it waited SECONDS, and the interpreter's exit with it)
    deadline = time.monotonic() + 10
    while (multiprocessing.active_children() or threading.active_count() > 1) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.05)
    assert multiprocessing.active_children() == []
    assert threading.active_count() == 1


def test_openpyxl_writers_let_go_after_ctrl_c_print_nothing_and_others_still_do():
    # Ctrl-C while the total was saved printed openpyxl's "Exception ignored … LxmlSyntaxError"
    # tracebacks after the run had said it stopped (exit 130)
    import gc
    import sys

    from wenuan.outputs import writing

    def writer():
        try:
            yield
        finally:
            raise ValueError("inconsistent exit action in context manager")

    printed, before = [], sys.unraisablehook
    sys.unraisablehook = lambda u: printed.append(u.object.__qualname__)
    try:
        writing._quiet_when_let_go()
        writing._quiet_when_let_go()  # once is enough: not wrapped twice
        for name in ("WriteOnlyWorksheet._write_rows", "WorksheetWriter.get_stream", "other"):
            started = writer()
            started.__qualname__ = name
            next(started)
            del started
            gc.collect()
    finally:
        sys.unraisablehook = before
    assert printed == ["other"]


def _item(x):
    import os

    if x == 3:  # ends its worker: 4, already sent to that worker, goes to the next one
        os._exit(1)
    if x == 4:
        raise ValueError(x)
    return x * 10


def test_items_sent_ahead_to_a_worker_that_dies_go_to_the_next_and_keep_their_order():
    from wenuan.workers import Died

    got = []
    results = Workers(1).map(_item, [1, 2, 3, 4, 5, 6])
    for _ in range(3):
        got.append(next(results))
    assert got[:2] == [10, 20] and isinstance(got[2], Died)
    try:
        next(results)
    except ValueError as e:  # raised in the worker, raised here, in the item's place
        assert e.args == (4,)
    else:
        raise AssertionError("no ValueError")
    results.close()
    assert list(Workers(2).map(_item, [5, 6, 7, 8, 9])) == [50, 60, 70, 80, 90]


def test_an_item_that_cannot_be_sent_to_a_worker_is_raised_in_its_place():
    import pytest

    results = Workers(2).map(_item, [1, (x for x in ()), 2])  # a generator cannot be pickled
    assert next(results) == 10
    with pytest.raises(TypeError, match="pickle"):
        next(results)
    results.close()
