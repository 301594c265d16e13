"""The nightly backup (django-q2, see schedules.py): a backup, the pruning of old ones, and on
the first night of a month the previous month's audit export into BACKUP_DIR/audit/ (kept)."""

from pathlib import Path

from django.conf import settings
from django.utils import timezone

from govmedia.audit import exports

from . import services


def nightly(now=None) -> str:
    now = timezone.localtime(now or timezone.now())
    backup = services.backup_create(now=now)
    removed = services.backup_prune(now=now)
    month = exports.previous_month(now.date())
    archive = Path(settings.BACKUP_DIR) / "audit" / exports.file_name(month)
    exported = ""
    if not archive.exists():
        done = exports.export_month(month, archive)
        exported = f"，导出 {month:%Y-%m} 审计日志 {done.events} 条"
    return f"备份 {backup.path.name}，删除过期备份 {len(removed)} 份{exported}"
