"""A worker's round: claim due accounts, fetch them concurrently, write each result.

HTTP runs in a bounded thread pool (the platform clients are thread-safe and the fetch touches no
database), in a child process by default (fetch_process: the writer then has this interpreter to
itself) or in this one (settings.PULL_FETCH_PROCESS off); everything that reads or writes the
database stays in the calling thread, so no connection is ever shared between threads. Claims
are topped up while fetches are in flight, so the pool stays busy until nothing is due, or until
the round's time budget is spent.
"""

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import timedelta
from queue import SimpleQueue

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from govmedia.platforms.base import AccountRef

from . import alerts, claims, rectify
from .clients import client_for
from .credentials import account_ref, credential_rows
from .fetch import FetchPlan, FetchResult, failed, fetch, no_client
from .fetch_process import FetchChild
from .ingest import write_results
from .models import PullState

logger = logging.getLogger(__name__)

MAX_PAGES = 20
FIRST_PULL_DAYS = 90  # the first pull reaches back over the dormancy window
RELIST_DAYS = 30  # the window re-listed to notice posts deleted after publication
RELIST_EVERY = timedelta(hours=24)
# Results written in one transaction, at most. A group's writing costs ~10 statements and a
# commit whatever its size, waited for while the HTTP threads hold the interpreter: at 100 the
# bench's 10,000 accounts went at ~150 a second, at 300 at ~180 (medians of 6 and 7 runs).
GROUP = 300
BATCH = 2 * GROUP  # accounts claimed at once: enough finished results to fill a group


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


@dataclass
class RoundStats:
    accounts: int = 0
    failed: int = 0
    posts_seen: int = 0
    posts_new: int = 0
    posts_updated: int = 0
    posts_deleted: int = 0
    alerts: int = 0
    seconds: float = 0.0
    errors: dict[str, int] = field(default_factory=dict)

    def __str__(self):
        return (
            f"采集 {self.accounts} 个账号（失败 {self.failed}），新增 {self.posts_new} 条、"
            f"内容变化 {self.posts_updated} 条、发现删除 {self.posts_deleted} 条，"
            f"用时 {self.seconds:.1f} 秒（新增和变化的内容由审查任务另行审查）"
        )


@dataclass(frozen=True)
class Job:
    state: PullState  # as claimed, with its account, platform and host unit
    plan: FetchPlan


def plan_for(state: PullState, now, credentials: dict | None = None) -> FetchPlan:
    account = state.account
    relist_from = None
    if state.last_success_at is None:
        relist_from = now - timedelta(days=FIRST_PULL_DAYS)
    elif state.last_relist_at is None or now - state.last_relist_at >= RELIST_EVERY:
        relist_from = now - timedelta(days=RELIST_DAYS)
    plan = FetchPlan(
        account_id=account.pk,
        platform=account.platform.code,
        ref=AccountRef(handle=account.handle),
        since=state.last_post_at,
        relist_from=relist_from,
        max_pages=MAX_PAGES,
    )
    try:
        return replace(plan, ref=account_ref(account, credentials))
    except Exception as exc:  # noqa: BLE001 - e.g. a wrong CREDENTIALS_KEYS: fail this pull only
        logger.exception("读取账号 %s 的接口凭据失败", account.pk)
        return replace(plan, problem=f"无法读取该账号的接口凭据（{type(exc).__name__}），请核对")


def _jobs(account_ids: list[int]) -> list[Job]:
    now = timezone.now()
    states = PullState.objects.filter(account_id__in=account_ids).select_related(
        "account__platform", "account__host_org"
    )
    credentials = credential_rows(account_ids)  # the whole batch in one query
    return [Job(state, plan_for(state, now, credentials)) for state in states]


def _fetch(plan: FetchPlan) -> FetchResult:
    try:
        client = client_for(plan.platform)
    except Exception as exc:  # noqa: BLE001 - a missing client fails the pull, not the worker
        return failed(plan, no_client(exc))
    return fetch(client, plan)


@contextmanager
def _fetcher(threads: int, finished: SimpleQueue) -> Iterator[Callable[[FetchPlan], None]]:
    """submit(plan): fetch it in the background; its FetchResult arrives on `finished`."""
    if not settings.PULL_FETCH_PROCESS:
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="pull") as pool:
            yield lambda plan: pool.submit(_fetch, plan).add_done_callback(
                lambda future: finished.put(future.result())
            )
        return
    child = FetchChild(threads, finished)

    def submit(plan: FetchPlan) -> None:
        try:
            base_url = settings.PLATFORM_API_BASES[plan.platform]
        except KeyError as exc:  # as client_for: a platform that is not pulled
            finished.put(failed(plan, no_client(exc)))
        else:
            child.submit(plan, base_url)

    try:
        yield submit
    except BaseException:
        child.kill()  # the round failed: what is in flight will not be written
        raise
    child.close()


def finish(done: list[tuple[Job, FetchResult]], worker: str, stats: RoundStats) -> None:
    """Write the results that arrived together (with the dormant report's figures of their
    accounts), then check the thresholds of each account. New and edited posts are screened by
    their own task (rectify.screen_pending)."""
    written = write_results([(job.state, result) for job, result in done], worker=worker)
    for w in written:
        stats.accounts += 1
        stats.posts_seen += len(w.result.posts)
        stats.posts_new += w.new
        stats.posts_updated += w.changed
        stats.posts_deleted += w.deleted
        if not w.result.ok:
            stats.failed += 1
            stats.errors[w.run.error_kind] = stats.errors.get(w.run.error_kind, 0) + 1
    stats.failed += len(done) - len(written)  # accounts whose results could not be written
    with transaction.atomic():
        for w in written:
            account = w.state.account
            if w.result.ok:
                stats.alerts += alerts.check_dormant(
                    account, last_post_at=w.last_post_at, alerted=w.state.alerted_level
                )
            else:
                stats.alerts += alerts.check_failing(
                    account, failures=w.failures, error=w.run.error_message
                )


def _taken(result: FetchResult, inflight: dict[int, Job]) -> tuple[Job, FetchResult]:
    return inflight.pop(result.plan.account_id), result


def pull_round(
    *,
    worker: str | None = None,
    threads: int | None = None,
    batch: int = BATCH,
    budget_seconds: float | None = None,
) -> RoundStats:
    """Pull every due account once (or until the budget is spent); the figures of the round."""
    worker = worker or worker_name()
    threads = threads or settings.PULL_THREADS
    stats, started = RoundStats(), time.monotonic()
    claims.ensure_states()
    inflight: dict[int, Job] = {}  # by account
    # Fetches report here as they finish: concurrent.futures.wait would put a waiter on each of
    # the hundreds in flight for every result taken.
    finished: SimpleQueue[FetchResult] = SimpleQueue()
    more = True
    with _fetcher(threads, finished) as submit:
        while True:
            in_budget = budget_seconds is None or time.monotonic() - started < budget_seconds
            if more and in_budget and len(inflight) < threads:
                claimed = claims.claim_due(worker=worker, limit=batch)
                more = bool(claimed)
                for job in _jobs(claimed):
                    inflight[job.plan.account_id] = job
                    submit(job.plan)
            if not inflight:
                break
            done = [_taken(finished.get(), inflight)]  # waits for one, then takes what is there
            while not finished.empty():
                done.append(_taken(finished.get(), inflight))
            for group in (done[i : i + GROUP] for i in range(0, len(done), GROUP)):
                try:
                    finish(group, worker, stats)
                except Exception:  # a failed write must not stop the round (leases expire)
                    logger.exception(
                        "处理采集结果失败：账号 %s", [j.plan.account_id for j, _ in group]
                    )
    if stats.posts_new or stats.posts_updated:
        rectify.screening_enqueue()  # the schedule would catch up too, within the minute
    stats.seconds = time.monotonic() - started
    return stats
