"""`python manage.py publishing_rematch [--since YYYY-MM-DD]`: judge again every pulled post in
scope against the approved revisions (先审后发), after the cut-off PUBLISHING_MATCH_SINCE was
changed, or to backfill posts pulled before matching existed. Idempotent: a second run changes
nothing. Judgements of posts published before the cut-off are dropped; a dismissed finding stays
dismissed while the post's content is the same."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from govmedia.publishing.unapproved import match_since, rematch


class Command(BaseCommand):
    help = "重新比对已发布内容与审核通过的稿件（先审后发），用于修改起始日期或补做比对。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            default="",
            help="只比对该日期（YYYY-MM-DD）及以后发布的内容；不早于 PUBLISHING_MATCH_SINCE",
        )

    def handle(self, *args, **options):
        since = None
        if options["since"]:
            try:
                since = date.fromisoformat(options["since"])
            except ValueError:
                raise CommandError("--since 应为 YYYY-MM-DD 格式的日期") from None
        stats = rematch(since=since)
        self.stdout.write(
            f"起始时间 {timezone.localtime(match_since()):%Y-%m-%d %H:%M}：比对 {stats.judged} 条，"
            f"一致 {stats.matched} 条，未经审核发布 {stats.unapproved} 条，"
            f"移出范围 {stats.out_of_scope} 条"
        )
