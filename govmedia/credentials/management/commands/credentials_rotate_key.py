"""`python manage.py credentials_rotate_key`: re-encrypt every stored platform credential and
every user's TOTP secret under the current key (the first of CREDENTIALS_KEYS), in one
transaction.

To rotate: put the new key first (CREDENTIALS_KEYS=new,old), run this command, then remove the
old key. Exits non-zero, naming each row, if any value cannot be decrypted; nothing is written
then. `--check` only proves that every value decrypts; `--generate` prints a new key.
"""

from django.core.management.base import BaseCommand, CommandError

from govmedia.core import crypto
from govmedia.credentials.rotation import RotationFailed, rotate


class Command(BaseCommand):
    help = (
        "用 CREDENTIALS_KEYS 的第一个密钥重新加密全部已保存的平台凭据和用户动态验证码密钥"
        "（全部成功或全部不变）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只检查全部密文能否解密，不写入")
        parser.add_argument(
            "--generate", action="store_true", help="生成一个新密钥并输出，不访问数据库"
        )

    def handle(self, *args, check=False, generate=False, **options):
        if generate:
            self.stdout.write(crypto.generate_key())
            return
        try:
            ring = crypto.keyring()
            result = rotate(check_only=check)
        except crypto.CredentialCryptoError as exc:
            raise CommandError(exc.message) from None
        except RotationFailed as exc:
            lines = "\n".join(f"  - {line}" for line in exc.failures)
            raise CommandError(
                f"有 {len(exc.failures)} 项密文无法用已配置的任何密钥解密，未做任何修改：\n{lines}"
            ) from None
        configured = "、".join(ring.ids)
        if check:
            self.stdout.write(
                f"检查完成：已配置密钥 {configured}；{result.already_current} 项已使用当前密钥 "
                f"{result.key_id}，{result.reencrypted} 项仍使用旧密钥，全部可以解密。"
            )
            return
        self.stdout.write(
            f"重新加密完成：当前密钥 {result.key_id}；重新加密 {result.reencrypted} 项"
            f"（{result.rows} 条记录），{result.already_current} 项原已使用当前密钥。"
        )
        if len(ring.ids) > 1:
            self.stdout.write("现在可以从 CREDENTIALS_KEYS 中移除旧密钥。")
