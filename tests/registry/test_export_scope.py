"""The registry and filings exports hold what the user may see, no more, masked as on the pages."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from govmedia.registry import services
from govmedia.registry.display import display_value
from govmedia.registry.excel import columns, exporter
from govmedia.registry.models import FORM_FIELDS, FilingKind
from tests.conftest import logged_in_client
from tests.registry.filing_steps import file_account


def sheet_rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


@pytest.fixture
def both_townships(world, form_data, platforms):
    tian = file_account(world, form_data)
    office = file_account(
        world,
        form_data,
        org=world.tian_office,
        handle="tzweibo",
        name="天中微博",
        platform=platforms["微博"],
    )
    chen = file_account(
        world,
        form_data,
        org=world.chen,
        actor=world.chen_unit_admin,
        handle="chenji",
        name="陈集发布",
    )
    services.filing_create(
        actor=world.chen_unit_admin,
        kind=FilingKind.SUSPEND,
        org=world.chen,
        account=chen,
        event_date=date(2026, 3, 2),
    )
    return tian, office, chen


def test_township_exports_only_its_own_accounts_and_filings(world, both_townships):
    client = logged_in_client(world.tian_editor)
    accounts = sheet_rows(client.get("/registry/excel/accounts.xlsx"))
    assert sorted(r["政务新媒体名称"] for r in accounts) == ["天中发布", "天中微博"]
    assert {r[columns.HOST_ORG] for r in accounts} == {"天中街道", "天中街道党政办公室"}
    assert all(r[columns.FILING_NO].startswith("定陶新媒备") for r in accounts)
    assert accounts[0]["主要负责人手机号"] == "13805300001"  # the unit sees its own people in full
    filings = sheet_rows(client.get("/registry/excel/filings.xlsx"))
    assert sorted(r["政务新媒体名称"] for r in filings) == ["天中发布", "天中微博"]
    cells = " ".join(str(v) for r in accounts + filings for v in r.values() if v)
    assert "陈集" not in cells and "chenji" not in cells


def test_other_township_and_district_views(world, both_townships):
    chen = sheet_rows(logged_in_client(world.chen_unit_admin).get("/registry/excel/filings.xlsx"))
    assert [(r["备案类型"], r["状态"], r["是否逾期"]) for r in chen] == [
        ("关停", "草稿", "是"),
        ("开设", "已备案", None),
    ]
    admin = sheet_rows(logged_in_client(world.alice).get("/registry/excel/accounts.xlsx"))
    assert len(admin) == 3 and admin[0]["主要负责人手机号"] == "13805300001"
    oversight = sheet_rows(logged_in_client(world.oversight).get("/registry/excel/accounts.xlsx"))
    assert len(oversight) == 3
    assert {r["主要负责人手机号"] for r in oversight} == {"138****0001"}
    assert {r["主要负责人办公电话"] for r in oversight} == {"0530-2210001"}


def test_export_honours_the_list_filters(world, both_townships, platforms):
    client = logged_in_client(world.alice)
    weibo = sheet_rows(client.get(f"/registry/excel/accounts.xlsx?platform={platforms['微博'].pk}"))
    assert [r["政务新媒体名称"] for r in weibo] == ["天中微博"]
    drafts = sheet_rows(client.get("/registry/excel/filings.xlsx?state=draft"))
    assert [r["备案单位"] for r in drafts] == ["陈集镇"]


def test_registry_export_can_be_read_back_by_the_importer(world, both_townships):
    response = logged_in_client(world.tian_unit_admin).get("/registry/excel/accounts.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [columns.SHEET_NAME]
    header = [c.value for c in workbook.active[1]]
    assert set(columns.REQUIRED_HEADERS) <= set(header)


@pytest.mark.parametrize("full", [True, False])
def test_each_cell_is_what_the_pages_show(full):
    """The export picks each column's formatting once (exporter.SHOWN), not per cell: a cell is
    still display_value's text (as the pages and the printed form show it), masking included."""
    values = [None, "", "13805300001", "138 0530 0001", "0530-2212021", "own", "outsourced", "其他"]
    values.append(date(2019, 4, 16))
    shown_by_field = dict(zip(FORM_FIELDS, exporter.SHOWN[full], strict=True))
    for field, (column, shown) in shown_by_field.items():
        assert column == ("platform__name" if field == "platform" else field)
        for value in [True, False, None] if field == "verified" else values:
            if field == "verified":
                assert shown(value) == columns.VERIFIED_LABELS[bool(value)]
            else:
                assert shown(value) == display_value(field, value, full_phones=full), (field, value)
    assert shown_by_field["principal_mobile"][1]("13805300001") == (
        "13805300001" if full else "138****0001"
    )
