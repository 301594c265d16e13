import pyotp
from django.core.management.base import BaseCommand, CommandError

from govmedia.users.models import User


class Command(BaseCommand):
    help = "显示示例用户当前的动态验证码（仅限标注为示例的用户，便于演示）。"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username, is_demo=True, totp_enabled=True).first()
        if user is None:
            raise CommandError(f"没有启用双因素认证的示例用户“{username}”")
        self.stdout.write(pyotp.TOTP(user.totp_secret).now())
