"""The 政务新媒体 pages over real HTTP: list filters, the record, masking and scope."""

import pytest

from govmedia.registry.models import AccountStatus, MediaAccount
from tests.conftest import logged_in_client

from .filing_steps import file_account


@pytest.fixture
def accounts(world, form_data, platforms):
    wechat = file_account(world, form_data)
    weibo = file_account(
        world,
        form_data,
        org=world.tian_office,
        handle="tzweibo",
        name="天中微博",
        platform=platforms["微博"],
        verified=False,
    )
    chen = file_account(
        world,
        form_data,
        org=world.chen,
        actor=world.chen_unit_admin,
        handle="chenji",
        name="陈集发布",
    )
    return wechat, weibo, chen


def names(response) -> set[str]:
    page = response.context["page"]
    return {account.name for account in page.object_list}


def test_list_shows_own_subtree_with_counts(world, accounts):
    response = logged_in_client(world.tian_unit_admin).get("/registry/")
    assert response.status_code == 200
    assert names(response) == {"天中发布", "天中微博"}
    assert response.context["counts"]["total"] == 2
    html = response.content.decode()
    assert "陈集" not in html and "定陶新媒备〔2026〕第001号" in html


def test_list_filters_and_search(world, accounts, platforms):
    client = logged_in_client(world.alice)
    assert names(client.get("/registry/")) == {"天中发布", "天中微博", "陈集发布"}
    assert names(client.get(f"/registry/?platform={platforms['微博'].pk}")) == {"天中微博"}
    assert names(client.get("/registry/?verified=0")) == {"天中微博"}
    assert names(client.get("/registry/?org=陈集")) == {"陈集发布"}
    assert names(client.get("/registry/?q=chenji")) == {"陈集发布"}
    assert names(client.get("/registry/?q=第002号")) == {"天中微博"}
    assert names(client.get("/registry/?numbered=0")) == set()
    MediaAccount.objects.filter(name="陈集发布").update(status=AccountStatus.SUSPENDED)
    assert names(client.get("/registry/?status=suspended")) == {"陈集发布"}
    empty = client.get("/registry/?q=不存在的账号").content.decode()
    assert "没有符合条件的政务新媒体" in empty


def test_list_paginates(world, accounts, settings):
    settings.PAGE_SIZE = 2
    client = logged_in_client(world.alice)
    first, second = client.get("/registry/"), client.get("/registry/?page=2")
    assert len(first.context["page"].object_list) == 2
    assert len(second.context["page"].object_list) == 1
    assert "第 1 / 2 页" in first.content.decode()


def test_detail_shows_the_form_and_history(world, accounts):
    wechat = accounts[0]
    response = logged_in_client(world.tian_unit_admin).get(f"/registry/accounts/{wechat.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "天中发布",
        "tianzhongfabu",
        "微信公众号",
        "定陶新媒备〔2026〕第001号",
        "李主任",
        "0530-2210001",
        "13805300001",
        "开设备案",
        "已备案",
    ):
        assert text in html, text
    # The unit may start a 变更, 关停 or 注销 filing.
    for kind in ("change", "suspend", "cancel"):
        assert f"/registry/accounts/{wechat.pk}/file/?kind={kind}" in html


def test_mobiles_masked_for_oversight_and_outside_supervisors(world, accounts):
    wechat = accounts[0]
    url = f"/registry/accounts/{wechat.pk}/"
    unit = logged_in_client(world.tian_unit_admin).get(url).content.decode()
    assert "13805300001" in unit and "138****0001" not in unit
    admin = logged_in_client(world.alice).get(url).content.decode()
    assert "13805300001" in admin
    oversight = logged_in_client(world.oversight).get(url).content.decode()
    assert "138****0001" in oversight and "13805300001" not in oversight
    assert "13805300003" not in oversight
    assert "0530-2210001" in oversight  # office phones are not personal data
    # Oversight reads but may not start filings.
    assert "/file/?kind=" not in oversight


def test_contact_phone_masked_only_when_it_is_a_mobile(world, form_data, platforms):
    account = file_account(world, form_data, handle="tzmobile", contact_phone="13905309999")
    html = (
        logged_in_client(world.oversight).get(f"/registry/accounts/{account.pk}/").content.decode()
    )
    assert "139****9999" in html and "13905309999" not in html
    office = file_account(world, form_data, handle="tzoffice", name="天中之声")
    html = (
        logged_in_client(world.oversight).get(f"/registry/accounts/{office.pk}/").content.decode()
    )
    assert "0530-2212021" in html


def test_other_township_gets_404(world, accounts):
    chen = accounts[2]
    client = logged_in_client(world.tian_unit_admin)
    for url in (
        f"/registry/accounts/{chen.pk}/",
        f"/registry/accounts/{chen.pk}/file/?kind=change",
    ):
        response = client.get(url)
        assert response.status_code == 404 and "陈集" not in response.content.decode()


def test_an_account_with_a_filing_in_progress_offers_no_new_filing(world, accounts):
    wechat = accounts[0]
    client = logged_in_client(world.tian_unit_admin)
    response = client.get(f"/registry/accounts/{wechat.pk}/file/?kind=suspend")
    assert response.status_code == 200 and "关停原因" in response.content.decode()
    client.post(
        f"/registry/accounts/{wechat.pk}/file/?kind=suspend",
        {"event_date": "2026-06-01", "intent": "save", "notes": "", "change_summary": "整合"},
    )
    html = client.get(f"/registry/accounts/{wechat.pk}/").content.decode()
    assert "未办结的关停备案" in html and "/file/?kind=" not in html
    again = client.get(f"/registry/accounts/{wechat.pk}/file/?kind=cancel")
    assert again.status_code == 302 and "/registry/filings/" in again["Location"]
