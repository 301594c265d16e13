"""Run the time-limit sweep and the health alerts now (normally the background tasks do)."""

from django.core.management.base import BaseCommand

from govmedia.interaction.tasks import sweep_health_alerts, sweep_message_deadlines


class Command(BaseCommand):
    help = "立即检查留言答复期限（提醒、超期、督办，各只一次）与互动回应预警（每账号每月一次）"

    def handle(self, *args, **options):
        self.stdout.write(sweep_message_deadlines())
        self.stdout.write(sweep_health_alerts())
