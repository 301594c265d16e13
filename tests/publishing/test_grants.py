"""授权发布人: kept by the unit administrator, with a validity period, audited."""

from datetime import date, datetime

import pytest

from govmedia.audit.models import AuditEvent
from govmedia.core.errors import Conflict, Forbidden, NotFound, ServiceError
from govmedia.publishing import services
from govmedia.publishing.models import PublishGrant
from tests.publishing.helpers import CHINA, TODAY, approved, fresh, publish

pytestmark = pytest.mark.django_db


def grant(n, user, account, valid_from, valid_until, *, actor=None, today=TODAY):
    return services.publish_grant_create(
        actor=actor or n.tian_unit_admin,
        account_id=account.pk,
        user_id=user.pk,
        valid_from=valid_from,
        valid_until=valid_until,
        today=today,
    )


def test_may_publish_within_the_period_only(newsroom):
    n = newsroom
    g = grant(n, n.tian_reviewer, n.wechat, date(2026, 11, 20), date(2026, 11, 30))
    assert services.may_publish(n.tian_reviewer, n.wechat, on=date(2026, 11, 20))
    assert services.may_publish(n.tian_reviewer, n.wechat, on=date(2026, 11, 30))
    assert not services.may_publish(n.tian_reviewer, n.wechat, on=date(2026, 12, 1))
    assert not services.may_publish(n.tian_reviewer, n.weibo, on=date(2026, 11, 25))
    assert AuditEvent.objects.filter(action="publish_grant.create", object_id=str(g.pk)).exists()


def test_a_grant_whose_validity_ended_yesterday_refuses_publishing(newsroom):
    n = newsroom
    article = approved(n)
    PublishGrant.objects.filter(user=n.tian_editor).update(valid_until=date(2026, 11, 23))
    with pytest.raises(Forbidden) as error:
        publish(n, article, n.wechat)  # today is 24 November
    assert "授权发布人" in error.value.message and "有效期" in error.value.message


def test_a_revoked_grant_refuses_publishing(newsroom):
    n = newsroom
    article = approved(n)
    g = PublishGrant.objects.get(user=n.tian_editor, account=n.wechat)
    services.publish_grant_revoke(
        actor=n.tian_unit_admin, grant_id=g.pk, version=g.version, reason="岗位调整"
    )
    assert fresh(g).revoked_by == n.tian_unit_admin
    with pytest.raises(Forbidden):
        publish(n, article, n.wechat)
    with pytest.raises(Conflict, match="已撤销"):
        services.publish_grant_revoke(
            actor=n.tian_unit_admin, grant_id=g.pk, version=fresh(g).version
        )


def test_only_users_who_may_publish_and_of_the_unit(newsroom):
    n = newsroom
    with pytest.raises(ServiceError, match="不能发布稿件"):
        grant(n, n.tian_supervisor_reviewer, n.wechat, date(2026, 11, 24), date(2026, 12, 1))
    with pytest.raises(ServiceError, match="本单位及下级单位"):
        grant(n, n.chen_editor, n.wechat, date(2026, 11, 24), date(2026, 12, 1))


def test_periods_are_checked(newsroom):
    n = newsroom
    with pytest.raises(ServiceError, match="不能早于起始日期"):
        grant(n, n.tian_reviewer, n.wechat, date(2026, 12, 1), date(2026, 11, 30))
    with pytest.raises(ServiceError, match="不能早于今天"):
        grant(n, n.tian_reviewer, n.wechat, date(2026, 11, 1), date(2026, 11, 23))
    with pytest.raises(Conflict, match="已是"):
        grant(n, n.tian_editor, n.wechat, date(2026, 12, 1), date(2027, 1, 31))  # overlaps


def test_grants_are_kept_by_the_unit_administrator_of_the_account(newsroom):
    n = newsroom
    with pytest.raises(Forbidden):
        grant(n, n.tian_reviewer, n.wechat, TODAY, date(2026, 12, 1), actor=n.tian_editor)
    with pytest.raises(NotFound):
        grant(n, n.chen_editor, n.chen_wechat, TODAY, date(2026, 12, 1))
    grant(n, n.chen_editor, n.chen_wechat, TODAY, date(2026, 12, 1), actor=n.chen_unit_admin)
    assert (
        not PublishGrant.objects.restrict(n.chen_unit_admin, "grants")
        .filter(account=n.wechat)
        .exists()
    )


def test_a_grant_starting_tomorrow_does_not_allow_publishing_today(newsroom):
    n = newsroom
    article = approved(n)
    PublishGrant.objects.filter(user=n.tian_editor).update(valid_from=date(2026, 11, 25))
    with pytest.raises(Forbidden):
        publish(n, article, n.wechat)
    publication = publish(n, article, n.wechat, now=datetime(2026, 11, 25, 9, 0, tzinfo=CHINA))
    assert publication.state == "queued"
