"""`python manage.py qa_import FILE [--by USERNAME]`: import an exchange file of the
政府网站集约化平台 (JSON lines, or the library's Excel export) as published entries, on the
district office's authority, audited. Any bad line rejects the whole file: the lines and their
errors are printed, and nothing is imported."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from govmedia.core.errors import ServiceError
from govmedia.core.spreadsheets import ImportRejected
from govmedia.qa.exchange import read_jsonl, read_xlsx
from govmedia.qa.services import entries_import
from govmedia.users.models import User

MAX_BYTES = 50 * 1024 * 1024


class Command(BaseCommand):
    help = "导入答问库交换文件（JSON 行格式或 Excel），作为已发布条目（区政府办公室授权，记入审计日志）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="交换文件：.jsonl（每行一个条目）或 .xlsx")
        parser.add_argument(
            "--by", default="", help="以哪位平台管理员的名义导入（用户名；缺省为系统）"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError("文件过大：最大 50 MB")
        actor = None
        if options["by"]:
            actor = User.objects.filter(username=options["by"], is_active=True).first()
            if actor is None:
                raise CommandError(f"找不到用户：{options['by']}")
        data = path.read_bytes()
        try:
            if path.suffix.lower() == ".xlsx":
                rows, bad = read_xlsx(data)
            else:
                try:
                    text = data.decode("utf-8-sig")
                except UnicodeDecodeError:
                    raise CommandError("文件不是 UTF-8 编码的文本") from None
                rows, bad = read_jsonl(text)
            entries = entries_import(actor=actor, rows=rows, errors=bad)
        except ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(f"第 {error.row} 行 {error.column}：{error.message}")
            raise CommandError(exc.message) from None
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"已导入并发布 {len(entries)} 个答问条目")
