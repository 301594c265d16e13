"""`python manage.py opinion_scan --days N`: evaluate the subscriptions on recent pulled posts,
comments and messages again (after a failure, or after adding a subscription). Signals are
stored once per subscription and content, a comment's tone once, and a post's spike once per
window, so running it twice adds nothing."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from govmedia.interaction.models import Message
from govmedia.monitoring.models import Post
from govmedia.opinion.intake import scan_messages, scan_posts


class Command(BaseCommand):
    help = "用监测方案重新匹配最近 N 天采集的内容、评论和留言（已收录的不重复收录）。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=1, help="最近几天发布的内容（默认 1）")

    def handle(self, *args, **options):
        since = timezone.now() - timedelta(days=max(1, options["days"]))
        ids = Post.objects.filter(published_at__gte=since, deleted_at__isnull=True).values_list(
            "pk", flat=True
        )
        stored = scan_posts(list(ids))
        messages = Message.objects.filter(received_at__gte=since).order_by("received_at", "pk")
        stored += scan_messages(list(messages.values_list("pk", flat=True)))
        self.stdout.write(f"新收录舆情信息 {stored} 条")
