"""``project.py run``: every core busy until the last operation.

signac-flow's ``run --parallel N`` executes in *passes*: it collects the eligible
operations, runs them on a process pool and only then looks for the next eligible ones.
A pass ends when its slowest operation ends, so cores idle at the end of every pass and
a cascade step (``quench`` at the next rung) waits for a whole pass of unrelated long
dynamics windows.  signac-flow 0.29 offers nothing finer (``--order`` reorders within a
pass; ``submit --bundle --parallel`` is the same pool), so this module replaces the
pass loop, and only it:

* a worker slot is refilled the moment it frees: each operation runs in a forked
  process (flow's own ``_execute_operation``, hooks and error handling included), and
  the eligible operations are collected again, with flow's own selection (``-o``,
  ``-f``, ``--ignore-conditions``), whenever one ends;
* priority: each stage's ``priority`` (:data:`.pipeline.STAGES`: the MD first, it gates
  everything), then colder
  states first (the longest operations of a stage start first, so the run's tail is
  short);
* nothing runs twice in one run (each operation at most once, like flow's
  ``num_passes=1``; the per-operation locks of :mod:`.guard` keep two runs apart), and
  nothing is skipped (the loop ends when nothing is eligible and nothing runs);
* a worker killed by a signal (``kill -9``, the OOM killer) loses only its operation's
  work since its last checkpoint: the run starts it again (it resumes), up to
  :data:`RETRIES` times;
* a failed operation stops new launches; the running ones finish (nothing half-done is
  thrown away) and the error is raised as flow raises it;
* a run-level progress line every :data:`PROGRESS_SECONDS`: operations done / total,
  elapsed, an *estimate* of the rest from this run's measured operation times; at the
  end the CPU time used against wall time × workers (core utilisation).

With one worker (``project.py run`` without ``--parallel``) the operations run in this
process one after the other, in passes as flow's serial ``run`` does (no fork: the
imports are shared; with one worker a pass idles nothing), ordered by the same priority
and with the same progress lines.

Everything else of ``run`` (``--pretend``, ``--num``, ``--num-passes``, ``--order``,
``--timeout``, ``--progress``) keeps signac-flow's pass loop (:meth:`.Project.run`).
"""

from __future__ import annotations

import json
import logging
import math
import multiprocessing
import resource
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait

log = logging.getLogger(__name__)

#: seconds between run-level progress lines
PROGRESS_SECONDS = 60.0
#: times an operation whose worker was killed by a signal is started again
RETRIES = 2
#: imported once by the run, before it forks its workers: each operation's process
#: inherits them instead of importing them again (measured on this machine: scipy's
#: signal/spatial/stats 1.5 s, freud 1.0–1.3 s, scikit-learn 0.1 s per process — most
#: of what an analysis operation at N = 432 costs).  The engines and matplotlib are
#: not preloaded (MPI and GUI back ends do not belong in a forking parent).
PRELOAD = (
    "numpy",
    "scipy.optimize",
    "scipy.signal",
    "scipy.spatial",
    "scipy.stats",
    "sklearn.svm",
    "sklearn.model_selection",
    "freud",
    "gsd.hoomd",
    "h5py",
)


def preload() -> None:
    """Import :data:`PRELOAD` (a missing one is the operation's own business)."""
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def priority(operation, stages: dict) -> tuple:
    """Sort key of an eligible operation: its stage's ``priority`` (``stages``: name →
    :class:`~.pipeline.Stage`; unknown operations last), then coldest first."""
    spec = stages.get(operation.name)
    stage = spec.priority if spec is not None else math.inf
    coldest = min(job.cached_statepoint.get("T", math.inf) for job in operation._jobs)
    return (stage, coldest, operation.id)


class WorkerError(Exception):
    """An operation's error as its worker reported it: the parent raises it under the
    original type's name (:func:`worker_error`), so the user's last line reads as if the
    operation had run in this process."""


def worker_error(kind: str, message: str) -> WorkerError:
    """A :class:`WorkerError` whose type is named ``kind`` and whose text is ``message``."""
    return type(kind, (WorkerError,), {"__module__": __name__})(message)


def _child(project, operation, conn: Connection) -> None:
    """Run one operation in a forked worker; report an error through ``conn`` as JSON
    (its type name and text: flow's ``UserOperationError`` wraps it, its cause is what
    the user reads)."""
    from flow.errors import UserOperationError

    try:
        project._execute_operation(operation)
    except BaseException as caught:  # reported to the parent, then exit 1
        if "--debug" in sys.argv:
            print(traceback.format_exc(), file=sys.stderr)
        err = caught
        if isinstance(caught, UserOperationError) and caught.__cause__ is not None:
            err = caught.__cause__
        conn.send_bytes(json.dumps([type(err).__name__, str(err)]).encode())
        conn.close()
        sys.exit(1)  # multiprocessing flushes the output and sets the exit code
    conn.close()


@dataclass
class _Running:
    operation: object
    process: multiprocessing.Process
    conn: Connection
    started: float


@dataclass
class RunStatistics:
    """What a run did: operations done, their wall times by name, failures."""

    workers: int
    start: float = field(default_factory=time.monotonic)
    done: int = 0
    seconds: dict[str, list[float]] = field(default_factory=dict)
    restarted: int = 0
    cpu_seconds: float = math.nan  # the workers' (the operations')
    scheduler_seconds: float = math.nan  # this process's: conditions, imports
    wall_seconds: float = math.nan

    @property
    def utilisation(self) -> float:
        """CPU time of the workers / (wall time × workers)."""
        return self.cpu_seconds / (self.wall_seconds * self.workers)

    def finished(self, name: str, seconds: float) -> None:
        self.done += 1
        self.seconds.setdefault(name, []).append(seconds)

    def typical(self, name: str) -> float:
        """Mean measured wall time of ``name`` in this run (else of every operation)."""
        times = self.seconds.get(name) or [t for ts in self.seconds.values() for t in ts]
        return sum(times) / len(times) if times else math.nan


def format_seconds(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "?"
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def progress_line(stats: RunStatistics, running: Iterable[_Running], pending: list[str]) -> str:
    """``run: 12/87 operations done, 2 running, 4 min 10 s elapsed, rest ≈ 18 min``:
    the rest is an estimate (each operation not yet done at this run's mean time of its
    kind, shared among the workers; the chain between them is not modelled)."""
    now = time.monotonic()
    running = list(running)
    left = sum(max(stats.typical(r.operation.name) - (now - r.started), 0.0) for r in running)
    left += sum(stats.typical(name) for name in pending)
    total = stats.done + len(running) + len(pending)
    rest = left / stats.workers if stats.done else math.nan
    return (
        f"run: {stats.done}/{total} operations done, {len(running)} running, "
        f"{format_seconds(now - stats.start)} elapsed, rest ≈ {format_seconds(rest)} "
        "(estimate from this run's operation times)"
    )


def _run_in_process(
    project, eligible, finished: set, stats: RunStatistics, remaining
) -> RunStatistics:
    """One worker: the operations run one after the other in this process (its imports
    shared), in passes as flow's serial ``run`` does (every eligible operation, by
    priority, before the conditions are evaluated again: with one worker nothing waits
    on a pass); an error stops the run as flow's does."""
    cpu_before = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    last_line = time.monotonic()
    while operations := eligible():
        for operation in operations:
            started = time.monotonic()
            finished.add(operation.id)
            project._execute_operation(operation)
            stats.finished(operation.name, time.monotonic() - started)
            if time.monotonic() - last_line >= PROGRESS_SECONDS:
                last_line = time.monotonic()
                log.info(progress_line(stats, (), list(remaining())))
    cpu_after = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    stats.cpu_seconds = sum(
        (a.ru_utime + a.ru_stime) - (b.ru_utime + b.ru_stime)
        for a, b in zip(cpu_after, cpu_before, strict=True)
    )
    stats.scheduler_seconds = math.nan  # not told apart from the operations' here
    stats.wall_seconds = time.monotonic() - stats.start
    return stats


class _PullingRun:
    """The state of one :func:`run_pulling`: its workers, the operations running and
    finished, the attempts of each, the first failure."""

    def __init__(self, project, aggregates, names, workers, ignore_conditions, remaining):
        self.project = project
        self.aggregates = aggregates
        self.groups = set(project._gather_executable_flow_groups(names))
        self.workers = workers
        self.ignore_conditions = ignore_conditions
        self.remaining = remaining
        self.context = multiprocessing.get_context("fork")
        self.default_directives = project._get_default_directives()
        self.stages = getattr(project, "stages", {})
        self.stats = RunStatistics(workers)
        self.running: dict[int, _Running] = {}  # by the process's sentinel
        self.attempts: dict[str, int] = {}  # operation id → starts in this run
        self.finished: set[str] = set()
        self.failure: tuple[object, BaseException] | None = None
        self.last_line = time.monotonic()

    def eligible(self) -> list:
        """The eligible operations not running and not finished in this run, by priority."""
        project = self.project
        busy = {r.operation.id for r in self.running.values()}
        with project._buffered():
            operations = [
                operation
                for _, aggregate, group in project._generate_selected_aggregate_groups(
                    selected_aggregates=self.aggregates, selected_groups=self.groups
                )
                for operation in group._create_run_job_operations(
                    project._entrypoint, self.default_directives, aggregate,
                    self.ignore_conditions,
                )
            ]  # fmt: skip
        return sorted(
            (op for op in operations if op.id not in self.finished and op.id not in busy),
            key=lambda op: priority(op, self.stages),
        )

    def launch(self, operation) -> None:
        """Start ``operation`` in a forked worker."""
        if len(self.attempts) == 1:  # a second operation: imports are worth sharing now
            preload()
        receive, send = self.context.Pipe(duplex=False)
        process = self.context.Process(
            target=_child, args=(self.project, operation, send), name=operation.name,
            daemon=False,
        )  # fmt: skip
        process.start()
        send.close()
        self.attempts[operation.id] = self.attempts.get(operation.id, 0) + 1
        self.running[process.sentinel] = _Running(operation, process, receive, time.monotonic())

    def reap(self, entry: _Running) -> None:
        """Collect a worker that ended: done, killed (started again), or failed."""
        entry.process.join()
        seconds = time.monotonic() - entry.started
        operation, code = entry.operation, entry.process.exitcode
        payload = None
        if code != 0:
            try:
                payload = entry.conn.recv_bytes()
            except EOFError:  # killed before it could say why
                pass
        entry.conn.close()
        if code == 0:
            self.finished.add(operation.id)
            self.stats.finished(operation.name, seconds)
        elif payload is None and code < 0 and self.attempts[operation.id] <= RETRIES:
            self.stats.restarted += 1
            log.warning(
                "%s: its worker was killed (signal %d) after %s; starting it again "
                "(it resumes from its last checkpoint)",
                operation, -code, format_seconds(seconds),
            )  # fmt: skip
        else:
            self.finished.add(operation.id)
            error = (
                worker_error(*json.loads(payload))
                if payload is not None
                else RuntimeError(f"its worker ended with exit code {code} and no error")
            )
            self.failed(operation, error)

    def failed(self, operation, error: BaseException) -> None:
        """Keep the first failure; the running operations finish, nothing new starts."""
        if self.failure is not None:
            return
        self.failure = (operation, error)
        if self.running:
            log.error(
                "%s failed (%s: %s); waiting for the %d running operation(s) to "
                "finish (Ctrl-C stops them: they resume on the next run)",
                operation, type(error).__name__, error, len(self.running),
            )  # fmt: skip

    def progress(self) -> None:
        """A progress line every :data:`PROGRESS_SECONDS`."""
        if time.monotonic() - self.last_line < PROGRESS_SECONDS:
            return
        self.last_line = time.monotonic()
        pending = list(self.remaining())
        for entry in self.running.values():  # the running ones are counted apart
            if entry.operation.name in pending:
                pending.remove(entry.operation.name)
        log.info(progress_line(self.stats, self.running.values(), pending))

    def loop(self) -> None:
        """Refill the workers until nothing is eligible and nothing runs; Ctrl-C stops
        the workers (they resume on the next run)."""
        try:
            while True:
                if self.failure is None and len(self.running) < self.workers:
                    for operation in self.eligible()[: self.workers - len(self.running)]:
                        self.launch(operation)
                if not self.running:
                    break
                self.progress()  # the workers refilled
                for sentinel in wait(list(self.running), timeout=PROGRESS_SECONDS):
                    self.reap(self.running.pop(sentinel))
        except KeyboardInterrupt:
            for entry in self.running.values():
                entry.process.terminate()
            for entry in self.running.values():
                entry.process.join()
            raise


def _cpu_seconds(usage) -> float:
    return usage.ru_utime + usage.ru_stime


def run_pulling(
    project,
    aggregates,
    names: list[str],
    workers: int,
    ignore_conditions,
    remaining: Callable[[], list[str]],
) -> RunStatistics:
    """Run every eligible operation of ``project`` (flow's selection: ``aggregates``,
    ``names``, ``ignore_conditions``) on ``workers`` processes, refilling a worker the
    moment it frees (one worker: in this process, :func:`_run_in_process`);
    ``remaining()`` names the operations not yet complete (for the progress line).
    Raises flow's ``UserOperationError`` of the first failure."""
    from flow.errors import UserOperationError

    run = _PullingRun(project, aggregates, names, workers, ignore_conditions, remaining)
    if workers == 1:
        return _run_in_process(project, run.eligible, run.finished, run.stats, remaining)
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    own_before = resource.getrusage(resource.RUSAGE_SELF)
    run.loop()
    stats = run.stats
    stats.cpu_seconds = _cpu_seconds(resource.getrusage(resource.RUSAGE_CHILDREN)) - _cpu_seconds(
        cpu_before
    )
    stats.scheduler_seconds = _cpu_seconds(resource.getrusage(resource.RUSAGE_SELF)) - _cpu_seconds(
        own_before
    )
    stats.wall_seconds = time.monotonic() - stats.start
    if run.failure is not None:
        operation, error = run.failure
        raise UserOperationError(
            f"An exception was raised during operation {operation.name} for job or "
            f"aggregate {operation}."
        ) from error
    return stats
