"""`python manage.py compliance_check`: recompute every finding and print the counts per rule.

Exits 0 whatever it finds: findings are the platform's work list, not a failure of the command.
"""

from django.core.management.base import BaseCommand
from django.db.models import Count

from govmedia.compliance import rules
from govmedia.compliance.models import ComplianceFinding
from govmedia.compliance.services import compliance_refresh


class Command(BaseCommand):
    help = "合规检查：按通知第二部分（一）及附件备注重新检查全部政务新媒体，输出各规则的问题数。"

    def handle(self, *args, **options):
        result = compliance_refresh()
        counts = dict(
            ComplianceFinding.objects.open().values_list("rule").annotate(n=Count("id")).order_by()
        )
        self.stdout.write(f"合规检查完成：新发现 {result.opened} 条，已消除 {result.resolved} 条。")
        width = max(len(code) for code in rules.RULES)
        for code, rule in rules.RULES.items():
            self.stdout.write(
                f"{code.ljust(width)}  {counts.get(code, 0):>6}  {rule.title}（{rule.basis}）"
            )
        self.stdout.write(f"{'total'.ljust(width)}  {sum(counts.values()):>6}  现存问题合计")
