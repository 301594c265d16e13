"""The compliance pages over real HTTP: counts, drill-down, export scope, exception forms."""

import io
import re

from openpyxl import load_workbook

from govmedia.compliance.models import ComplianceFinding, RuleException
from govmedia.compliance.services import compliance_refresh
from tests.conftest import logged_in_client

from .conftest import make_account


def _district(world, platforms):
    """天中: two WeChat accounts and an unverified one; 陈集: a 内设机构's account."""
    make_account(world.tian, platforms["微信公众号"], "天中发布")
    make_account(world.tian, platforms["微信公众号"], "天中之声")
    make_account(world.tian, platforms["抖音"], "天中抖音", verified=False)
    sub = make_account(world.chen_office, platforms["微信公众号"], "陈集执法")
    compliance_refresh()
    return sub


def cells(text: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", text, re.S)
    ]


def test_overview_counts_per_org_for_the_district(world, platforms):
    _district(world, platforms)
    page = logged_in_client(world.alice).get("/compliance/").content.decode()
    assert "天中街道" in page and "陈集镇综合执法办公室" in page
    row = cells(page[page.index("天中街道") - 60 :].split("</tr>")[0] + "</tr>")
    # 单位, then the eight rules in order (未经审核发布 last), then the total.
    assert row[1:] == ["2", "0", "0", "0", "0", "0", "1", "0", "3"]
    assert "依据：通知第二部分（一）" in page


def test_township_user_sees_only_its_own(world, platforms):
    _district(world, platforms)
    client = logged_in_client(world.tian_editor)
    for url in (
        "/compliance/",
        "/compliance/findings/",
        "/compliance/findings/?rule=sub_unit_host",
        "/compliance/exceptions/",
    ):
        page = client.get(url).content.decode()
        assert "陈集" not in page, url
    assert "天中发布" in client.get("/compliance/findings/").content.decode()
    sheet = load_workbook(io.BytesIO(client.get("/compliance/findings/export.xlsx").content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["单位", "问题", "严重程度"]
    assert {r[0] for r in rows[1:]} == {"天中街道"} and len(rows) == 4
    assert not any("陈集" in str(v) for r in rows for v in r)


def test_findings_filter_and_detail(world, platforms):
    _district(world, platforms)
    client = logged_in_client(world.alice)
    page = client.get("/compliance/findings/?rule=unverified").content.decode()
    assert "天中抖音" in page and "天中发布" not in page
    assert "向运行平台申请政务机构官方认证" in page  # the rule's remedy
    page = client.get(f"/compliance/findings/?org={world.chen_office.pk}").content.decode()
    assert "陈集执法" in page and "天中" not in page.split("<table")[1]
    assert (
        "没有符合筛选条件" in client.get("/compliance/findings/?rule=never_filed").content.decode()
    )
    # Nonsense filters are ignored, not errors.
    assert client.get("/compliance/findings/?rule=x&org=abc").status_code == 200
    finding = ComplianceFinding.objects.get(rule="sub_unit_host")
    page = client.get(f"/compliance/findings/{finding.pk}/").content.decode()
    assert "依据：通知第二部分（一）" in page and "批准例外" in page
    sheet = load_workbook(
        io.BytesIO(client.get("/compliance/findings/export.xlsx?rule=duplicate_platform").content)
    ).active
    assert sheet.max_row == 3


def test_platform_admin_grants_and_revokes_an_exception(
    world, platforms, django_capture_on_commit_callbacks
):
    _district(world, platforms)
    finding = ComplianceFinding.objects.get(rule="sub_unit_host")
    client = logged_in_client(world.alice)
    url = f"/compliance/findings/{finding.pk}/exception/"
    response = client.post(url, {"reason": ""})
    assert "请填写例外理由" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "承担全镇综合执法信息发布"})
    assert response.status_code == 302
    assert not ComplianceFinding.objects.open().filter(rule="sub_unit_host").exists()
    # A second submit of the same form is refused, not doubled.
    response = client.post(url, {"reason": "承担全镇综合执法信息发布"}, follow=True)
    assert "不能批准例外" in response.content.decode()
    assert RuleException.objects.count() == 1

    exception = RuleException.objects.get()
    assert "承担全镇综合执法信息发布" in client.get("/compliance/exceptions/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/compliance/exceptions/{exception.pk}/revoke/")
    assert ComplianceFinding.objects.open().filter(rule="sub_unit_host").exists()
    response = client.post(f"/compliance/exceptions/{exception.pk}/revoke/", follow=True)
    assert "已被撤销" in response.content.decode()


def test_units_cannot_grant_exceptions(world, platforms):
    _district(world, platforms)
    finding = ComplianceFinding.objects.get(rule="sub_unit_host")
    client = logged_in_client(world.chen_unit_admin)
    assert "批准例外" not in client.get(f"/compliance/findings/{finding.pk}/").content.decode()
    assert (
        client.post(f"/compliance/findings/{finding.pk}/exception/", {"reason": "x"}).status_code
        == 404
    )
    assert not RuleException.objects.exists()


def test_empty_state(world):
    page = logged_in_client(world.tian_unit_admin).get("/compliance/").content.decode()
    assert "未发现问题" in page
    assert "合规检查" in logged_in_client(world.tian_unit_admin).get("/").content.decode()
