"""The pages: secrets never in a page but the reveal's answer, which is not cached; the reveal
asks for a reason; other townships, editors and oversight see nothing."""

from datetime import date, timedelta

from django.test import Client

from govmedia.audit.models import AuditEvent
from govmedia.credentials import services
from govmedia.credentials.models import LoginCustody, PlatformCredential
from tests.conftest import logged_in_client
from tests.credentials.conftest import ACCESS_TOKEN, APP_SECRET, KEY_B, PHONE


def urls(account) -> list[str]:
    base = f"/credentials/{account.pk}/"
    return [base, base + "credential/", base + "custody/", base + "reveal/"]


def test_pages_show_which_secrets_are_set_never_their_values(world, stored):
    client = logged_in_client(world.tian_unit_admin)
    for url in ["/credentials/", *urls(stored)]:
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200, url
        for secret in (APP_SECRET, ACCESS_TOKEN, "oT1x2y3z", PHONE):
            assert secret not in page, url
        assert "gm1." not in page, url
    detail = client.get(f"/credentials/{stored.pk}/").content.decode()
    assert "139****1234" in detail and "已保存（加密）" in detail and "赵管理" in detail
    assert "尚无查看记录" in detail and "通知第五部分（二）" in detail
    form = client.get(f"/credentials/{stored.pk}/credential/").content.decode()
    assert 'type="password"' in form and 'autocomplete="new-password"' in form
    assert 'autocomplete="off"' in form and "已保存；留空则保持原值" in form


def test_saving_the_forms(world, accounts):
    tian, _ = accounts
    client = logged_in_client(world.tian_unit_admin)
    response = client.post(
        f"/credentials/{tian.pk}/credential/",
        {"version": 0, "app_id": "wx1234567890abcdef", "app_secret": APP_SECRET},
        follow=True,
    )
    assert "已保存“天中发布”的平台接口凭据" in response.content.decode()
    assert APP_SECRET not in response.content.decode()
    row = PlatformCredential.objects.get(pk=tian.pk)
    assert row.version == 1 and row.updated_by == world.tian_unit_admin
    # The same form submitted again (a double click) is refused, not applied twice.
    again = client.post(
        f"/credentials/{tian.pk}/credential/",
        {"version": 0, "app_id": "wx1234567890abcdef", "app_secret": "other"},
    )
    assert "已被他人修改" in again.content.decode()
    bad = client.post(
        f"/credentials/{tian.pk}/custody/",
        {"version": 0, "administrator": "赵管理", "bound_phone": "1390530", "note": "保留我"},
    )
    page = bad.content.decode()
    assert "手机号应为 11 位数字" in page and "保留我" in page and "赵管理" in page
    client.post(
        f"/credentials/{tian.pk}/custody/",
        {
            "version": 0,
            "administrator": "赵管理",
            "bound_phone": PHONE,
            "password_changed_on": "2026-01-05",
        },
    )
    custody = LoginCustody.objects.get(pk=tian.pk)
    assert custody.password_changed_on == date(2026, 1, 5) and custody.bound_phone_masked


def test_reveal_asks_a_reason_shows_the_value_once_uncached(world, stored):
    client = logged_in_client(world.tian_unit_admin)
    url = f"/credentials/{stored.pk}/reveal/"
    refused = client.post(url, {"field": "app_secret", "reason": ""})
    assert refused.status_code == 200 and "请填写查看理由" in refused.content.decode()
    short = client.post(url, {"field": "app_secret", "reason": "看看"})
    assert "至少 4 个字" in short.content.decode() and APP_SECRET not in short.content.decode()
    assert not AuditEvent.objects.filter(action="credential.reveal").exists()
    shown = client.post(url, {"field": "app_secret", "reason": "公众号后台更换服务器配置"})
    assert shown.status_code == 200 and APP_SECRET in shown.content.decode()
    assert "no-store" in shown["Cache-Control"] and "private" in shown["Cache-Control"]
    assert "no-store" in client.get(url)["Cache-Control"]
    # Shown once: the detail page lists the reveal, never the value.
    detail = client.get(f"/credentials/{stored.pk}/").content.decode()
    assert "公众号后台更换服务器配置" in detail and "tian_unit_admin" in detail
    assert APP_SECRET not in detail


def test_reveal_with_a_wrong_key_says_so_and_shows_nothing(world, stored, settings):
    settings.CREDENTIALS_KEYS = [KEY_B]
    client = logged_in_client(world.alice)
    response = client.post(
        f"/credentials/{stored.pk}/reveal/", {"field": "app_secret", "reason": "测试错误密钥"}
    )
    page = response.content.decode()
    assert response.status_code == 500 and "无法解密" in page and "CREDENTIALS_KEYS" in page
    assert APP_SECRET not in page and "no-store" in response["Cache-Control"]
    # The pages that show no secret still work with the wrong key.
    assert client.get(f"/credentials/{stored.pk}/").status_code == 200


def test_other_township_editors_and_oversight_get_not_found(world, stored):
    for user in (world.chen_unit_admin, world.tian_editor, world.tian_reviewer, world.oversight):
        client = logged_in_client(user)
        for url in urls(stored):
            assert client.get(url).status_code == 404, (user.username, url)
        response = client.post(
            f"/credentials/{stored.pk}/reveal/", {"field": "app_secret", "reason": "越权查看测试"}
        )
        assert response.status_code == 404 and APP_SECRET not in response.content.decode()
        overview = client.get("/credentials/")
        assert overview.status_code == 404 or "天中发布" not in overview.content.decode()
        # (the account page, or the 404 page in the site's layout, whose menu may well list
        # 账号密码保护 itself): no link to this account's credentials
        account_page = client.get(f"/registry/accounts/{stored.pk}/").content.decode()
        assert f'href="/credentials/{stored.pk}/"' not in account_page
    assert not AuditEvent.objects.filter(action="credential.reveal").exists()
    assert Client().get(urls(stored)[0]).status_code == 302  # anonymous: to the login page


def test_account_page_links_here_for_those_who_may_see_it(world, stored):
    for user in (world.tian_unit_admin, world.alice):
        page = logged_in_client(user).get(f"/registry/accounts/{stored.pk}/").content.decode()
        assert f'href="/credentials/{stored.pk}/"' in page
    for changed_on, stale in ((date.today() - timedelta(days=100), True), (date.today(), False)):
        services.custody_set(
            actor=world.alice,
            account_id=stored.pk,
            version=LoginCustody.objects.get(pk=stored.pk).version,
            administrator="赵管理",
            password_changed_on=changed_on,
        )
        overview = logged_in_client(world.alice).get("/credentials/?stale=1").content.decode()
        assert ("已 100 天未修改" in overview) is stale
        assert ("没有符合条件的政务新媒体" in overview) is not stale
