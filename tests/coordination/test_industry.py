"""行业指导: a 行业主管部门 (区卫生健康局) guides an enterprise (陈集镇卫生院, a 企事业单位 under
陈集镇): it sees the enterprise's accounts, filings, pull state, findings, 整改 items and repost
completion read-only, and issues repost tasks to its accounts; without the grant row it does
neither. It never co-signs the enterprise's filings: that is the 主管单位's (陈集镇)."""

from datetime import date

import pytest

from govmedia.audit.models import AuditEvent
from govmedia.compliance.services import compliance_refresh
from govmedia.coordination.models import RepostTask
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.monitoring.claims import ensure_states
from govmedia.monitoring.models import Rectification
from govmedia.monitoring.rectify import rectification_open, screen_post
from govmedia.orgs import services as orgs
from govmedia.orgs.models import IndustrySupervision, OrgType
from govmedia.registry import services as registry
from govmedia.registry.models import Filing, FilingKind, FilingState, MediaAccount
from govmedia.screening.screen import screener_for
from tests.conftest import logged_in_client, make_org, make_user
from tests.coordination.helpers import SOURCE, issue
from tests.monitoring.conftest import register
from tests.publishing.unapproved.helpers import pulled
from tests.registry.conftest import form_data, platforms  # noqa: F401 - the fixtures

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


def _submitted(actor, org, data, *, name, handle):
    """A 开设 filing of the unit, submitted by its township's unit administrator."""
    filing = registry.filing_create(
        actor=actor,
        kind=FilingKind.OPEN,
        org=org,
        event_date=date(2026, 11, 20),
        data=data | {"name": name, "handle": handle, "registrant": org.name},
    )
    return registry.filing_submit(actor=actor, filing_id=filing.pk, version=filing.version)


def _rectification(account) -> Rectification:
    """The 整改 item a pulled post with a classified marker opens, as a pull opens it."""
    post = pulled(account, "<p>关于冬季防疫工作的通知（机密★5年）</p>", title="工作动态")
    rectification_open(
        post=post, account=account, screened=screen_post(post, screener_for(account.host_org))
    )
    return Rectification.objects.get(post=post)


@pytest.fixture
def guided(industry, form_data):  # noqa: F811 - the imported fixture
    """区卫生健康局 guides 陈集镇卫生院 (whose 主管单位 is 陈集镇) and not 天中街道社区卫生服务中心,
    another enterprise. Each has an unverified WeChat account (an open finding), a pull state,
    an open 整改 item and a submitted 开设 filing waiting for its 主管单位 or the district."""
    m = industry
    m.clinic.supervisor = m.chen
    m.clinic.save()
    m.centre = make_org("天中街道社区卫生服务中心", OrgType.ENTERPRISE, m.tian)
    m.centre_wechat = register(
        m.centre, "wechat-mp", "tz_centre", name="天中卫生服务", verified=False
    )
    MediaAccount.objects.filter(pk=m.clinic_wechat.pk).update(verified=False)
    orgs.industry_supervision_set(
        actor=m.alice, supervisor_id=m.dept.pk, supervised_ids=[m.clinic.pk]
    )
    m.clinic_filing = _submitted(
        m.chen_unit_admin, m.clinic, form_data, name="陈集卫生院服务号", handle="cjwsyfwh"
    )
    m.centre_filing = _submitted(
        m.tian_unit_admin, m.centre, form_data, name="天中卫生服务号", handle="tzwsfwh"
    )
    ensure_states()
    compliance_refresh()
    m.clinic_item = _rectification(m.clinic_wechat)
    m.centre_item = _rectification(m.centre_wechat)
    return m


def test_the_supervising_department_reads_its_enterprises_filings_findings_and_pull_state(
    guided,
):
    m = guided
    client = logged_in_client(m.health_admin)
    guided_orgs = {m.dept.pk, m.clinic.pk}  # its own unit's rows, and the enterprise's

    filings = client.get("/api/v1/filings", {"limit": 100}).json()["items"]
    assert m.clinic_filing.pk in {f["id"] for f in filings}
    assert {f["org_id"] for f in filings} <= guided_orgs
    page = client.get("/registry/filings/").content.decode()
    assert f'href="/registry/filings/{m.clinic_filing.pk}/"' in page
    assert f'href="/registry/filings/{m.centre_filing.pk}/"' not in page
    assert client.get(f"/registry/filings/{m.clinic_filing.pk}/").status_code == 200
    assert client.get(f"/registry/filings/{m.centre_filing.pk}/").status_code == 404

    dormant = client.get("/api/v1/dormant-accounts").json()["items"]
    assert m.clinic_wechat.pk in {a["account_id"] for a in dormant}
    assert {a["host_org_id"] for a in dormant} <= guided_orgs
    page = client.get("/monitoring/").content.decode()
    assert f'href="/monitoring/accounts/{m.clinic_wechat.pk}/"' in page
    assert f'href="/monitoring/accounts/{m.centre_wechat.pk}/"' not in page

    findings = client.get("/api/v1/compliance/findings", {"limit": 100}).json()["items"]
    unverified = {f["account_id"] for f in findings if f["rule"] == "unverified"}
    assert m.clinic_wechat.pk in unverified and m.centre_wechat.pk not in unverified
    assert {f["org_id"] for f in findings} <= guided_orgs
    page = client.get("/compliance/findings/").content.decode()
    assert f'href="/registry/accounts/{m.clinic_wechat.pk}/"' in page
    assert f'href="/registry/accounts/{m.centre_wechat.pk}/"' not in page

    items = client.get("/api/v1/rectifications", {"limit": 100}).json()["items"]
    assert {i["id"] for i in items} == {m.clinic_item.pk}
    page = client.get("/monitoring/rectifications/").content.decode()
    assert f'href="/monitoring/rectifications/{m.clinic_item.pk}/"' in page
    assert f'href="/monitoring/rectifications/{m.centre_item.pk}/"' not in page
    assert client.get(f"/api/v1/rectifications/{m.centre_item.pk}").status_code == 404

    # Read-only: it does not rectify for the enterprise.
    events = AuditEvent.objects.count()
    resolved = client.post(
        f"/api/v1/rectifications/{m.clinic_item.pk}/resolve",
        {"version": m.clinic_item.version, "note": "已删除"},
        content_type="application/json",
    )
    assert resolved.status_code in (403, 404)
    assert Rectification.objects.get(pk=m.clinic_item.pk).state == m.clinic_item.state
    assert AuditEvent.objects.count() == events


def test_the_district_office_sets_a_departments_enterprises_on_its_page(guided):
    m = guided
    office = logged_in_client(m.alice)
    page = office.get(f"/orgs/{m.dept.pk}/").content.decode()
    assert "指导的企事业单位" in page and f'href="/orgs/{m.clinic.pk}/"' in page
    assert f'action="/orgs/{m.dept.pk}/industry/"' in page
    assert f'<option value="{m.clinic.pk}" selected>' in page
    assert f'<option value="{m.centre.pk}">' in page

    response = office.post(
        f"/orgs/{m.dept.pk}/industry/", {"supervised": [m.clinic.pk, m.centre.pk]}
    )
    assert response.status_code == 302 and response.url == f"/orgs/{m.dept.pk}/"
    assert set(
        IndustrySupervision.objects.filter(supervisor=m.dept).values_list(
            "supervised_id", flat=True
        )
    ) == {m.clinic.pk, m.centre.pk}
    event = AuditEvent.objects.filter(action="org.industry_supervision").latest("seq")
    assert event.actor == m.alice and event.object_id == str(m.dept.pk)
    assert event.before == {"supervised": [m.clinic.pk]}
    assert event.after == {"supervised": sorted([m.clinic.pk, m.centre.pk])}
    assert "行业主管部门：区卫生健康局" in office.get(f"/orgs/{m.centre.pk}/").content.decode()
    # The department now reads the second enterprise too.
    health = logged_in_client(m.health_admin)
    assert health.get(f"/registry/filings/{m.centre_filing.pk}/").status_code == 200

    # The department itself does not set what it guides.
    events = AuditEvent.objects.count()
    assert health.post(f"/orgs/{m.dept.pk}/industry/", {"supervised": []}).status_code == 404
    assert IndustrySupervision.objects.filter(supervisor=m.dept).count() == 2
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("role", ["unit_admin", "supervisor_reviewer"])
def test_the_supervising_department_cannot_co_sign_or_return_an_enterprises_filing(guided, role):
    m = guided
    actor = m.health_admin if role == "unit_admin" else make_user("health_sr", m.dept, role)
    filing = m.clinic_filing
    assert (filing.state, filing.supervisor) == (FilingState.SUBMITTED, m.chen)
    client = logged_in_client(actor)
    detail = client.get(f"/registry/filings/{filing.pk}/").content.decode()
    assert 'value="supervisor_approve"' not in detail and 'value="return"' not in detail
    assert client.get("/registry/filings/", {"todo": 1}).context["rows"] == []
    events = AuditEvent.objects.count()

    act = f"/registry/filings/{filing.pk}/act/"
    approved = client.post(act, {"action": "supervisor_approve", "version": filing.version})
    assert approved.status_code == 302  # back to the filing, with the refusal said
    said = client.get(approved.url).content.decode()
    assert "只有主管单位“陈集镇”可以审核" in said
    returned = client.post(act, {"action": "return", "version": filing.version, "reason": "不同意"})
    assert returned.status_code == 403
    assert "只有主管单位“陈集镇”可以审核" in returned.content.decode()
    api = f"/api/v1/filings/{filing.pk}"
    for url, body in (
        (f"{api}/supervisor-approve", {"version": filing.version}),
        (f"{api}/return", {"version": filing.version, "reason": "不同意"}),
    ):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 403, (url, response.content)
        assert response.json()["code"] == "forbidden"
        assert "只有主管单位“陈集镇”可以审核" in response.json()["message"]

    unchanged = Filing.objects.get(pk=filing.pk)
    assert (unchanged.state, unchanged.version) == (FilingState.SUBMITTED, filing.version)
    assert unchanged.supervisor_reviewed_by is None and unchanged.returned_reason == ""
    assert AuditEvent.objects.count() == events
    # The filing was ready for the 主管单位: its own reviewer co-signs it.
    signed = logged_in_client(m.chen_supervisor_reviewer).post(
        f"{api}/supervisor-approve", {"version": filing.version}, content_type="application/json"
    )
    assert signed.status_code == 200 and signed.json()["state"] == "supervisor_approved"
