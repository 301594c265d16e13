"""Every filing page says who must act next and why; the supervising unit's co-sign may be given
by its 主管单位审核人, its 单位管理员 or a 审核人 it designates (issue 14 item 3)."""

import pytest

from govmedia.audit.models import AuditEvent
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.registry import services
from govmedia.registry.models import CoSigner
from govmedia.registry.next_step import next_step
from tests.conftest import logged_in_client

from .conftest import hospital_filing


def page(user, filing) -> str:
    return logged_in_client(user).get(f"/registry/filings/{filing.pk}/").content.decode()


def test_the_page_says_who_acts_next_at_every_step(world, health, form_data):
    draft = hospital_filing(health, form_data, submit=False)
    assert "待 区人民医院 提交" in page(health.hospital_admin, draft)
    filing = services.filing_submit(
        actor=health.hospital_admin, filing_id=draft.pk, version=draft.version
    )
    text = page(health.hospital_admin, filing)
    assert "待 区卫生健康局 主管单位审核" in text and "主管单位签章" in text
    assert "dept_supervisor（主管单位审核人）" in text and "dept_admin（单位管理员）" in text
    assert "待您办理" not in text
    assert "待您办理" in page(health.dept_supervisor, filing)
    filing = services.filing_supervisor_approve(
        actor=health.dept_admin, filing_id=filing.pk, version=filing.version
    )
    assert "待 区政府办公室 备案" in page(health.hospital_admin, filing)
    filed = services.filing_approve(
        actor=world.alice, filing_id=filing.pk, version=filing.version, no_scan_reason="另行报送"
    )
    assert next_step(filed) is None


def test_a_designated_reviewer_co_signs_and_an_undesignated_one_may_not(world, health, form_data):
    filing = hospital_filing(health, form_data)
    with pytest.raises(Forbidden):
        services.filing_supervisor_approve(
            actor=health.dept_reviewer, filing_id=filing.pk, version=filing.version
        )
    assert "dept_reviewer" not in page(health.hospital_admin, filing)
    admin = logged_in_client(health.dept_admin)
    listing = admin.get("/registry/filings/co-signers/").content.decode()
    assert "指定为备案审核人" in listing
    admin.post(
        "/registry/filings/co-signers/", {"user": health.dept_reviewer.pk, "designated": "1"}
    )
    assert CoSigner.objects.filter(user=health.dept_reviewer, designated_by=health.dept_admin)
    assert AuditEvent.objects.filter(action="filing.co_signer_designate").count() == 1
    assert "dept_reviewer（审核人）" in page(health.hospital_admin, filing)
    reviewer_page = page(health.dept_reviewer, filing)
    assert 'value="supervisor_approve"' in reviewer_page
    signed = services.filing_supervisor_approve(
        actor=health.dept_reviewer, filing_id=filing.pk, version=filing.version
    )
    assert signed.supervisor_reviewed_by == health.dept_reviewer


def test_only_reviewers_of_ones_own_scope_may_be_designated(world, health):
    with pytest.raises(ServiceError):  # not a 审核人: already co-signs by role
        services.co_signer_set(
            actor=health.dept_admin, user_id=health.dept_supervisor.pk, designated=True
        )
    with pytest.raises(ServiceError):  # another township's reviewer: not found
        services.co_signer_set(
            actor=health.dept_admin, user_id=world.chen_reviewer.pk, designated=True
        )
    with pytest.raises(Forbidden):  # a reviewer cannot designate
        services.co_signer_set(
            actor=health.dept_reviewer, user_id=health.dept_reviewer.pk, designated=True
        )
    assert (
        logged_in_client(world.tian_editor).get("/registry/filings/co-signers/").status_code == 404
    )
    assert not CoSigner.objects.exists()


def test_when_the_filers_own_unit_supervises_the_page_explains_who_co_signs(world, form_data):
    """天中街道 files for its 党政办公室 and is its 主管单位: the submitter cannot co-sign, so the
    page names who can instead of showing no button."""
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
    text = page(world.tian_unit_admin, filing)
    assert 'value="supervisor_approve"' not in text
    assert "待 天中街道 主管单位审核" in text
    assert "是“天中街道”的下属单位" in text and "提交人本人不能审核自己提交的备案" in text
    assert "tian_supervisor_reviewer（主管单位审核人）" in text
    assert "tian_unit_admin" not in text.split("可办理人员：", 1)[1].split("</p>", 1)[0]
    # With no one else able to co-sign, it says what to do about it.
    world.tian_supervisor_reviewer.is_active = False
    world.tian_supervisor_reviewer.save()
    assert "目前没有可以审核的人员" in page(world.tian_unit_admin, filing)
