"""Worker processes that read files, for the CLI's batches and the web page: a native library
that aborts, a file that takes all memory or never ends, ends a worker, never wenuan. The caller
makes that file's finding; the others go on, and a new worker takes the dead one's place."""

import os
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator

MEMORY = 2 << 30  # bytes a worker may map (RLIMIT_AS, where the system has it)
DEPTH = 2  # items a worker is sent at a time in a batch: the one in hand and the next
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
        try:
            conn.send((fn, args))
            answer = self._answer(process, conn)
        except OSError:  # sending: the worker has ended
            self._end(process, conn)
            raise Died("ended") from None
        except BaseException:  # what cannot be sent, Ctrl-C: that worker's answer is lost
            self._end(process, conn)
            raise
        if isinstance(answer, Died):
            raise answer
        self._give_back(process, conn)
        ok, value = answer
        if ok:
            return value
        raise value

    def _answer(self, process, conn):
        """The worker's next answer, (ok, value); or Died, the worker ended, when it ends
        before it answers or is ended after SECONDS."""
        try:
            if not conn.poll(SECONDS):
                self._end(process, conn)
                return Died("time")
            return conn.recv()
        except (EOFError, OSError):
            self._end(process, conn)
            return Died("ended")

    def _give_back(self, process, conn) -> None:
        """A worker that answered back among the idle ones; after close(), ended."""
        with self._lock:
            if not self._closed:
                self._idle.put((process, conn))
                return
        self._end(process, conn)

    def map(self, fn: Callable, items: Iterable) -> Iterator:
        """fn(item) for each item, in the items' order, each in a worker; Died in place of the
        result of an item whose worker died. Each worker is sent its next item before it
        answers the one in hand (DEPTH at a time), so it never waits for this process to read
        its answer and send another: on a busy machine that left it idle a millisecond or more
        an item."""
        todo = deque(enumerate(items))
        count = len(todo)
        done: dict = {}  # index -> (True, result or Died) or (False, the exception to raise)
        failed: list = []  # what ended a thread that drove a worker (a bug): raised here
        ready = threading.Condition()

        def put(i: int, answer: tuple) -> None:
            with ready:
                done[i] = answer
                ready.notify_all()

        def drive() -> None:
            """One worker's items: sent ahead, answered in order; a dead worker's unanswered
            items go to the next one it is replaced by."""
            sent: deque = deque()  # (index, item) sent to this worker, not yet answered
            process = conn = None
            try:
                while True:
                    with ready:
                        more = [todo.popleft() for _ in range(min(DEPTH - len(sent), len(todo)))]
                    sent += more
                    if not sent:
                        return
                    if conn is None:
                        process, conn = self._take()  # Died once closed
                        more = list(sent)
                    for entry in more:
                        if (why := _send(conn, fn, entry[1])) is not None:
                            sent.remove(entry)
                            put(entry[0], (False, why))
                    if not sent:
                        continue
                    answer = self._answer(process, conn)
                    i, _ = sent.popleft()
                    if isinstance(answer, Died):
                        process = conn = None  # ended: the items sent after it go to the next
                        answer = (True, answer)
                    put(i, answer)
            except Died as e:
                for i, _ in sent:
                    put(i, (True, e))
            except BaseException as e:  # a bug: raised in the caller's thread
                failed.append(e)
                for i, _ in sent:
                    put(i, (False, e))
            finally:
                if conn is not None:
                    self._give_back(process, conn)

        threads = [threading.Thread(target=drive, daemon=True) for _ in range(self._size)]
        try:
            for thread in threads:
                thread.start()
            for i in range(count):
                with ready:
                    while i not in done and any(t.is_alive() for t in threads):
                        ready.wait(0.5)
                    gone = (False, failed[0]) if failed else (True, Died("closed"))
                    ok, value = done.pop(i, gone)
                if not ok:
                    raise value
                yield value
        finally:
            with ready:
                todo.clear()
            self.close()

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


def _send(conn, fn: Callable, item) -> Exception | None:
    """Send a worker an item: None, or why it cannot be sent (not an ended worker: reading
    its answer says so)."""
    try:
        conn.send((fn, (item,)))
    except OSError:
        pass
    except Exception as e:  # an item that cannot be pickled
        return e
    return None


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
