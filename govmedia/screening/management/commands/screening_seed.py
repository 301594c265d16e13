"""`python manage.py screening_seed`: add the shipped seed terms missing from the district
lexicon (the migration loads them on a fresh installation; a release may ship more)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from govmedia.audit.services import audit_record
from govmedia.screening.seeding import seed_lexicon


class Command(BaseCommand):
    help = (
        "载入随平台提供的预置审查词库中尚未入库的词条（可重复执行；已有词条及管理员的修改不变）。"
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            created = seed_lexicon()
            if created:
                audit_record(
                    actor=None,
                    action="lexicon.seed",
                    object_type="screening.lexiconterm",
                    object_repr="预置审查词库",
                    after={"created": created},
                )
        self.stdout.write(f"预置审查词库：新增 {created} 条。")
