"""Several engine processes on one machine, forked from one loaded model.

Why: one Rasa process handles one message at a time (the dialogue code holds the GIL), so on
2 cores the engine was the bottleneck while the second core idled. Rasa's own workers
(`SANIC_WORKERS`) load the model again after forking (about 1.5 GB each) and share one port,
so conversations kept in memory by `nlu.tracker_store` would be split between them. Here the
model is loaded once, the NLU pipeline is warmed up, and `workers` processes are forked from
it; worker i serves `port + i`, and the app sends each conversation to one worker
(`bot.engine.worker_urls`), so its live tracker always sits in the same process.

TensorFlow cannot be used across a fork: the thread pools of a runtime started in the parent
are gone in the child and the first prediction waits forever. So DIET's TensorFlow model is not
built in the parent: its files are kept, and each worker builds the model for prediction only
(`nlu.diet_loading`) before it accepts its first message. Kiwi's typo model (about 220 MB,
built on first use) and everything else are built in the parent and shared copy-on-write.

A worker that dies is forked again from the parent; SIGTERM/SIGINT stop all workers, each
writing its pending conversation events first (`CachedSQLTrackerStore.close`).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import ctypes
import functools
import gc
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

WARM_UP_TEXTS = ("안녕하세요", "관악구 중장년센터 어디예요?", "실업급여 얼마 받을 수 있나요")
RESTART_PAUSE_S = 2.0
PR_SET_PDEATHSIG = 1
# a worker that keeps failing (e.g. its port is taken) stops the engine instead of looping
RESTART_LIMIT = 5
RESTART_WINDOW_S = 120.0


def worker_port(port: int, index: int) -> int:
    """Worker i listens on the engine port plus i (the app's `bot.engine.worker_urls`)."""
    return port + index


def busy_ports(host: str, port: int, count: int) -> list[int]:
    """The worker ports another program already listens on (checked before loading the model)."""
    taken = []
    for index in range(count):
        candidate = worker_port(port, index)
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((host, candidate))
            except OSError:
                taken.append(candidate)
    return taken


async def warm_up(agent: Any) -> None:
    """Runs the NLU pipeline once per text: lazy models are built before the first user."""
    for text in WARM_UP_TEXTS:
        await agent.parse_message(text)


async def _load_agent(model_path: str, endpoints: Any, remote_storage: str | None) -> Any:
    from rasa.core.agent import load_agent

    agent = await load_agent(
        model_path=model_path, remote_storage=remote_storage, endpoints=endpoints
    )
    await warm_up(agent)  # DIET is deferred here: Kiwi, featurizers, normalizer, rules warm
    return agent


def _serve_worker(
    serve_application: Callable[..., None],
    agent: Any,
    index: int,
    model_path: str,
    kwargs: dict[str, Any],
) -> None:
    """In the forked child: serve Rasa's app on this worker's port with the loaded agent."""
    import rasa.core.run

    from nlu import diet_loading

    diet_loading.allow_model_build()
    _forget_inherited_connections(agent)

    async def load_agent_on_start(
        _model_path: Any, _endpoints: Any, _remote_storage: Any, app: Any, _loop: Any
    ) -> Any:
        await warm_up(agent)  # builds DIET's TensorFlow model in this process
        app.ctx.agent = agent
        logger.info("engine worker %d is up (pid %d)", index, os.getpid())
        return agent

    rasa.core.run.load_agent_on_start = load_agent_on_start
    port = worker_port(int(kwargs.pop("port")), index)
    serve_application(model_path, port=port, **kwargs)


def _forget_inherited_connections(agent: Any) -> None:
    """Database connections opened in the parent must not be shared by the children."""
    store = getattr(agent, "tracker_store", None)
    if hasattr(store, "after_fork"):
        store.after_fork()
    elif getattr(store, "engine", None) is not None:
        store.engine.dispose()


def _die_with_parent() -> None:
    """Linux: a worker gets SIGTERM when the parent dies (killed, not stopped), so no worker
    is left holding its port when the supervisor starts the engine again."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() == 1:  # the parent died before prctl took effect
        os.kill(os.getpid(), signal.SIGTERM)


MADV_DONTNEED = 4


def read_only_file_mappings(smaps: str) -> list[tuple[int, int]]:
    """(start, length) of mappings backed by a file, not writable, holding no anonymous pages."""
    found: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for line in smaps.splitlines():
        head = line.split(maxsplit=5)
        if len(head) >= 5 and "-" in head[0] and not head[0].endswith(":"):
            current = None
            start, end = (int(part, 16) for part in head[0].split("-"))
            path = head[5] if len(head) > 5 else ""
            if "w" not in head[1] and path.startswith("/"):
                current = (start, end - start)
        elif current is not None and head[0] == "Anonymous:" and head[1] == "0":
            found.append(current)
            current = None
    return found


def release_file_pages() -> int:
    """The parent, once its workers run: drops its resident pages of library code (clean,
    read-only file pages, e.g. TensorFlow's that only loading touched). The kernel keeps them in
    the page cache; if the parent needs one again (forking a worker anew) it is read back.
    Returns the number of mappings released."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        mappings = read_only_file_mappings(open("/proc/self/smaps", encoding="utf-8").read())
    except OSError:
        return 0
    libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    released = 0
    for start, length in mappings:
        if libc.madvise(ctypes.c_void_p(start), ctypes.c_size_t(length), MADV_DONTNEED) == 0:
            released += 1
    return released


class Workers:
    """The parent: forks the workers, forks again one that died, stops them all on a signal."""

    def __init__(self, count: int, start: Callable[[int], None]) -> None:
        self.count = count
        self._start = start
        self._pids: dict[int, int] = {}  # pid -> worker index
        self._stopping = False
        self._failures: dict[int, list[float]] = {}
        self.code = 0

    def _fork(self, index: int) -> None:
        pid = os.fork()
        if pid == 0:
            os._exit(self._child(index))
        self._pids[pid] = index

    def _child(self, index: int) -> int:
        """Runs worker `index` to its end; exit handlers run here (pending events written),
        but not the parent's cleanup, which a plain `sys.exit` would unwind into."""
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        _die_with_parent()
        code = 0
        try:
            self._start(index)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            logger.exception("engine worker %d failed", index)
            code = 1
        finally:
            atexit._run_exitfuncs()
            logging.shutdown()
            sys.stdout.flush()
            sys.stderr.flush()
        return code

    def _stop(self, signum: int, _frame: Any) -> None:
        self._stopping = True
        for pid in list(self._pids):
            try:
                os.kill(pid, signal.SIGTERM if signum == signal.SIGTERM else signal.SIGINT)
            except ProcessLookupError:
                pass

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        for index in range(self.count):
            self._fork(index)
        release_file_pages()
        while self._pids:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            index = self._pids.pop(pid, None)
            if index is None or self._stopping:
                continue
            now = time.monotonic()
            recent = [t for t in self._failures.get(index, []) if now - t < RESTART_WINDOW_S]
            self._failures[index] = [*recent, now]
            if len(recent) >= RESTART_LIMIT:
                logger.error("engine worker %d keeps stopping; stopping the engine", index)
                self.code = 1
                self._stop(signal.SIGTERM, None)
                continue
            logger.warning("engine worker %d stopped (status %d); starting it again", index, status)
            time.sleep(RESTART_PAUSE_S)
            if not self._stopping:
                self._fork(index)
        return self.code


def install_prefork(workers: int) -> None:
    """Replaces `rasa run`'s server start: load once, then `workers` forked servers."""
    import rasa.core.run

    from nlu import diet_loading

    diet_loading.install_deferred_diet()
    serve_application = rasa.core.run.serve_application

    # Rasa passes only the arguments `serve_application`'s signature names (minimal_kwargs):
    # `wraps` gives ours the same signature
    @functools.wraps(serve_application)
    def serve_preforked(model_path: str | None = None, **kwargs: Any) -> None:
        host, port = str(kwargs.get("interface") or "0.0.0.0"), int(kwargs["port"])
        if taken := busy_ports(host, port, workers):
            logger.error(
                "엔진 워커가 쓸 포트가 이미 쓰이고 있습니다(%s). 그 프로그램을 끄거나 RASA_URL의 "
                "포트를 바꿔 주세요. 워커 %d개가 %d번부터 차례로 씁니다.",
                ", ".join(map(str, taken)), workers, port,
            )  # fmt: skip
            sys.exit(1)
        endpoints = kwargs.get("endpoints")
        agent = asyncio.run(_load_agent(model_path, endpoints, kwargs.get("remote_storage")))
        gc.collect()
        gc.freeze()  # the children's garbage collector leaves the shared objects' pages alone
        logger.info("model loaded once; starting %d engine workers", workers)
        try:
            code = Workers(
                workers,
                lambda i: _serve_worker(serve_application, agent, i, model_path, dict(kwargs)),
            ).run()
        finally:
            diet_loading.cleanup()
        sys.exit(code)

    rasa.core.run.serve_application = serve_preforked
