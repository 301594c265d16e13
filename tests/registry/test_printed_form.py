"""Issue 14 item 11: the printed 备案表 says what the page's preview says: a form not yet filed
prints 备案后填写 as its 时间, and a 变更 filing prints its explanation under 其他需要说明事项."""

from datetime import date

from govmedia.registry import services
from govmedia.registry.models import FilingKind
from tests.conftest import logged_in_client

from .filing_steps import file_account, submitted_filing
from .test_views_documents import _media, pdf_text  # noqa: F401 - fixture


def flat(text: str) -> str:
    return "".join(text.split())


def test_a_draft_prints_filled_after_filing_as_its_date(world, form_data, tmp_path):
    filing = submitted_filing(world, form_data)
    response = logged_in_client(world.tian_unit_admin).get(
        f"/registry/filings/{filing.pk}/form.pdf"
    )
    text = flat(pdf_text(response.content, tmp_path))
    assert "时间：备案后填写" in text and "待编号" in text


def test_a_filed_form_prints_its_filing_date(world, form_data, tmp_path):
    filing = file_account(world, form_data).filings.get()
    response = logged_in_client(world.tian_unit_admin).get(
        f"/registry/filings/{filing.pk}/form.pdf"
    )
    assert "备案后填写" not in flat(pdf_text(response.content, tmp_path))


def test_a_change_filing_prints_its_explanation(world, form_data, tmp_path):
    account = file_account(world, form_data)
    change = services.filing_create(
        actor=world.tian_unit_admin,
        kind=FilingKind.CHANGE,
        org=world.tian,
        account=account,
        event_date=date(2026, 11, 2),
        data=services.account_values(account) | {"name": "天中融媒"},
        change_summary="账号更名为天中融媒",
    )
    client = logged_in_client(world.tian_unit_admin)
    text = flat(pdf_text(client.get(f"/registry/filings/{change.pk}/form.pdf").content, tmp_path))
    assert "变更事项说明：账号更名为天中融媒" in text
    docx = client.get(f"/registry/filings/{change.pk}/form.docx")
    assert docx.status_code == 200
