from django.core.management.base import BaseCommand

from govmedia.demo import data
from govmedia.demo.seed import seed


class Command(BaseCommand):
    help = (
        "载入示例数据（菏泽市定陶区的单位与各角色用户，均标注“示例”）。可重复执行，不会重复创建。"
    )

    def handle(self, *args, **options):
        users = seed()
        self.stdout.write("示例数据已就绪。登录地址：http://127.0.0.1:8000/")
        self.stdout.write(f"所有示例用户的密码：{data.DEMO_PASSWORD}")
        for user in users:
            self.stdout.write(f"  {user.username:<18} {user.get_role_display():<8} {user.org.name}")
        self.stdout.write(
            "平台管理员 admin 须输入动态验证码：在身份验证器应用中添加密钥 "
            f"{data.ADMIN_TOTP_SECRET}，或运行 .venv/bin/python manage.py demo_totp admin 查看当前验证码。"
        )
