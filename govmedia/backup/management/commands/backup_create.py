from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from govmedia.backup import services
from govmedia.core.errors import ServiceError


class Command(BaseCommand):
    help = (
        "备份数据库（SQLite 在线备份 / PostgreSQL pg_dump 自定义格式）与上传文件，"
        "写入 BACKUP_DIR 下带时间的目录，并删除超过 BACKUP_RETENTION_DAYS 天的旧备份。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="备份目录，默认 BACKUP_DIR")
        parser.add_argument("--keep-all", action="store_true", help="不删除旧备份")

    def handle(self, *args, **options):
        directory = Path(options["dir"]) if options["dir"] else None
        try:
            backup = services.backup_create(directory=directory)
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"备份完成：{backup.path}（数据库 {backup.manifest['vendor']}，"
            f"上传文件 {backup.manifest['media_files']} 个）"
        )
        if not options["keep_all"]:
            for path in services.backup_prune(directory=directory):
                self.stdout.write(f"已删除过期备份：{path}")
