"""行业指导: a 行业主管部门 (区卫生健康局) guides an enterprise (陈集镇卫生院, a 企事业单位 under
陈集镇): it sees the enterprise's accounts and repost completion read-only, and issues repost
tasks to its accounts; without the grant row it does neither."""

import pytest

from govmedia.coordination.models import RepostTask
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.orgs import services as orgs
from govmedia.orgs.models import OrgType
from govmedia.registry.models import MediaAccount
from tests.conftest import make_org, make_user
from tests.coordination.helpers import SOURCE, issue
from tests.monitoring.conftest import register
from tests.publishing.unapproved.helpers import pulled

pytestmark = pytest.mark.django_db


@pytest.fixture
def industry(matrix):
    m = matrix
    m.clinic = make_org("陈集镇卫生院", OrgType.ENTERPRISE, m.chen)
    m.clinic_wechat = register(m.clinic, "wechat-mp", "cj_clinic", name="陈集卫生院")
    m.health_admin = make_user("health_admin", m.dept, "unit_admin")
    m.health_wechat = register(m.dept, "wechat-mp", "dt_health", name="定陶健康")
    return m


def _issue(m):
    source = pulled(m.health_wechat, SOURCE, title="冬季清洁取暖补贴政策")
    return issue(m, actor=m.health_admin, source=source, rule={"account_ids": [m.clinic_wechat.pk]})


def test_only_the_district_office_sets_industry_supervision_of_enterprises(industry):
    m = industry
    with pytest.raises(Forbidden):
        orgs.industry_supervision_set(
            actor=m.health_admin, supervisor_id=m.dept.pk, supervised_ids=[m.clinic.pk]
        )
    with pytest.raises(ServiceError):  # a township is no 企事业单位
        orgs.industry_supervision_set(
            actor=m.alice, supervisor_id=m.dept.pk, supervised_ids=[m.chen.pk]
        )


def test_the_supervising_department_sees_and_issues_to_its_enterprises(industry):
    m = industry
    visible = MediaAccount.objects.restrict(m.health_admin)
    assert m.clinic_wechat not in visible
    with pytest.raises(ServiceError):
        _issue(m)
    orgs.industry_supervision_set(
        actor=m.alice, supervisor_id=m.dept.pk, supervised_ids=[m.clinic.pk]
    )
    assert m.clinic_wechat in MediaAccount.objects.restrict(m.health_admin)
    assert m.clinic_wechat not in MediaAccount.objects.restrict(m.health_admin, "change")
    assert m.wechat not in MediaAccount.objects.restrict(m.health_admin)  # 天中's: no grant
    campaign = _issue(m)
    task = RepostTask.objects.get(campaign=campaign)
    assert task.account == m.clinic_wechat
    assert task in RepostTask.objects.restrict(m.health_admin)
    # A task the district issued to the enterprise: its completion, read-only.
    district_task = RepostTask.objects.get(
        campaign=issue(m, rule={"account_ids": [m.clinic_wechat.pk]})
    )
    assert district_task in RepostTask.objects.restrict(m.health_admin)
    assert district_task not in RepostTask.objects.restrict(m.health_admin, "complete")
    assert district_task not in RepostTask.objects.restrict(m.health_admin, "issue")
    # The grant removed: out of sight again.
    orgs.industry_supervision_set(actor=m.alice, supervisor_id=m.dept.pk, supervised_ids=[])
    assert m.clinic_wechat not in MediaAccount.objects.restrict(m.health_admin)
    assert district_task not in RepostTask.objects.restrict(m.health_admin)
