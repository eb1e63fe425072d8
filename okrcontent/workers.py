"""Worker processes for the batch: a pool that converts chunks in order, stops cleanly
however the run stops, and dies with the main process.

:func:`in_order` maps a task over chunks on ``jobs`` processes, at most ``2 * jobs``
chunks in flight (memory stays flat however long the input), and yields each chunk with its
result in input order. The task's fixed arguments (``setup``: the job) reach each worker
once, when it starts, rather than with every chunk. Signals that stop a run (Ctrl-C,
SIGTERM, SIGHUP) are the main process's: workers ignore them, and the main process stops
them itself (:func:`stopping` tells a task to end its chunk early); a worker dies with the
main process if that is killed outright.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Collection, Generator, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from .errors import BatchError

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.synchronize import Event

__all__ = ["in_order", "stopping"]

STOP_SECONDS = 5.0
"""How long a stopping run waits for a worker to finish its record before killing it."""
PARENT_CHECK_SECONDS = 1.0
"""Where the system cannot kill workers with their parent, how often they look for it."""

S = TypeVar("S")
C = TypeVar("C")
R = TypeVar("R")

_stopping: Event | None = None
"""In a worker: set by the main process when the run stops, so chunks end at once."""
_setup: Any = None
"""In a worker: the fixed arguments of its tasks."""


def stopping() -> bool:
    """In a task: is the run stopping (nobody will read the rest of the chunk)?"""
    return _stopping is not None and _stopping.is_set()


def _worker_started(parent: int | None, event: Event, setup: Any) -> None:
    """Set up a worker process: its task's setup, signals left to the main process, and
    death with the main process."""
    global _stopping, _setup
    _stopping, _setup = event, setup
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    parent = parent if parent is not None else os.getppid()
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    else:  # no parent-death signal: look for the parent now and then
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # it died before the death signal was set
        os._exit(1)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _call(task: Callable[[Any, Any], Any], chunk: Any) -> Any:
    return task(_setup, chunk)


@attrs.define
class _Workers(Generic[R]):
    """A process pool and the event that tells its workers to stop."""

    pool: ProcessPoolExecutor
    stopping: Event

    @classmethod
    def start(cls, jobs: int, setup: Any) -> _Workers[R]:
        """Workers by ``fork`` where that is safe (POSIX, this process has one thread):
        nothing to re-import or to pickle, and no ``if __name__ == "__main__"`` needed
        around the call. A threaded caller gets ``forkserver`` (or ``spawn``), which are
        safe with threads but do need it."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        methods = multiprocessing.get_all_start_methods()
        if "fork" in methods and threading.active_count() == 1:
            method = "fork"
        else:
            method = "forkserver" if "forkserver" in methods else "spawn"
        context = multiprocessing.get_context(method)
        event = context.Event()
        # A forkserver's workers are the server's children, not ours: they watch it instead.
        parent = None if method == "forkserver" else os.getpid()
        pool = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=context,
            initializer=_worker_started,
            initargs=(parent, event, setup),
        )
        return cls(pool, event)

    def stop(self, pending: Collection[Future[R]]) -> None:
        """Stop the workers now, not after the chunks queued for them, and wait until they
        are idle, so that none writes a temporary file after the caller has swept them
        away. A worker still busy after :data:`STOP_SECONDS` (stuck in one record) is
        killed: SIGTERM is ignored by workers, the main process handles it."""
        from concurrent.futures import wait

        self.stopping.set()
        for future in pending:
            future.cancel()
        _, busy = wait(pending, timeout=STOP_SECONDS)
        if busy:
            processes = list((getattr(self.pool, "_processes", None) or {}).values())
            for process in processes:
                process.kill()
            for process in processes:
                process.join()
        self.pool.shutdown(wait=True, cancel_futures=True)


def in_order(
    task: Callable[[S, C], R], setup: S, chunks: Iterator[C], jobs: int
) -> Generator[tuple[C, R], None, None]:
    """``(chunk, task(setup, chunk))`` for each chunk, in order, on ``jobs`` processes (in
    this one if ``jobs`` is 1). However the caller stops (an error, an interrupt, or closing
    this generator early), the workers stop first. Raises :class:`BatchError` if a worker
    dies."""
    if jobs == 1:
        for chunk in chunks:
            yield chunk, task(setup, chunk)
        return
    from concurrent.futures.process import BrokenProcessPool

    workers: _Workers[R] = _Workers.start(jobs, setup)
    pending: deque[tuple[C, Future[R]]] = deque()
    try:
        for chunk in chunks:
            pending.append((chunk, workers.pool.submit(_call, task, chunk)))
            if len(pending) >= 2 * jobs:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()
    except BrokenProcessPool:
        workers.stop([future for _, future in pending])
        raise BatchError("a worker process died (killed, or out of memory?)") from None
    except BaseException:
        workers.stop([future for _, future in pending])
        raise
    workers.pool.shutdown()
