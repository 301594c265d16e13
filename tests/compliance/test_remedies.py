"""Issue 14 item 11: a finding links to its account and to the action that resolves it
(补办备案, 注销/变更备案, 批准例外, or how to ask for an exception), only as the user may act."""

from govmedia.compliance.models import ComplianceFinding
from govmedia.compliance.services import compliance_refresh
from tests.conftest import logged_in_client

from .conftest import make_account


def test_never_filed_account_offers_its_filing(world, platforms):
    account = make_account(world.tian, platforms["微信公众号"], "天中发布", filing_no="")
    compliance_refresh()
    finding = ComplianceFinding.objects.get(rule="never_filed")
    page = logged_in_client(world.tian_unit_admin).get(f"/compliance/findings/{finding.pk}/")
    text = page.content.decode()
    assert f'href="/registry/accounts/{account.pk}/"' in text
    assert f'href="/registry/accounts/{account.pk}/file/?kind=open">补办开设备案</a>' in text
    # An editor may not file: the account link, no action.
    text = logged_in_client(world.tian_editor).get(f"/compliance/findings/{finding.pk}/")
    assert "补办开设备案" not in text.content.decode()


def test_exceptable_finding_offers_filing_and_tells_the_unit_how_to_ask(world, platforms):
    sub = make_account(world.chen_office, platforms["微信公众号"], "陈集执法")
    compliance_refresh()
    finding = ComplianceFinding.objects.get(rule="sub_unit_host")
    unit = logged_in_client(world.chen_unit_admin).get(f"/compliance/findings/{finding.pk}/")
    text = unit.content.decode()
    assert f"/registry/accounts/{sub.pk}/file/?kind=cancel" in text
    assert "申请例外：" in text and "批准例外</a>" not in text
    admin = logged_in_client(world.alice).get(f"/compliance/findings/{finding.pk}/")
    assert "批准例外</a>" in admin.content.decode() and "申请例外：" not in admin.content.decode()
