from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from govmedia.audit import exports


def parse_month(value: str) -> date:
    try:
        year, month = value.split("-")
        return date(int(year), int(month), 1)
    except ValueError as exc:
        raise CommandError(f"月份格式应为 YYYY-MM：{value}") from exc


class Command(BaseCommand):
    help = "导出一个月的审计日志及导出时的链头（JSON Lines），供归档；--check 文件：用审计密钥核验已导出的文件。"

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM，默认为上个月")
        parser.add_argument(
            "--output", help="输出文件，默认 BACKUP_DIR/audit/govmedia-audit-YYYY-MM.jsonl"
        )
        parser.add_argument("--check", metavar="FILE", help="核验已导出的文件")

    def handle(self, *args, **options):
        if options["check"]:
            problems = exports.verify_export(Path(options["check"]), settings.AUDIT_HMAC_KEY)
            for problem in problems:
                self.stderr.write(f"审计归档异常：{problem}")
            if problems:
                raise CommandError(f"审计归档核验失败，共 {len(problems)} 处异常")
            self.stdout.write("审计归档核验通过。")
            return
        month = (
            parse_month(options["month"])
            if options["month"]
            else exports.previous_month(timezone.localdate())
        )
        path = Path(
            options["output"] or Path(settings.BACKUP_DIR) / "audit" / exports.file_name(month)
        )
        done = exports.export_month(month, path)
        self.stdout.write(
            f"已导出 {month:%Y-%m} 的审计日志 {done.events} 条"
            + (f"（第 {done.first_seq}–{done.last_seq} 条）" if done.events else "")
            + f"及链头：{done.path}"
        )
