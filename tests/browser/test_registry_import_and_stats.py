"""A unit administrator, in a real browser, uploads an inventory with a mistake, reads the error
table, uploads the corrected file, and sees the accounts counted on the statistics page."""

import os

import pytest
from playwright.sync_api import expect

from govmedia.registry.models import MediaAccount, Platform
from govmedia.registry.platforms import ensure_default_platforms
from tests.conftest import PASSWORD
from tests.registry.test_excel_import import INVENTORY, row, xlsx

from .conftest import SHOTS
from .test_login_and_orgs import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_import_with_errors_then_fixed_then_counted(page, world, tmp_path):
    ensure_default_platforms(Platform)
    rows = [row(n, platform) for n, platform in enumerate(INVENTORY, start=1)]
    bad = [dict(r) for r in rows]
    bad[4]["主要负责人手机号"] = "1380530"
    bad[9]["运行平台"] = "脸书"
    bad[12]["账号"] = bad[11]["账号"]
    (tmp_path / "bad.xlsx").write_bytes(xlsx(bad))
    (tmp_path / "good.xlsx").write_bytes(xlsx(rows))

    log_in(page, "tian_unit_admin", PASSWORD)
    page.goto("/registry/excel/import/")
    expect(page.get_by_role("heading", name="批量导入政务新媒体")).to_be_visible()
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(str(tmp_path / "bad.xlsx"))
    page.get_by_role("button", name="上传并导入").click()
    expect(page.get_by_role("alert")).to_contain_text("未导入任何数据：3 行共有 3 处问题")
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(4)
    expect(table).to_contain_text("第 6 行")
    expect(table).to_contain_text("与第 13 行重复")
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, "registry-import-errors.png"), full_page=True)
    assert MediaAccount.objects.count() == 0

    page.get_by_label("Excel 文件（.xlsx）").set_input_files(str(tmp_path / "good.xlsx"))
    page.get_by_role("button", name="上传并导入").click()
    expect(page.get_by_role("status")).to_contain_text("已导入 35 个政务新媒体")
    assert MediaAccount.objects.count() == 35

    page.get_by_role("link", name="统计分析").click()
    expect(page.get_by_role("heading", name="政务新媒体统计分析")).to_be_visible()
    expect(page.get_by_role("img", name="按运行平台")).to_be_visible()
    platform_table = page.get_by_role("table").filter(has_text="按运行平台（数据表）")
    expect(platform_table.get_by_role("row", name="微信公众号")).to_contain_text("26")
    page.screenshot(path=os.path.join(SHOTS, "registry-stats.png"), full_page=True)
