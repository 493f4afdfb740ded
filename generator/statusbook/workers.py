"""Per-file work spread over the machine's cores, when there is enough of it.

Parsing, checking and linting one file depends on nothing but that file and the site's
settings, so a cold run over 10,000 files can use every core. Results are the same values
the caller would have computed itself, put in the same caches: the output cannot depend on
how the work was split.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Set to a number of processes (1: none) to override the default (the usable cores).
ENV_JOBS = "STATUSBOOK_JOBS"
#: Below this many files a pool costs more than it saves (measured: at 1,000 files two
#: processes took more CPU and no less wall time than one, to check them or to write pages).
MIN_ITEMS = 2000
#: Pages cost ten times what a file's check does: a pool pays off from a few hundred.
MIN_PAGES = 400

#: Batches per process in map_batches (measured at N=10,000, cold validate: with 4, one
#: worker often ran the last batch alone for most of a second).
BATCHES = 16

# What every worker of the running map_batches shares: set before the pool forks, so the
# workers inherit it instead of receiving a pickled copy with every batch.
_SHARED: Any = None


def jobs() -> int:
    """How many processes to use: STATUSBOOK_JOBS, else the cores this process may run on."""
    configured = os.environ.get(ENV_JOBS, "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def _processes(count: int, min_items: int) -> int:
    """How many processes to fork for `count` items; 0 when it is not worth it or not
    possible. Only a single-threaded process forks (`serve` runs builds beside its server
    threads, and a forked copy of a lock held by another thread never opens), and nothing
    is spawned (that would import everything again, for less than it saves)."""
    n = jobs()
    if (
        n < 2
        or count < min_items
        or threading.active_count() > 1
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return 0
    return n


def _forked(n: int, shared: Any, call: Callable[..., R], *args: Sequence[Any]) -> list[R] | None:
    """pool.map(call, *args) in n forked processes that inherit `shared`; None when the pool
    fails (no processes in a sandbox, a broken pool, a full disk): the caller does the work."""
    global _SHARED
    _SHARED = shared
    try:
        with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(call, *args))
    except (OSError, RuntimeError):
        return None
    finally:
        _SHARED = None


def map_batches(
    fn: Callable[[Sequence[T], Any], list[R]],
    items: Sequence[T],
    shared: Any,
    min_items: int | None = None,
) -> list[R] | None:
    """fn(batch, shared) over batches of items in worker processes, results in item order;
    None when it is not worth it or not possible, and the caller does the work itself.
    `shared` reaches the workers through the fork, so it may be anything, even what cannot
    be pickled (a Jinja environment); items and results are pickled."""
    n = _processes(len(items), MIN_ITEMS if min_items is None else min_items)
    if not n:
        return None
    # Batches taking every k-th item: costly items that sit together (postmortems come last)
    # are shared out instead of landing in one batch. Many small batches: a process that
    # finishes early takes the next one, and the last ones leave little to wait for.
    k = min(len(items), n * BATCHES)
    batches = [items[i::k] for i in range(k)]
    results = _forked(n, shared, _call, [fn] * k, batches)
    if results is None:
        return None
    out: list[R] = [None] * len(items)  # type: ignore[list-item]
    for i, batch in enumerate(results):
        out[i::k] = batch
    return out


def _call(fn: Callable[[Sequence[T], Any], list[R]], batch: Sequence[T]) -> list[R]:
    """In a worker: fn over one batch, with what map_batches shared before forking."""
    return fn(batch, _SHARED)


def split_work(
    fn: Callable[[int, int, Any], None], count: int, shared: Any, min_items: int
) -> bool:
    """fn(first, step, shared) in one forked process per core, each taking the items first,
    first + step, ... of `shared`: for work whose input this process already holds and whose
    output goes to files (writing pages), so nothing is pickled either way. False when it is
    not worth it or not possible, and the caller does the work itself (fn must be safe to
    run again)."""
    n = _processes(count, min_items)
    return bool(n) and _forked(n, shared, _call_split, [fn] * n, range(n), [n] * n) is not None


def _call_split(fn: Callable[[int, int, Any], None], first: int, step: int) -> None:
    fn(first, step, _SHARED)


@contextmanager
def collection_paused() -> Iterator[None]:
    """No automatic garbage collection inside, for a check (`validate`): the cache it reads
    holds tens of thousands of objects without cycles that live to its end, which every
    collection would traverse again (0.13 of a warm validate's 0.72 s at N=10,000, measured
    with gc off), and checking files makes no cycles worth collecting."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


_FROZEN = False


def freeze_heap() -> None:
    """Leave what this process holds now (modules, MkDocs' config, the corpus) out of every
    later garbage collection, once per process: a one-shot build keeps it all to the end
    anyway. Collections then traverse only what the build makes after, and forked workers
    share more memory (gc.freeze's documented use). Cold N=1,000 build: GC time 0.19 s ->
    0.10 s. Not for `serve`, whose rebuilds replace the corpus."""
    global _FROZEN
    if not _FROZEN:
        _FROZEN = True
        gc.freeze()


def settle_heap() -> None:
    """`serve`, once its first build is done: one collection frees what that build no longer
    needs, and what is left (modules, the site cache with its templates and the model objects
    later rebuilds reuse) is frozen out of later collections, which then traverse only what
    the rebuilds make. A frozen object that a rebuild drops is still freed when nothing refers
    to it; only reference cycles among such objects would stay, and the objects alive at this
    point that later rebuilds replace (the model objects of edited files) hold none."""
    global _FROZEN
    if not _FROZEN:
        _FROZEN = True
        gc.collect()
        gc.freeze()
