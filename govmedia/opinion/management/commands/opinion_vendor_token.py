"""`python manage.py opinion_vendor_token --by USERNAME --create 服务商名称` (prints the token
once) / `--revoke ID` / `--list`: the tokens monitoring vendors post with to
/api/v1/opinion/vendor/items. Only a platform administrator (区政府办公室) may issue or revoke."""

from django.core.management.base import BaseCommand, CommandError

from govmedia.core.errors import ServiceError
from govmedia.opinion.models import VendorToken
from govmedia.opinion.services.vendors import vendor_token_create, vendor_token_revoke
from govmedia.users.models import User


class Command(BaseCommand):
    help = "签发、吊销、列出舆情服务商令牌（服务商推送接口 /api/v1/opinion/vendor/items 使用）。"

    def add_arguments(self, parser):
        parser.add_argument("--by", help="操作人（平台管理员）的用户名；签发、吊销时必填")
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--create", metavar="服务商名称")
        group.add_argument("--revoke", type=int, metavar="令牌编号")
        group.add_argument("--list", action="store_true")

    def handle(self, *args, **options):
        if options["list"]:
            for token in VendorToken.objects.all():
                state = f"已吊销 {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "有效"
                self.stdout.write(f"{token.pk}\t{token.vendor}\t{token.hint}…\t{state}")
            return
        actor = User.objects.filter(username=options["by"] or "", is_active=True).first()
        if actor is None:
            raise CommandError("请用 --by 指定操作人（平台管理员）的用户名")
        try:
            if options["create"]:
                token, key = vendor_token_create(actor=actor, vendor=options["create"])
                self.stdout.write(f"已签发令牌 {token.pk}（{token.vendor}），只显示这一次：\n{key}")
            else:
                token = vendor_token_revoke(actor=actor, token_id=options["revoke"])
                self.stdout.write(f"已吊销令牌 {token.pk}（{token.vendor}）")
        except ServiceError as exc:
            raise CommandError(exc.message) from None
