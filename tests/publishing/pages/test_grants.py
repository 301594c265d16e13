"""授权发布人 pages: per account, the grants with their validity, the grant form, 撤销."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from govmedia.publishing.models import PublishGrant
from tests.conftest import logged_in_client

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"publishing:{name}", args=args)


def test_accounts_with_their_grant_counts(newsroom):
    n = newsroom
    page = logged_in_client(n.tian_unit_admin).get(url("grants")).content.decode()
    assert "天中发布" in page and "陈集发布" not in page and "1 人" in page
    assert logged_in_client(n.tian_editor).get(url("grants")).status_code == 404


def test_account_page_lists_grants(newsroom):
    n = newsroom
    page = logged_in_client(n.tian_unit_admin).get(url("account_grants", n.wechat.pk))
    text = page.content.decode()
    assert n.tian_editor.name in text and "有效" in text and "2026-12-31" in text
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in text  # the form starts from today


def test_grant_through_the_page(newsroom):
    n = newsroom
    today = timezone.localdate()
    answer = logged_in_client(n.tian_unit_admin).post(
        url("account_grants", n.wechat.pk),
        {"user": n.tian_reviewer.pk, "valid_from": today, "valid_until": today + timedelta(30)},
    )
    assert answer.status_code == 302
    assert PublishGrant.objects.filter(account=n.wechat, user=n.tian_reviewer).exists()


def test_a_validity_that_ended_yesterday_is_refused_on_the_field(newsroom):
    n = newsroom
    yesterday = timezone.localdate() - timedelta(1)
    answer = logged_in_client(n.tian_unit_admin).post(
        url("account_grants", n.wechat.pk),
        {
            "user": n.tian_reviewer.pk,
            "valid_from": yesterday - timedelta(5),
            "valid_until": yesterday,
        },
    )
    assert answer.status_code == 400
    assert answer.context["form"].errors["valid_until"] == ["有效期截止日期不能早于今天"]


def test_overlapping_grant_refused_on_the_user(newsroom):
    n = newsroom
    today = timezone.localdate()
    answer = logged_in_client(n.tian_unit_admin).post(
        url("account_grants", n.wechat.pk),
        {"user": n.tian_editor.pk, "valid_from": today, "valid_until": today},
    )
    assert answer.status_code == 409
    assert "已是" in answer.context["form"].errors["user"][0]


def test_revoke_once(newsroom):
    n = newsroom
    grant = PublishGrant.objects.get(account=n.wechat, user=n.tian_editor)
    client = logged_in_client(n.tian_unit_admin)
    data = {"version": grant.version, "reason": "调离岗位"}
    assert client.post(url("grant_revoke", grant.pk), data).status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at and grant.revoke_reason == "调离岗位"
    again = client.post(url("grant_revoke", grant.pk), data, follow=True)
    assert "刷新" in again.content.decode() or "撤销" in again.content.decode()
    assert "已撤销" in client.get(url("account_grants", n.wechat.pk)).content.decode()


def test_another_township_gets_404(newsroom):
    n = newsroom
    grant = PublishGrant.objects.get(account=n.wechat, user=n.tian_editor)
    client = logged_in_client(n.chen_unit_admin)
    assert client.get(url("account_grants", n.wechat.pk)).status_code == 404
    assert client.post(url("grant_revoke", grant.pk), {"version": 1}).status_code == 404
    assert PublishGrant.objects.get(pk=grant.pk).revoked_at is None
