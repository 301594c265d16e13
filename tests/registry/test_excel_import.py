"""Importing an existing inventory from Excel: all rows checked, every error reported by row and
column, and nothing imported unless the whole file is right. Files are built here with openpyxl
and uploaded through the real page."""

import io
import zipfile
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from govmedia.audit.models import AuditEvent
from govmedia.orgs.models import OrgStatus
from govmedia.registry.excel import columns
from govmedia.registry.models import AccountStatus, MediaAccount
from tests.conftest import logged_in_client
from tests.registry.filing_steps import file_account

URL = "/registry/excel/import/"

# The notice's own inventory (第一部分): 35 accounts, 6 微博, 26 微信, 2 抖音, 1 快手.
INVENTORY = ["微博"] * 6 + ["微信公众号"] * 26 + ["抖音"] * 2 + ["快手"]


def row(n: int, platform: str = "微信公众号", **cells) -> dict:
    """A valid row (by column label); `n` makes the name and handle unique."""
    values = {
        columns.HOST_ORG: "天中街道" if n % 2 else "天中街道党政办公室",
        "政务新媒体名称": f"天中发布{n}",
        "账号": f"tianzhong{n:03d}",
        "运行平台": platform,
        "注册单位": "菏泽市定陶区天中街道办事处",
        "注册时间": "2019-04-16",
        "功能定位": "发布政务信息，回应群众关切",
        "官方认证": "已认证",
        "运维方式": "本单位运维",
        "运维机构": "",
        "联系人": "张三",
        "联系电话": "0530-2212021",
        "其他需要说明事项": "",
        "单位主要负责人": "李主任",
        "主要负责人办公电话": "0530-2210001",
        "主要负责人手机号": "13805300001",
        "分管负责人": "王副主任",
        "分管负责人办公电话": "0530-2210002",
        "分管负责人手机号": "13805300002",
        "具体负责人": "赵科员",
        "具体负责人办公电话": "0530-2210003",
        "具体负责人手机号": "13805300003",
        columns.STATUS: "运行中",
    }
    return values | cells


def xlsx(rows: list[dict], *, sheet: str = columns.SHEET_NAME, headers=None) -> bytes:
    headers = headers or columns.IMPORT_HEADERS
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.append(headers)
    for values in rows:
        ws.append([values.get(h) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, name: str = "台账.xlsx"):
    return client.post(URL, {"file": SimpleUploadedFile(name, content)})


def errors_of(response) -> list[tuple[str, str]]:
    rejected = response.context["rejected"]
    assert rejected is not None, "expected the file to be rejected"
    return [(e.row, e.column) for e in rejected.errors]


@pytest.fixture
def unit(world, platforms):
    return logged_in_client(world.tian_unit_admin)


def test_valid_35_row_inventory_is_imported_whole(world, unit):
    rows = [row(n, platform) for n, platform in enumerate(INVENTORY, start=1)]
    rows[0]["注册时间"] = datetime(2018, 5, 9)  # a real Excel date
    rows[1]["主要负责人手机号"] = 13805300011  # typed as a number: no digit is lost
    rows[2] |= {"官方认证": "未认证", "运维方式": "委托运维机构", "运维机构": "菏泽某网络公司"}
    rows[3][columns.STATUS] = "已关停"
    rows[4]["注册时间"] = "2019/4/1"
    response = upload(unit, xlsx(rows))
    assert response.status_code == 302, response.context and response.context["rejected"]
    accounts = MediaAccount.objects.order_by("pk")
    assert accounts.count() == 35
    assert (
        accounts.filter(platform__name="微博").count() == 6
        and accounts.filter(platform__name="微信公众号").count() == 26
    )
    assert not accounts.exclude(filing_no=None).exists()  # registered, not filed: no number yet
    first, second, third, fourth, fifth = accounts[:5]
    assert (
        first.registered_on.isoformat() == "2018-05-09"
        and fifth.registered_on.isoformat() == "2019-04-01"
    )
    assert second.principal_mobile == "13805300011"
    assert (
        not third.verified
        and third.operator_kind == "outsourced"
        and third.operator == "菏泽某网络公司"
    )
    assert fourth.status == AccountStatus.SUSPENDED and first.host_org == world.tian
    assert AuditEvent.objects.filter(action="account.import").count() == 35
    batch = AuditEvent.objects.get(action="account.import_batch")
    assert batch.after["count"] == 35 and batch.after["source"] == "台账.xlsx"
    event = AuditEvent.objects.get(action="account.import", object_id=str(second.pk))
    assert event.org == second.host_org and event.after["principal_mobile"] == "13805300011"
    call_command(
        "audit-verify", stdout=io.StringIO()
    )  # the bulk-appended events keep the chain whole
    page = unit.get(URL).content.decode()
    assert "已导入 35 个政务新媒体" in page


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        ({"主要负责人手机号": "1380530"}, "主要负责人手机号", "11 位"),
        ({"运行平台": "脸书"}, "运行平台", "不在平台列表中"),
        ({"政务新媒体名称": ""}, "政务新媒体名称", "请填写政务新媒体名称"),
        ({"联系电话": "2212021"}, "联系电话", "区号"),
        ({"注册时间": "去年春天"}, "注册时间", "日期格式"),
        ({"官方认证": "大概"}, "官方认证", "已认证"),
        ({columns.STATUS: "休眠"}, "状态", "运行中"),
        ({columns.HOST_ORG: "陈集镇"}, "主办单位", "不在您的管理范围内"),
        ({columns.HOST_ORG: "不存在的单位"}, "主办单位", "未找到单位"),
        ({"运维方式": "委托运维机构", "运维机构": ""}, "运维机构", "运维机构名称"),
    ],
)
def test_one_bad_row_rejects_the_file_naming_row_and_column(world, unit, change, column, message):
    rows = [row(n) for n in range(1, 6)]
    rows[2] |= change  # spreadsheet row 4 (the header is row 1)
    response = upload(unit, xlsx(rows))
    assert response.status_code == 200
    assert errors_of(response) == [(4, column)]
    assert message in response.context["rejected"].errors[0].message
    page = response.content.decode()
    assert "未导入任何数据" in page and "第 4 行" in page and column in page
    assert (
        MediaAccount.objects.count() == 0
        and not AuditEvent.objects.filter(action__startswith="account.").exists()
    )


def test_every_error_of_every_row_is_reported(world, unit):
    rows = [row(n) for n in range(1, 5)]
    rows[0] |= {"主要负责人手机号": "123", "分管负责人手机号": "456"}
    rows[3] |= {"运行平台": "脸书", "具体负责人": ""}
    assert errors_of(upload(unit, xlsx(rows))) == [
        (2, "主要负责人手机号"),
        (2, "分管负责人手机号"),
        (5, "具体负责人"),
        (5, "运行平台"),
    ]


def test_duplicate_within_the_file(world, unit):
    rows = [row(1), row(2), row(3, 账号="tianzhong001")]
    response = upload(unit, xlsx(rows))
    assert errors_of(response) == [(4, "账号")]
    assert "与第 2 行重复" in response.context["rejected"].errors[0].message
    # the same handle on another platform is another account
    rows[2]["运行平台"] = "微博"
    assert upload(unit, xlsx(rows)).status_code == 302


def test_duplicate_of_a_registered_account(world, unit, form_data):
    file_account(world, form_data, handle="tianzhong002")
    response = upload(unit, xlsx([row(1), row(2)]))
    assert errors_of(response) == [(3, "账号")]
    assert "已登记" in response.context["rejected"].errors[0].message
    assert MediaAccount.objects.count() == 1


def test_importing_twice_is_refused_the_second_time(world, unit):
    content = xlsx([row(1), row(2)])
    assert upload(unit, content).status_code == 302
    assert errors_of(upload(unit, content)) == [(2, "账号"), (3, "账号")]
    assert MediaAccount.objects.count() == 2


def test_inactive_host_org_is_refused(world, unit):
    world.tian_office.status = OrgStatus.ABOLISHED
    world.tian_office.save()
    response = upload(unit, xlsx([row(2)]))
    assert (
        errors_of(response) == [(2, "主办单位")]
        and "已撤销" in response.context["rejected"].errors[0].message
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (lambda: xlsx([row(1)], sheet="Sheet1"), "找不到名为“政务新媒体”的工作表"),
        (lambda: "名称,账号\n天中发布,tianzhong\n".encode(), "不是 Excel 工作簿"),
        (lambda: b"", "文件为空"),
        (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Excel（.xls）"),
        (
            lambda: xlsx(
                [row(1)], headers=[h for h in columns.IMPORT_HEADERS if h != "主要负责人手机号"]
            ),
            "表头缺少列：主要负责人手机号",
        ),
        (lambda: xlsx([]), "没有数据行"),
        (lambda: _zip({"word/document.xml": b"<w/>"}), "不是 Excel 工作簿"),
        (
            lambda: _zip(
                {"[Content_Types].xml": b"<Types/>", "xl/junk.bin": b"\0" * (60 * 1024 * 1024)}
            ),
            "解压后过大",
        ),
        (lambda: _zip({"[Content_Types].xml": b"<Types/>"}), "无法读取"),
    ],
    ids=[
        "wrong-sheet",
        "csv-renamed",
        "empty",
        "xls",
        "missing-column",
        "no-rows",
        "docx-like-zip",
        "zip-bomb",
        "zip-not-workbook",
    ],
)
def test_unusable_files_are_refused_with_a_reason(world, unit, content, message):
    response = upload(unit, content())
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page, page[page.find("<main") :][:1500]
    assert response.context["rejected"] is None
    assert MediaAccount.objects.count() == 0


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_more_than_20000_rows_is_refused(world, unit):
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(columns.SHEET_NAME)
    ws.append(columns.IMPORT_HEADERS)
    for n in range(20_001):
        ws.append([None, "天中街道", f"账号{n}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(unit, buffer.getvalue())
    assert "数据超过 20000 行" in response.content.decode()


def test_error_table_is_capped_with_a_count(world, unit):
    rows = [row(n, 主要负责人手机号="1", 分管负责人手机号="2") for n in range(1, 126)]
    response = upload(unit, xlsx(rows))
    page = response.content.decode()
    assert len(response.context["rejected"].errors) == 250
    assert page.count("<tr><td>第 ") == 200 and "另有 50 处问题未列出" in page
    assert "125 行共有 250 处问题" in page


def test_template_round_trip_skips_the_example(world, unit):
    response = unit.get("/registry/excel/template.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:2] == [columns.SHEET_NAME, columns.GUIDE_SHEET_NAME]
    sheet = workbook[columns.SHEET_NAME]
    assert [c.value for c in sheet[1]] == columns.IMPORT_HEADERS
    assert sheet["A2"].value == "示例"
    validated = {str(dv.sqref).split(":")[0] for dv in sheet.data_validations.dataValidation}
    letters = {h: c.column_letter for h, c in zip(columns.IMPORT_HEADERS, sheet[1], strict=True)}
    for label in ("运行平台", "官方认证", "运维方式", "状态"):
        assert f"{letters[label]}3" in validated, label
    options = workbook["选项"]
    assert "微信公众号" in [c.value for c in options["A"]]
    assert "陈集镇" not in [c.value for c in options["E"]]  # only orgs in the user's scope
    guide = " ".join(
        str(c.value) for r in workbook[columns.GUIDE_SHEET_NAME].iter_rows() for c in r if c.value
    )
    assert "通知第二部分（一）" in guide and "整个文件都不会导入" in guide

    for n in (1, 2):
        values = row(n)
        sheet.append([values.get(h) for h in columns.IMPORT_HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert upload(unit, buffer.getvalue()).status_code == 302
    assert sorted(MediaAccount.objects.values_list("handle", flat=True)) == [
        "tianzhong001",
        "tianzhong002",
    ]


def test_only_unit_and_platform_admins_may_import(world, platforms):
    for user in (world.tian_editor, world.tian_reviewer, world.oversight):
        client = logged_in_client(user)
        assert client.get(URL).status_code == 404
        assert client.get("/registry/excel/template.xlsx").status_code == 404
        assert (
            client.post(URL, {"file": SimpleUploadedFile("a.xlsx", xlsx([row(1)]))}).status_code
            == 404
        )
    assert MediaAccount.objects.count() == 0
    page = logged_in_client(world.tian_unit_admin).get(URL).content.decode()
    assert "下载导入模板" in page and "依据：通知第二部分（一）" in page
