from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from govmedia.audit import chain
from govmedia.audit.models import AuditChainHead, AuditEvent


class Command(BaseCommand):
    help = "校验审计日志的 HMAC 链：发现被改动、删除或重新计算哈希的记录并指出是哪一条。"

    def handle(self, *args, **options):
        events = AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)
        head = AuditChainHead.objects.filter(pk=1).first()
        problems = chain.verify(events, head, settings.AUDIT_HMAC_KEY)
        if problems:
            for problem in problems:
                where = f"第 {problem.seq} 条" if problem.seq is not None else "链尾"
                ident = f"（id={problem.pk}）" if problem.pk is not None else ""
                self.stderr.write(f"审计日志异常：{where}{ident}：{problem.message}")
            raise CommandError(f"审计日志校验失败，共 {len(problems)} 处异常")
        count = head.last_seq if head else 0
        self.stdout.write(f"审计日志校验通过：共 {count} 条记录，哈希链完整。")
