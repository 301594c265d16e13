"""The pull's HTTP in a child process, so that the worker's interpreter is the writer's alone.

In one process the HTTP threads (httpx, JSON decoding, building posts) and the thread writing the
results share one interpreter lock; the bench found the writer, which is the round's critical
path, waiting for it about half of its time. The child runs the same pure fetch (monitoring.fetch)
in a thread pool of its own and sends each FetchResult back as soon as it is done. It imports
neither Django nor the database: it is given each plan with the base URL of its platform.

Frames, both ways: a 4-byte big-endian length, then a pickle. Parent → child: the pool size once,
then (plan, base_url) per account; the end of its input ends the child once every fetch it took
has been answered. Child → parent: FetchResult. The pickles are trusted: they travel between a
worker and the child it started, over that child's pipes.

A child that dies fails the pulls it had taken (their accounts are rescheduled as failed, never
lost) and every later submit at once, so a round always comes to its end.

    python -m govmedia.monitoring.fetch_process     # started by FetchChild, never by hand
"""

import logging
import pickle
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path
from queue import SimpleQueue
from typing import BinaryIO

from govmedia.platforms.clients import SharedClients

from .fetch import FetchPlan, failed, fetch, no_client

logger = logging.getLogger(__name__)

LENGTH = 4
GONE = "采集子进程意外退出，本次采集未完成"
CLOSE_SECONDS = 60  # a closing child answers what it took; longer than any client's timeouts


def write_frame(stream: BinaryIO, value) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(LENGTH, "big") + data)
    stream.flush()


def read_frames(stream: BinaryIO):
    """The values of the frames on `stream` until it ends (a frame cut short ends it too)."""
    while len(head := stream.read(LENGTH)) == LENGTH:
        data = stream.read(int.from_bytes(head, "big"))
        if len(data) < int.from_bytes(head, "big"):
            return
        yield pickle.loads(data)  # noqa: S301 - our own child's frames, see the module's doc


class FetchChild:
    """A child process fetching plans: `submit` hands one over, and its FetchResult is put on
    `results` once fetched (or failed, if the child dies first)."""

    def __init__(self, threads: int, results: SimpleQueue):
        self._results = results
        self._lock = threading.Lock()
        self._pending: dict[int, FetchPlan] = {}  # by account: sent, not yet answered
        self._gone = False
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=Path(__file__).resolve().parents[2],  # where `govmedia` imports from
        )
        self._reader = threading.Thread(target=self._read, name="pull-child-reader", daemon=True)
        self._reader.start()
        self._send(threads)

    @property
    def pid(self) -> int:
        return self._process.pid

    def submit(self, plan: FetchPlan, base_url: str) -> None:
        with self._lock:
            gone = self._gone
            if not gone:
                self._pending[plan.account_id] = plan
        if gone:
            self._results.put(failed(plan, GONE))
        else:
            self._send((plan, base_url))

    def close(self) -> None:
        """Wait for what the child took, then for its end; a child that does not end is
        killed (its unanswered pulls fail)."""
        with suppress(OSError):  # a dead child: its pulls are failed by the reader
            self._process.stdin.close()
        try:
            self._process.wait(timeout=CLOSE_SECONDS)
        except subprocess.TimeoutExpired:
            logger.error("采集子进程 %s 未按时结束，已终止", self._process.pid)
        self.kill()

    def kill(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._reader.join()

    def _send(self, value) -> None:
        # A child gone: the reader meets the end of its output and fails what it had, this
        # plan included (it was pending before the write).
        with suppress(OSError):
            write_frame(self._process.stdin, value)

    def _read(self) -> None:
        try:
            for result in read_frames(self._process.stdout):
                with self._lock:
                    self._pending.pop(result.plan.account_id, None)
                self._results.put(result)
        except Exception:  # a frame that does not unpickle: treated as the child's death
            logger.exception("读取采集子进程的结果失败")
        finally:
            with self._lock:
                self._gone = True
                lost = list(self._pending.values())
                self._pending.clear()
            if lost:
                logger.error("采集子进程退出时仍有 %s 个账号未完成采集", len(lost))
            for plan in lost:
                self._results.put(failed(plan, GONE))


def serve(source: BinaryIO, sink: BinaryIO) -> None:
    """The child: fetch each plan read from `source`, write its result to `sink`."""
    frames = read_frames(source)
    threads = next(frames)
    write_lock = threading.Lock()
    clients = SharedClients()

    def run(plan: FetchPlan, base_url: str) -> None:
        try:
            result = fetch(clients.get(plan.platform, base_url), plan)
        except Exception as exc:  # noqa: BLE001 - e.g. no client: this pull fails, not the child
            result = failed(plan, no_client(exc))
        with write_lock:
            write_frame(sink, result)

    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="pull") as pool:
        for plan, base_url in frames:
            pool.submit(run, plan, base_url)


if __name__ == "__main__":
    # Ctrl-C at a terminal reaches the whole process group: the worker decides when this ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with suppress(BrokenPipeError):  # the worker is gone: nobody is left to answer
        serve(sys.stdin.buffer, sys.stdout.buffer)
