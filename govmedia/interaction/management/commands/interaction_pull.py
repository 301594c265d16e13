"""Pull the comments of the accounts due now (or all of them) as messages."""

from django.core.management.base import BaseCommand

from govmedia.interaction.pulling import pull_due


class Command(BaseCommand):
    help = (
        "立即采集到期账号的平台评论为留言（--all：全部可采集的账号）；平时由后台任务每分钟自动采集"
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="不论是否到期，采集全部账号")

    def handle(self, *args, **options):
        results = pull_due(force=options["all"])
        for result in results:
            if result.error:
                self.stderr.write(f"账号 {result.account_id}：{result.error}")
        new = sum(r.new for r in results)
        self.stdout.write(f"采集 {len(results)} 个账号，新留言 {new} 条")
