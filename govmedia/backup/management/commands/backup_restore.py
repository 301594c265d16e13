from django.core.management.base import BaseCommand, CommandError

from govmedia.backup import services
from govmedia.core.errors import ServiceError


class Command(BaseCommand):
    help = (
        "把一份备份恢复到空的安装（新建的空数据库、空的上传文件目录），"
        "恢复后运行 audit_verify 校验审计日志哈希链。"
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="备份目录（BACKUP_DIR/govmedia-YYYYMMDD-HHMMSS）")

    def handle(self, *args, **options):
        try:
            backup = services.backup_restore(
                options["backup"],
                verify=lambda: self.call_verify(),
            )
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"恢复完成：{backup.path}（{backup.manifest['created_at']} 的备份）。"
            "如程序版本较新，请再运行 python manage.py migrate。"
        )

    def call_verify(self):
        from django.core.management import call_command

        try:
            call_command("audit_verify", stdout=self.stdout, stderr=self.stderr)
        except CommandError as exc:
            raise CommandError(f"数据已恢复，但审计日志校验未通过：{exc}") from exc
