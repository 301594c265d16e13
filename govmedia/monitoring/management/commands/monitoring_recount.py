"""Rebuild the dormant report's level counts from the accounts (the daily sweep does it too)."""

from django.core.management.base import BaseCommand

from govmedia.monitoring import tallies


class Command(BaseCommand):
    help = "重新统计僵尸账号报表各等级账号数（每日例行复核亦会执行）"

    def handle(self, *args, **options):
        wrong = tallies.reconcile()
        self.stdout.write(f"已重新统计；更正 {wrong} 项计数")
