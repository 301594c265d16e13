import logging

from django.core.management.base import BaseCommand

from govmedia.demo import data
from govmedia.demo.assessment_seed import seed_assessment
from govmedia.demo.coordination_seed import (
    seed_coordination,
    seed_countersign,
    seed_publish_request,
)
from govmedia.demo.interaction_seed import seed_interaction
from govmedia.demo.opinion_seed import seed_opinion
from govmedia.demo.platform_seed import seed_credentials
from govmedia.demo.publishing_seed import seed_publishing
from govmedia.demo.qa_seed import seed_qa, seed_service_links
from govmedia.demo.registry_data import ACCOUNTS, NEW_FILINGS
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
                f"已载入示例政务新媒体：在册 {created} 个（通知调查摸底的 {len(ACCOUNTS)} 个账号），"
                f"另有 {len(NEW_FILINGS)} 个新开设账号的开设备案办理中。"
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
                f"已载入示例转载任务 1 个（{coordination['targets']} 个账号）：首轮采集从示例平台取回的"
                "转载内容将自动识别完成（含逾期转载），1 个豁免，1 个已报送链接待核实，其余逾期未转载。"
            )
        if seed_publish_request():
            self.stdout.write(
                "已载入示例发布申请 1 条：天中街道申请由政府网账号“定陶发布”发布已审核稿件，待区政府办公室受理。"
            )
        if seed_countersign():
            self.stdout.write(
                "已载入示例会签 1 条：天中街道的稿件请陈集镇会签，陈集管（chenji）可查看该稿件并会签。"
            )
        if library := seed_qa()["entries"]:
            self.stdout.write(
                f"已载入示例答问条目 {library} 个（按主题分给责任单位，1 个有待审核修订、"
                "1 个即将失效、1 个已过期）；公开查询：http://127.0.0.1:8000/answers/"
            )
        links = seed_service_links()
        if links["links"]:
            self.stdout.write(
                f"已载入示例办事入口 {links['links']} 个，首次检查发现 {links['broken']} 个无法使用"
                f"（已开具整改事项 {links['opened']} 个）。"
            )
        interaction = seed_interaction()
        if interaction["messages"]:
            self.stdout.write(
                f"已载入示例留言 {interaction['messages']} 条（天中街道发布的微博评论，含待分办、办理中、"
                "待审核、审核通过待发送、已答复、已办结、无需答复及追问；另有 12345 转办与来信各 1 条；"
                "天中发布的微信留言与定陶公安的抖音评论，含审核通过待发送到微信与抖音评论下的追问）。"
            )
        opinion = seed_opinion()
        if opinion["cases"]:
            self.stdout.write(
                f"已载入示例舆情事件 {opinion['cases']} 个（预警且已超时、研判、转办、处置、回应、办结各阶段），"
                "监测方案 3 个；其中 30 条相似评论归并为 1 个预警；天中街道发布的一条微博负面评论突增 1 个；昨日舆情日报 1 期。"
            )
        # Last: the checks evaluate what the other parts of the demo stored.
        assessment = seed_assessment()
        if assessment["checks"]:
            self.stdout.write(
                "已载入示例检查考核：已通报的季度抽查 1 次（含通报 DOCX/PDF），进行中的月度抽查 1 次；"
                f"传播力月度数据 {assessment['months']} 条。"
            )
        self.stdout.write("示例数据已就绪。登录地址：http://127.0.0.1:8000/")
        self.stdout.write(f"所有示例用户的密码：{data.DEMO_PASSWORD}")
        for user in users:
            self.stdout.write(f"  {user.username:<18} {user.get_role_display():<8} {user.org.name}")
        self.stdout.write(
            "平台管理员 admin 须输入动态验证码：在身份验证器应用中添加密钥 "
            f"{data.ADMIN_TOTP_SECRET}，或运行 .venv/bin/python manage.py demo_totp admin 查看当前验证码。"
        )
