"""掌上办事入口: checking 5,000 service links against the fake service host with bounded
concurrency (run by hand, prints figures).

    .venv/bin/python bench/servicelinks.py                       # SQLite (a file under /tmp)
    .venv/bin/python bench/servicelinks.py --pg postgres://postgres@127.0.0.1:5432/postgres

Target (issue 16): 5,000 links checked, outcomes stored and findings opened, under 60 s. The mix:
mostly working pages, some 404s, some redirects to a 页面不存在 page, some server errors, and a
few pages that never answer (each costs the configured timeout, 2 s here).
"""

import os
import random
import resource
import time
from collections import Counter

from common import configure, db_label

N_ACCOUNTS, LINKS_PER_ACCOUNT = 100, 50
MIX = [("/ok/", 0.9), ("/missing/", 0.04), ("/moved/", 0.03), ("/error/", 0.028), ("/hang/", 0.002)]
CONCURRENCY, TIMEOUT = 50, 2.0


class FakeHostProcess:
    """The fake service host in its own process, as a real host would be: in this process its
    threads would compete with the checker for the interpreter."""

    def __enter__(self):
        import socket
        import subprocess
        import sys

        ports = []
        for _ in range(2):
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                ports.append(probe.getsockname()[1])
        self.port = ports[0]
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "govmedia.platforms.fakes.servicehost",
                "--port",
                str(ports[0]),
                "--tls-port",
                str(ports[1]),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        self.process.stdout.readline()  # "service-host …": listening
        return self

    def url(self, path: str) -> str:
        from urllib.parse import quote

        return f"http://127.0.0.1:{self.port}{quote(path)}"

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(10)


def main() -> None:
    args = configure("servicelinks")
    from django.conf import settings
    from django.db import connection

    from govmedia.orgs.models import Organization, OrgType
    from govmedia.registry.models import MediaAccount, Platform
    from govmedia.registry.platforms import ensure_default_platforms
    from govmedia.servicelinks import checker, checking
    from govmedia.servicelinks.checking import check_links_now
    from govmedia.servicelinks.models import LinkFinding, ServiceLink

    rng = random.Random(16)
    ensure_default_platforms(Platform)
    root = Organization.objects.create(name="菏泽市定陶区", org_type=OrgType.DISTRICT, path="/p/")
    root.path = f"/{root.pk}/"
    root.save(update_fields=["path"])
    wechat = Platform.objects.get(code="wechat-mp")
    n_accounts = max(1, int(N_ACCOUNTS * args.scale))
    accounts = MediaAccount.objects.bulk_create(
        MediaAccount(
            host_org=root,
            platform=wechat,
            name=f"账号{i:03d}",
            handle=f"bench{i:03d}",
            registrant="定陶区",
            positioning="发布政务信息",
        )
        for i in range(n_accounts)
    )
    paths, weights = zip(*MIX, strict=True)
    with FakeHostProcess() as host:
        links = [
            ServiceLink(
                account=account,
                kind="menu",
                name=f"入口{n}",
                url=host.url(f"{rng.choices(paths, weights)[0]}{account.pk}-{n}"),
                next_check_at=root.created_at,
            )
            for account in accounts
            for n in range(LINKS_PER_ACCOUNT)
        ]
        ServiceLink.objects.bulk_create(links, batch_size=1000)
        settings.SERVICELINK_CHECK_CONCURRENCY = CONCURRENCY
        fetching = _timed(checker, "check_links")
        claiming = _timed(checking, "claim_due")
        recording = _timed(checking, "record")
        queries = [0]
        start, cpu_start = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(_counting(queries)):
            run = check_links_now(timeout=TIMEOUT)
        took, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    host_cpu = sum(resource.getrusage(resource.RUSAGE_CHILDREN)[:2])
    outcomes = Counter(ServiceLink.objects.values_list("last_outcome", flat=True))
    print(
        f"database {db_label()}, {run.checked} links, concurrency {CONCURRENCY}, timeout {TIMEOUT} s"
    )
    print(f"outcomes {dict(sorted(outcomes.items()))}")
    print(f"findings opened {run.opened} (stored {LinkFinding.objects.count()})")
    print(f"check, store and open findings  {took:8.2f} s   (target < 60 s)")
    print(f"  of which fetching the pages     {fetching[0]:8.2f} s   CPU {fetching[1]:6.2f} s")
    print(f"          claiming the links      {claiming[0]:8.2f} s   CPU {claiming[1]:6.2f} s")
    print(f"          storing, findings       {recording[0]:8.2f} s   CPU {recording[1]:6.2f} s")
    print(f"checker CPU (user+sys)            {cpu:8.2f} s   ({queries[0]} queries)")
    print(f"fake host CPU (its own process)   {host_cpu:8.2f} s")
    print(f"load average at the end           {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"target: 5,000 links in under 60 s {'met' if took < 60 else 'NOT met'}")


def _timed(module, name: str) -> list[float]:
    """The seconds (wall, CPU) spent in module.name from now on (wrapped in place)."""
    spent = [0.0, 0.0]
    function = getattr(module, name)

    def timed(*args, **kwargs):
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start
            spent[1] += time.process_time() - cpu

    setattr(module, name, timed)
    return spent


def _counting(counter: list[int]):
    def wrapper(execute, sql, params, many, context):
        counter[0] += 1
        return execute(sql, params, many, context)

    return wrapper


if __name__ == "__main__":
    main()
