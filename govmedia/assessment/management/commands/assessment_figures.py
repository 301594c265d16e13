"""`python manage.py assessment_figures [--month YYYY-MM] [--months N]`: rebuild the monthly
传播力 figures (and per-platform ranks) from the pulled posts; by default this month and the
last (the nightly task does the same)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ...services.figures import figures_build, month_start


class Command(BaseCommand):
    help = "由已采集内容重算各账号月度传播力数据与排名"

    def add_arguments(self, parser):
        parser.add_argument("--month", help="从该月（YYYY-MM）起往前重算，默认本月")
        parser.add_argument("--months", type=int, default=2, help="重算的月数（默认 2）")

    def handle(self, *args, **options):
        if options["month"]:
            try:
                year, month = (int(part) for part in options["month"].split("-"))
                current = date(year, month, 1)
            except ValueError:
                raise CommandError("--month 应为 YYYY-MM，如 2026-11") from None
        else:
            current = month_start(timezone.localdate())
        if not 1 <= options["months"] <= 120:
            raise CommandError("--months 应在 1 到 120 之间")
        for _ in range(options["months"]):
            rows = figures_build(month=current)
            self.stdout.write(f"{current:%Y-%m}：{rows} 个账号")
            current = month_start(date.fromordinal(current.toordinal() - 1))
