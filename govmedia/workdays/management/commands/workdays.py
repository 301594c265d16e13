"""`workdays deadline YYYY-MM-DD N`: the earlier form of `workdays_deadline`, kept for scripts."""

from django.core.management.base import BaseCommand, CommandError

from .workdays_deadline import add_deadline_arguments, write_deadline


class Command(BaseCommand):
    help = "工作日历工具（旧名，请用 workdays_deadline）。deadline YYYY-MM-DD N：输出一行 JSON。"

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", title="子命令", metavar="deadline")
        add_deadline_arguments(
            subcommands.add_parser(
                "deadline",
                help="计算工作日期限",
                description='输出 {"deadline": "YYYY-MM-DD", "provisional": true/false}；'
                "provisional 为 true 表示涉及尚未发布官方放假安排的年度，期限系临时推算。",
            )
        )

    def handle(self, *args, subcommand=None, **options):
        if subcommand != "deadline":
            raise CommandError(
                "请指定子命令，例如：python manage.py workdays deadline 2026-02-13 5"
            )
        write_deadline(self, options["start"], options["days"])
