"""掌上办事入口: checking 5,000 service links against the fake service host with bounded
concurrency (run by hand, prints figures).

    .venv/bin/python bench/servicelinks.py                       # SQLite (a file under /tmp)
    .venv/bin/python bench/servicelinks.py --pg postgres://postgres@127.0.0.1:5432/postgres

Target (issue 16): 5,000 links checked, outcomes stored and findings opened, under 60 s. The mix:
mostly working pages, some 404s, some redirects to a 页面不存在 page, some server errors, and a
few pages that never answer (each costs the configured timeout, 2 s here).
"""

import random
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

    from govmedia.orgs.models import Organization, OrgType
    from govmedia.registry.models import MediaAccount, Platform
    from govmedia.registry.platforms import ensure_default_platforms
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
        fetching = _timed_fetches()
        start = time.perf_counter()
        run = check_links_now(timeout=TIMEOUT)
        took = time.perf_counter() - start
    outcomes = Counter(ServiceLink.objects.values_list("last_outcome", flat=True))
    print(
        f"database {db_label()}, {run.checked} links, concurrency {CONCURRENCY}, timeout {TIMEOUT} s"
    )
    print(f"outcomes {dict(sorted(outcomes.items()))}")
    print(f"findings opened {run.opened} (stored {LinkFinding.objects.count()})")
    print(f"check, store and open findings  {took:8.2f} s   (target < 60 s)")
    print(f"  of which fetching the pages     {fetching[0]:8.2f} s")


def _timed_fetches() -> list[float]:
    """The seconds spent in the checker's fetches (the rest is claiming and recording)."""
    from govmedia.servicelinks import checker

    spent = [0.0]
    check_links = checker.check_links

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return check_links(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start

    checker.check_links = timed
    return spent


if __name__ == "__main__":
    main()
