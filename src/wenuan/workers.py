"""Worker processes that read files, for the CLI's batches and the web page: a native library
that aborts, a file that takes all memory or never ends, ends a worker, never wenuan. The caller
makes that file's finding; the others go on, and a new worker takes the dead one's place."""

import os
import queue
import threading
from collections.abc import Callable, Iterable, Iterator

MEMORY = 2 << 30  # bytes a worker may map (RLIMIT_AS, where the system has it)
SECONDS = 130.0  # one file's time in a worker: a .doc's conversion alone may take 120 s


class Died(Exception):
    """The worker reading a file ended: a native abort, or its memory or its time ran out."""


class Workers:
    """Up to `size` worker processes, each doing one call at a time, started when first needed;
    one that dies is replaced. `initializer(*initargs)` runs once in each."""

    def __init__(self, size: int, initializer=None, initargs=(), context: str | None = None):
        import multiprocessing

        self._context = multiprocessing.get_context(context)
        self._size, self._start = size, (initializer, initargs)
        self._idle: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._running: set = set()
        self._closed = False

    def call(self, fn: Callable, *args):
        """fn(*args) in a worker: its result, or the exception it raised; Died when the worker
        ends before it answers, or is ended after SECONDS."""
        process, conn = self._take()
        answered = False
        try:
            conn.send((fn, args))
            if not conn.poll(SECONDS):
                raise Died("time")
            ok, value = conn.recv()
            answered = True
        except (EOFError, OSError):
            raise Died("ended") from None
        finally:
            with self._lock:  # after close() no worker goes back to the idle ones
                if answered and not self._closed:
                    self._idle.put((process, conn))
                    answered = None
            if answered is not None:
                self._end(process, conn)
        if ok:
            return value
        raise value

    def map(self, fn: Callable, items: Iterable) -> Iterator:
        """fn(item) for each item, in the items' order, each in a worker; Died in place of the
        result of an item whose worker died."""
        from concurrent.futures import ThreadPoolExecutor

        def one(item):
            try:
                return self.call(fn, item)
            except Died as e:
                return e

        threads = ThreadPoolExecutor(self._size)
        try:
            yield from threads.map(one, items)
        finally:
            self.close()
            threads.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """End every worker; calls still waiting end with Died. A busy worker is killed and
        its pipe left to the thread waiting on it: closed here, its descriptor could be reused
        by another file while that thread still polls it."""
        with self._lock:
            self._closed = True
            running = list(self._running)
        for process, _ in running:
            if process.is_alive():
                process.kill()
        while True:
            try:
                self._end(*self._idle.get_nowait())
            except queue.Empty:
                return

    def _take(self):
        """An idle worker, or a new one while there are fewer than `size`, else wait."""
        while True:
            try:
                return self._idle.get_nowait()
            except queue.Empty:
                pass
            with self._lock:
                if self._closed:  # Ctrl-C: the threads still at work start no worker
                    raise Died("closed")
                if len(self._running) < self._size:
                    mine, theirs = self._context.Pipe()
                    process = self._context.Process(
                        target=_serve, args=(theirs, *self._start), daemon=True
                    )
                    process.start()
                    theirs.close()
                    self._running.add((process, mine))
                    return process, mine
            try:  # all busy: one comes back, or dies and leaves room for a new one
                return self._idle.get(timeout=0.5)
            except queue.Empty:
                continue

    def _end(self, process, conn) -> None:
        """Kill a worker and close its pipe, once (closing a pipe twice is EBADF, or closes a
        newer file that took its descriptor)."""
        with self._lock:
            if (process, conn) not in self._running:
                return
            self._running.discard((process, conn))
        if process.is_alive():
            process.kill()
        process.join(5)
        conn.close()


def _serve(conn, initializer, initargs) -> None:
    """A worker's life: limits set, then calls answered until the pipe closes."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it ends the workers
    limit_memory()
    threading.Thread(target=end_with_parent, args=(os.getppid(),), daemon=True).start()
    if initializer is not None:
        initializer(*initargs)
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = (True, fn(*args))
        except MemoryError:
            os._exit(3)  # over MEMORY: this worker is done, the file gets its finding
        except Exception as e:
            answer = (False, e)
        try:
            conn.send(answer)
        except Exception as e:  # a result or an exception that cannot be pickled: a bug
            conn.send((False, RuntimeError(repr(e))))


def limit_memory() -> None:
    """Let this process map at most MEMORY bytes, where the system can say so."""
    try:
        import resource
    except ImportError:  # Windows
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > MEMORY:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def end_with_parent(parent: int) -> None:
    """A worker whose parent was killed outright ends too, rather than wait for work for ever."""
    import time

    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)
