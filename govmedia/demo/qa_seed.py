"""Demo 咨询答问库 and 掌上办事入口.

The library: the 52 entries of qa_entries.jsonl (written for the demo, each answer marked
（示例）), imported as the district office imports an exchange file, then given to their owner
units by topic; one entry has a revision waiting for review, one expires within the reminder
window, one has expired. Idempotent: nothing is imported while demo entries exist.

The service links: menu links and 爱山东 service items of a few accounts, on the fake service
host (govmedia.platforms.fakes.servicehost, 127.0.0.1:9105, started by `make run`; started here
for the first check when nothing listens there), one of them broken (a page moved to
页面不存在), which the first check turns into a 功能无法使用 finding.
"""

import socket
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from govmedia.orgs.models import Organization
from govmedia.qa import services as qa
from govmedia.qa.exchange import read_jsonl
from govmedia.qa.models import QAEntry
from govmedia.registry.models import MediaAccount
from govmedia.servicelinks import services as servicelinks
from govmedia.servicelinks.checking import check_links_now
from govmedia.servicelinks.models import ServiceLink
from govmedia.users.models import User

ENTRIES = Path(__file__).with_name("qa_entries.jsonl")
# The owner unit of an entry, by a word of its question (the first that matches).
OWNERS = (
    (("户口", "户籍", "身份证", "居住证", "驾驶证", "电动自行车", "无犯罪"), "区公安分局"),
    (("养老", "失业", "工伤", "就业", "创业"), "区人力资源和社会保障局"),
    (("医保", "异地就医", "慢特病", "生育"), "区医疗保障局"),
    (("入学", "学区", "幼儿园", "资助", "初中"), "区教育和体育局"),
    (("不动产", "二手房", "商品房", "宅基地"), "区自然资源局"),
    (("结婚", "离婚", "低保", "高龄", "临时救助", "残疾"), "区民政局"),
    (("营业执照", "公司", "食品经营"), "区行政审批服务局"),
    (("出生医学", "接种", "体检"), "区卫生健康局"),
    (("耕地",), "区农业农村局"),
)
# (account handle, kind, name, path on the fake host, 爱山东 service)
LINKS = (
    ("dt_fabu", "ishandong", "社保待遇资格认证", "/ok/rzcx", "社保待遇资格认证"),
    ("dt_fabu", "ishandong", "不动产登记查询", "/ok/bdc", "不动产登记信息查询"),
    ("dt_fabu", "menu", "咨询答问", "/ok/zxdw", ""),
    ("dt_tianzhong", "ishandong", "社保待遇资格认证", "/ok/rz-tz", "社保待遇资格认证"),
    ("dt_tianzhong", "menu", "便民服务指南", "/ok/bmfw", ""),
    ("dt_gongan", "ishandong", "户籍业务预约", "/ok/hjyy", "户籍业务办理预约"),
    # The broken one: the province moved the page, the menu still points at the old address.
    ("dt_gongan", "ishandong", "无犯罪记录证明申请", "/moved/wfzjl", "无犯罪记录证明开具"),
    ("dt_jiaoti", "menu", "义务教育招生报名", "/ok/zs", ""),
)


def _owner(question: str, orgs: dict) -> Organization | None:
    for words, name in OWNERS:
        if any(word in question for word in words):
            return orgs.get(name)
    return None


def seed_qa() -> dict:
    if QAEntry.objects.filter(is_demo=True).exists():
        return {"entries": 0}
    admin = User.objects.filter(role="platform_admin", is_active=True).order_by("pk").first()
    rows, errors = read_jsonl(ENTRIES.read_text(encoding="utf-8"))
    if errors:
        raise ValueError(f"{ENTRIES.name}: {errors[0]}")
    orgs = {org.name: org for org in Organization.objects.all()}
    entries = qa.entries_import(actor=admin, rows=rows)
    with transaction.atomic():
        for entry in entries:
            entry.owner_org = _owner(entry.question, orgs)
            entry.is_demo = True
        QAEntry.objects.bulk_update(entries, ["owner_org", "is_demo"])
        today = timezone.localdate()
        # One about to expire (the reminder sweep tells its unit), one expired (never suggested).
        now = timezone.now()  # changed_at moves: every process's suggestion index is rebuilt
        QAEntry.objects.filter(pk=entries[15].pk).update(
            valid_to=today + timedelta(days=20), changed_at=now
        )
        QAEntry.objects.filter(pk=entries[18].pk).update(
            valid_to=today - timedelta(days=10), changed_at=now
        )
    editor = User.objects.filter(username="jiaoti").first()
    if editor is not None:
        entry = QAEntry.objects.get(pk=entries[15].pk)
        qa.entry_update(
            actor=editor,
            entry_id=entry.pk,
            version=entry.version,
            content=entry.content() | {"valid_to": today + timedelta(days=385)},
            note="招生政策延续一年（示例）",
        )
    return {"entries": len(entries)}


def _host_and_port(url: str) -> tuple[str, int]:
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    return host, int(port)


def _listening(url: str) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(_host_and_port(url)) == 0


def seed_service_links() -> dict:
    if ServiceLink.objects.filter(is_demo=True).exists():
        return {"links": 0}
    accounts = {a.handle: a for a in MediaAccount.objects.filter(is_demo=True)}
    admin = User.objects.filter(role="platform_admin", is_active=True).order_by("pk").first()
    service_host = settings.DEMO_SERVICE_HOST.rstrip("/")
    created = []
    for handle, kind, name, path, service in LINKS:
        account = accounts.get(handle)
        if account is None:
            continue
        link = servicelinks.link_create(
            actor=admin,
            account_id=account.pk,
            data={"kind": kind, "name": name, "url": service_host + path, "service_name": service},
        )
        created.append(link.pk)
    ServiceLink.objects.filter(pk__in=created).update(is_demo=True)
    if _listening(service_host):
        run = check_links_now(ids=created, timeout=5)
    else:
        from govmedia.platforms.fakes.servicehost import FakeServiceHost

        try:
            address, port = _host_and_port(service_host)
            host = FakeServiceHost(host=address, port=port, tls_port=port + 1).start()
        except OSError:  # another process took the port meanwhile: it is the host now
            host = None
        try:
            run = check_links_now(ids=created, timeout=5)
        finally:
            if host is not None:
                host.stop()
    return {"links": len(created), "broken": run.broken, "opened": run.opened}
