"""manage.py monitoring_pull [--all] [--threads N]: one pull round now, in this process.

The scheduled task does the same every minute under qcluster; this is for an operator (after
fixing credentials, say) and for the demo. --all makes every pulled account due first.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from govmedia.monitoring.claims import ensure_states
from govmedia.monitoring.models import PullState
from govmedia.monitoring.pulling import pull_round


class Command(BaseCommand):
    help = "立即采集到期的政务新媒体（--all：全部账号）"

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="先将全部账号设为到期")
        parser.add_argument("--threads", type=int, default=None, help="并发请求数")

    def handle(self, *args, **options):
        if options["all"]:
            ensure_states()
            PullState.objects.update(next_due_at=timezone.now())
        stats = pull_round(threads=options["threads"])
        self.stdout.write(str(stats))
        if stats.errors:
            self.stdout.write(f"失败原因：{stats.errors}")
