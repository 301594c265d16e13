"""`python manage.py coordination_detect`: judge again the pulled posts of the accounts that have
open repost tasks, published since the oldest open task's source, against those tasks (转载自动
识别), e.g. after a detection failed or REPOST_MATCH_THRESHOLD was changed. Idempotent: a task
completes once, a post completes at most one task."""

from django.core.management.base import BaseCommand
from django.db.models import Min

from govmedia.coordination.detection import detect_reposts
from govmedia.coordination.models import OPEN_STATES, RepostTask
from govmedia.monitoring.models import Post


class Command(BaseCommand):
    help = "补做转载任务的自动识别：以未完成任务的原文比对其目标账号已采集的内容。"

    def handle(self, *args, **options):
        open_tasks = RepostTask.objects.filter(state__in=OPEN_STATES)
        since = open_tasks.aggregate(since=Min("campaign__source_published_at"))["since"]
        if since is None:
            self.stdout.write("没有未完成的转载任务")
            return
        posts = Post.objects.filter(
            account_id__in=open_tasks.values("account_id"), published_at__gte=since
        ).values_list("pk", flat=True)
        stats = detect_reposts(list(posts))
        self.stdout.write(
            f"比对 {stats.posts} 条内容：自动识别 {stats.completed} 个任务，"
            f"核实报送 {stats.confirmed} 个任务"
        )
