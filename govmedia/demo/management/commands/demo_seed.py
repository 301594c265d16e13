import logging

from django.core.management.base import BaseCommand

from govmedia.demo import data
from govmedia.demo.coordination_seed import seed_coordination, seed_countersign
from govmedia.demo.platform_seed import seed_credentials
from govmedia.demo.publishing_seed import seed_publishing
from govmedia.demo.registry_data import ACCOUNTS
from govmedia.demo.registry_seed import seed_registry
from govmedia.demo.seed import seed


class Command(BaseCommand):
    help = (
        "载入示例数据（菏泽市定陶区的单位与各角色用户，均标注“示例”）。可重复执行，不会重复创建。"
    )

    def handle(self, *args, **options):
        users = seed()
        # Each registry change queues a compliance refresh; seeding runs one itself at the end.
        logging.getLogger("django-q").setLevel(logging.WARNING)
        if created := seed_registry():
            self.stdout.write(
                f"已载入示例政务新媒体：已登记 {created} 个，另有 {len(ACCOUNTS) - created} 个开设备案办理中"
                "（对应通知调查摸底的 35 个账号）。"
            )
        if stored := seed_credentials(users[0]):
            self.stdout.write(
                f"已为 {stored} 个示例账号保存平台接口凭据（加密），供采集示例平台数据。"
            )
        publishing = seed_publishing()
        if publishing["articles"]:
            self.stdout.write(
                f"已载入示例稿件 {publishing['articles']} 篇（草稿、审核中、退回、驳回、已通过、"
                f"定时发布），其中 {publishing['published']} 篇已发布到示例微信、微博；"
                f"审核流程 {publishing['flows']} 个，授权发布人 {publishing['grants']} 条。"
            )
        coordination = seed_coordination()
        if coordination["campaigns"]:
            self.stdout.write(
                f"已载入示例转载任务 1 个，{coordination['completed']} 个账号的转载由采集内容自动识别"
                "（含逾期转载），1 个豁免，1 个已报送链接待核实，其余逾期未转载。"
            )
        if seed_countersign():
            self.stdout.write(
                "已载入示例会签 1 条：天中街道的稿件请陈集镇会签，陈集管（chenji）可查看该稿件并会签。"
            )
        self.stdout.write("示例数据已就绪。登录地址：http://127.0.0.1:8000/")
        self.stdout.write(f"所有示例用户的密码：{data.DEMO_PASSWORD}")
        for user in users:
            self.stdout.write(f"  {user.username:<18} {user.get_role_display():<8} {user.org.name}")
        self.stdout.write(
            "平台管理员 admin 须输入动态验证码：在身份验证器应用中添加密钥 "
            f"{data.ADMIN_TOTP_SECRET}，或运行 .venv/bin/python manage.py demo_totp admin 查看当前验证码。"
        )
