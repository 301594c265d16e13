"""`python manage.py workdays deadline YYYY-MM-DD N`: the API's deadline answer, for scripts.

Prints exactly one JSON line on standard output, `{"deadline": "YYYY-MM-DD", "provisional": bool}`,
computed by the same code as `GET /api/v1/workdays/deadline`; bad input exits non-zero with a
Chinese message on standard error and nothing on standard output.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from govmedia.core.errors import ServiceError
from govmedia.workdays.calendar import deadline_from_text, deadline_json


class Command(BaseCommand):
    help = "工作日历工具。deadline YYYY-MM-DD N：事件日期之后第 N 个工作日（当日不计），输出一行 JSON。"

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", title="子命令", metavar="deadline")
        deadline = subcommands.add_parser(
            "deadline",
            help="计算工作日期限",
            description='输出 {"deadline": "YYYY-MM-DD", "provisional": true/false}；'
            "provisional 为 true 表示涉及尚未发布官方放假安排的年度，期限系临时推算。",
        )
        # Optional strings, not required ints: a missing or bad value gets our Chinese message
        # rather than argparse's English one.
        deadline.add_argument(
            "start", nargs="?", default="", help="事件日期，格式 YYYY-MM-DD（当日不计）"
        )
        deadline.add_argument("days", nargs="?", default="", help="工作日天数 N（1–366）")

    def handle(self, *args, subcommand=None, **options):
        if subcommand is None:
            raise CommandError(
                "请指定子命令，例如：python manage.py workdays deadline 2026-02-13 5"
            )
        if subcommand == "deadline":
            try:
                result = deadline_from_text(options["start"], options["days"])
            except ServiceError as exc:
                raise CommandError(exc.message) from None
            self.stdout.write(json.dumps(deadline_json(result), ensure_ascii=False))
