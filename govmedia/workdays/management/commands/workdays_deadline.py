"""`python manage.py workdays_deadline YYYY-MM-DD N` (alias `workdays deadline …`): the API's
deadline answer, for scripts.

Prints exactly one JSON line on standard output, `{"deadline": "YYYY-MM-DD", "provisional": bool}`,
computed by the same code as `GET /api/v1/workdays/deadline`; bad input exits non-zero with a
Chinese message on standard error and nothing on standard output.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from govmedia.core.errors import ServiceError
from govmedia.workdays.calendar import deadline_from_text, deadline_json


class Command(BaseCommand):
    help = "事件日期之后第 N 个工作日（当日不计），输出一行 JSON。"

    def add_arguments(self, parser):
        add_deadline_arguments(parser)

    def handle(self, *args, **options):
        write_deadline(self, options["start"], options["days"])


def add_deadline_arguments(parser) -> None:
    # Optional strings, not required ints: a missing or bad value gets our Chinese message
    # rather than argparse's English one.
    parser.add_argument(
        "start", nargs="?", default="", help="事件日期，格式 YYYY-MM-DD（当日不计）"
    )
    parser.add_argument("days", nargs="?", default="", help="工作日天数 N（1–366）")


def write_deadline(command: BaseCommand, start: str, days: str) -> None:
    try:
        result = deadline_from_text(start, days)
    except ServiceError as exc:
        raise CommandError(exc.message) from None
    command.stdout.write(json.dumps(deadline_json(result), ensure_ascii=False))
