"""Each filing step notifies the right people, once each (issue 14 item 2)."""

import pytest
from django.core import mail

from govmedia.core.errors import Conflict
from govmedia.notifications.models import Notification
from govmedia.registry import services
from govmedia.users.models import User

from .conftest import hospital_filing


def told(kind: str, filing) -> dict[str, int]:
    """How many notifications of this kind about the filing each user sees (only those who see
    any)."""
    counts = {}
    for user in User.objects.all():
        n = (
            Notification.objects.restrict(user)
            .filter(kind=kind, object_type="registry.filing", object_id=str(filing.pk))
            .count()
        )
        if n:
            counts[user.username] = n
    return counts


DEPT = {"dept_admin", "dept_supervisor", "dept_reviewer", "dept_editor", "olivia"}
# The hospital's own notices reach its administrator and, by the platform's rule for a unit's
# subtree (notifications.models), the department above it.
HOSPITAL = {"hospital_admin"} | DEPT


def once(*groups) -> dict[str, int]:
    return {name: 1 for group in groups for name in group}


def test_each_step_of_a_supervised_filing_notifies_the_right_people_once(world, health, form_data):
    filing = hospital_filing(health, form_data)
    # 提交: the supervising unit (which must co-sign) and the district office.
    assert told("filing_submitted", filing) == once(DEPT, {"alice"})
    message = Notification.objects.get(kind="filing_submitted", recipient_org=world.dept).message
    assert "区人民医院" in message and "待 区卫生健康局 主管单位审核" in message

    filing = services.filing_return(
        actor=health.dept_supervisor, filing_id=filing.pk, version=filing.version, reason="定位不清"
    )
    # 退回: the filer, with the reason; not the district office.
    assert told("filing_returned", filing) == once(HOSPITAL)
    assert "退回理由：定位不清" in Notification.objects.get(kind="filing_returned").message

    filing = services.filing_submit(
        actor=health.hospital_admin, filing_id=filing.pk, version=filing.version
    )
    assert told("filing_submitted", filing) == {name: 2 for name in DEPT | {"alice"}}

    filing = services.filing_supervisor_approve(
        actor=health.dept_supervisor, filing_id=filing.pk, version=filing.version
    )
    # 主管单位审核通过: the filer and the district office, which must now file it; the department
    # that co-signed sees it once, though it is above the filer.
    assert told("filing_co_signed", filing) == once(HOSPITAL, {"alice"})

    filing = services.filing_approve(
        actor=world.alice, filing_id=filing.pk, version=filing.version, no_scan_reason="另行报送"
    )
    assert told("filing_approved", filing) == once(HOSPITAL)
    approved = Notification.objects.get(kind="filing_approved")
    assert filing.filing_no and filing.filing_no in approved.message
    assert approved.link == f"/registry/filings/{filing.pk}/"
    # Another township hears nothing of it.
    assert not Notification.objects.restrict(world.chen_unit_admin).exists()


def test_a_unit_and_its_internal_office_hear_of_one_event_once(world, form_data):
    """天中街道 files for its 党政办公室 and co-signs as its supervisor: its people see each
    event once, though both the 街道 and the office (or the submitter) are recipients."""
    world.tian_office.supervisor = world.tian
    world.tian_office.save()
    filing = services.filing_create(
        actor=world.tian_unit_admin,
        kind="open",
        org=world.tian_office,
        event_date=form_data["registered_on"],
        data=form_data,
    )
    filing = services.filing_submit(
        actor=world.tian_unit_admin, filing_id=filing.pk, version=filing.version
    )
    tian = {f"tian_{role}" for role in ("unit_admin", "editor", "reviewer", "supervisor_reviewer")}
    assert told("filing_submitted", filing) == once(tian, {"alice"})
    filing = services.filing_return(
        actor=world.tian_supervisor_reviewer,
        filing_id=filing.pk,
        version=filing.version,
        reason="请补充运维机构",
    )
    # The office's row reaches the 街道's people; the submitter gets no second one.
    assert told("filing_returned", filing) == once(tian)
    assert Notification.objects.filter(kind="filing_returned").count() == 1


def test_a_refused_step_notifies_no_one(world, health, form_data):
    filing = hospital_filing(health, form_data)
    before = Notification.objects.count()
    with pytest.raises(Conflict):
        services.filing_approve(
            actor=world.alice, filing_id=filing.pk, version=filing.version, no_scan_reason="x"
        )  # the supervisor has not co-signed yet
    assert Notification.objects.count() == before


def test_email_is_off_by_default(health, form_data, django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    User.objects.filter(pk=health.dept_supervisor.pk).update(email="sup@example.gov.cn")
    with django_capture_on_commit_callbacks(execute=True):
        hospital_filing(health, form_data)
    assert mail.outbox == []


def test_email_when_switched_on_reaches_each_recipient_with_an_address(
    health, form_data, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NOTIFICATION_EMAIL = True
    settings.NOTIFICATION_EMAIL_SITE_URL = "https://xmt.example.gov.cn"
    User.objects.filter(pk=health.dept_supervisor.pk).update(email="sup@example.gov.cn")
    User.objects.filter(pk=health.dept_admin.pk).update(email="admin@example.gov.cn")
    User.objects.filter(pk=health.hospital_admin.pk).update(email="hospital@example.gov.cn")
    with django_capture_on_commit_callbacks(execute=True):
        filing = hospital_filing(health, form_data)
    # The submission goes to the department (and the district office, whose people have no
    # address here); the filer is not told of their own submission.
    assert sorted(m.to[0] for m in mail.outbox) == ["admin@example.gov.cn", "sup@example.gov.cn"]
    assert all(len(m.to) == 1 for m in mail.outbox)
    sent = mail.outbox[0]
    assert "备案待审核" in sent.subject
    assert f"https://xmt.example.gov.cn/registry/filings/{filing.pk}/" in sent.body
