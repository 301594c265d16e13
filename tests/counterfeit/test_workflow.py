"""The case from 发现 to 已关停 (or 排除), through the real services and the fake platforms."""

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from docx import Document

from govmedia.audit.models import AuditEvent
from govmedia.core.errors import Conflict, Forbidden, ServiceError
from govmedia.counterfeit import services
from govmedia.counterfeit.letter import chinese_date
from govmedia.counterfeit.models import SuspectAccount, SuspectReport, SuspectState

from .conftest import remove_account


def report(world, platforms, **extra):
    fields = {
        "actor": world.tian_editor,
        "platform": platforms["douyin"],
        "display_name": "田中发布",
        "handle": "tz_fake_01",
        "verified": False,
        "source": "report",
        "description": "冒用天中街道名义发布招聘信息",
    }
    return services.suspect_create(**(fields | extra))


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_report_is_scored_and_matched_to_the_account_it_imitates(world, registry, platforms):
    result = report(world, platforms)
    suspect = result.suspect
    assert result.created
    assert suspect.state == SuspectState.FOUND
    assert suspect.matched_account == registry["tian"]
    assert suspect.score >= 80
    assert suspect.reasons[0]["code"] == "similar_name"
    assert AuditEvent.objects.filter(action="suspect.create", object_id=str(suspect.pk)).exists()


def test_a_repeat_report_adds_to_the_open_case(world, registry, platforms):
    first = report(world, platforms).suspect
    again = report(
        world, platforms, actor=world.alice, reporter_contact="13800001111", description="又见"
    )
    assert not again.created and again.suspect.pk == first.pk
    first.refresh_from_db()
    assert first.report_count == 2
    assert SuspectReport.objects.filter(suspect=first).count() == 2
    assert SuspectAccount.objects.count() == 1


def test_a_report_by_name_only_is_deduplicated_by_name(world, registry, platforms):
    first = report(world, platforms, handle="").suspect
    second = report(world, platforms, handle="").suspect
    assert first.pk == second.pk


def test_the_genuine_account_cannot_be_reported(world, registry, platforms):
    with pytest.raises(ServiceError) as caught:
        report(world, platforms, platform=platforms["wechat-mp"], handle="dt_tianzhong001")
    assert caught.value.field == "handle" and "天中发布" in caught.value.message


def test_the_whole_workflow_to_closed_confirmed_by_the_platform(world, registry, platforms, fakes):
    fakes.douyin.state.add_account("tz_fake_01", "田中发布", verified=False)
    suspect = report(world, platforms).suspect
    alice = world.alice

    suspect = services.suspect_verify(
        actor=alice, suspect_id=suspect.pk, version=suspect.version, note="冒用天中发布名称与头像"
    )
    assert suspect.state == SuspectState.VERIFIED

    suspect = services.suspect_request_takedown(
        actor=alice, suspect_id=suspect.pk, version=suspect.version
    )
    assert suspect.state == SuspectState.TAKEDOWN_REQUESTED
    assert suspect.letter_generated_at is not None
    text = docx_text(suspect.letter.read())
    for expected in (
        "北京抖音信息服务有限公司",  # addressed to the platform's operator
        "田中发布",
        "tz_fake_01",  # the counterfeit
        "天中发布",
        "dt_tianzhong001",
        registry["tian"].filing_no,
        "天中街道",  # the genuine account and its host
        "菏定政办发〔2019〕7号",
        "第五部分（二）",
        "菏泽市定陶区人民政府办公室",
        chinese_date(timezone.localdate(suspect.letter_generated_at)),  # dated the day written
    ):
        assert expected in text, expected
    assert "13905301234" not in text  # no personal data of the registered account

    with pytest.raises(ServiceError, match="通报日期不能晚于今天"):
        services.suspect_report_to_cac(
            actor=alice,
            suspect_id=suspect.pk,
            version=suspect.version,
            reported_on=timezone.localdate() + timedelta(days=1),
            recipient="区委网信办",
        )
    suspect = services.suspect_report_to_cac(
        actor=alice,
        suspect_id=suspect.pk,
        version=suspect.version,
        reported_on=timezone.localdate(),
        recipient="区委网信办",
    )
    assert suspect.state == SuspectState.REPORTED

    # Still on the platform: refused, and nothing changes.
    with pytest.raises(ServiceError) as caught:
        services.suspect_confirm_closed(actor=alice, suspect_id=suspect.pk, version=suspect.version)
    assert caught.value.code == "still_exists" and "仍能找到" in caught.value.message
    suspect.refresh_from_db()
    assert suspect.state == SuspectState.REPORTED

    remove_account(fakes.douyin.state, "tz_fake_01")
    suspect = services.suspect_confirm_closed(
        actor=alice, suspect_id=suspect.pk, version=suspect.version
    )
    assert suspect.state == SuspectState.CLOSED
    assert "查不到" in suspect.closed_check
    actions = list(
        AuditEvent.objects.filter(
            object_id=str(suspect.pk), object_type="counterfeit.suspectaccount"
        )
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "suspect.create",
        "suspect.verify",
        "suspect.request_takedown",
        "suspect.report_to_cac",
        "suspect.confirm_closed",
    ]
    # A closed account that comes back is a new case.
    assert report(world, platforms).created


def test_a_platform_outage_refuses_the_closing_check(world, registry, platforms, fakes):
    suspect = _reported_case(world, platforms)
    fakes.douyin.misbehave("http_500", times=20)
    with pytest.raises(ServiceError) as caught:
        services.suspect_confirm_closed(
            actor=world.alice, suspect_id=suspect.pk, version=suspect.version
        )
    assert caught.value.code == "platform_error"
    suspect.refresh_from_db()
    assert suspect.state == SuspectState.REPORTED


def _reported_case(world, platforms):
    alice = world.alice
    suspect = report(world, platforms).suspect
    suspect = services.suspect_verify(
        actor=alice, suspect_id=suspect.pk, version=suspect.version, note="核实"
    )
    suspect = services.suspect_request_takedown(
        actor=alice, suspect_id=suspect.pk, version=suspect.version
    )
    return services.suspect_report_to_cac(
        actor=alice,
        suspect_id=suspect.pk,
        version=suspect.version,
        reported_on=date.today(),
        recipient="区委网信办",
    )


def test_transitions_follow_the_table_and_refuse_stale_pages(world, registry, platforms):
    suspect = report(world, platforms).suspect
    alice = world.alice
    with pytest.raises(Conflict):  # 要求平台关停 before 核实
        services.suspect_request_takedown(actor=alice, suspect_id=suspect.pk, version=1)
    services.suspect_verify(actor=alice, suspect_id=suspect.pk, version=1, note="核实")
    with pytest.raises(Conflict, match="已被他人修改"):  # the same page submitted twice
        services.suspect_verify(actor=alice, suspect_id=suspect.pk, version=1, note="核实")


def test_verification_needs_a_note_and_a_handle(world, registry, platforms):
    suspect = report(world, platforms, handle="").suspect
    with pytest.raises(ServiceError) as caught:
        services.suspect_verify(actor=world.alice, suspect_id=suspect.pk, version=1, note=" ")
    assert caught.value.field == "note"
    with pytest.raises(ServiceError) as caught:
        services.suspect_verify(actor=world.alice, suspect_id=suspect.pk, version=1, note="核实")
    assert caught.value.field == "handle"
    suspect = services.suspect_verify(
        actor=world.alice,
        suspect_id=suspect.pk,
        version=1,
        note="核实",
        handle="tz_fake_09",
        matched_account_id=registry["tian_dy"].pk,
    )
    assert suspect.handle == "tz_fake_09" and suspect.matched_account == registry["tian_dy"]


def test_exclusion_needs_a_reason_and_can_be_reopened(world, registry, platforms):
    suspect = report(world, platforms).suspect
    with pytest.raises(ServiceError) as caught:
        services.suspect_exclude(actor=world.alice, suspect_id=suspect.pk, version=1, reason="")
    assert caught.value.field == "reason"
    suspect = services.suspect_exclude(
        actor=world.alice, suspect_id=suspect.pk, version=1, reason="系街道未备案的真实账号"
    )
    assert suspect.state == SuspectState.EXCLUDED
    # A new report of an excluded account joins it (and stays excluded until reopened).
    assert report(world, platforms).suspect.pk == suspect.pk
    suspect = services.suspect_reopen(
        actor=world.alice, suspect_id=suspect.pk, version=suspect.version, reason="又收到举报"
    )
    assert suspect.state == SuspectState.FOUND


def test_only_the_district_office_acts_on_a_case(world, registry, platforms):
    suspect = report(world, platforms).suspect
    for user in (world.tian_unit_admin, world.oversight, world.chen_unit_admin):
        with pytest.raises(Forbidden):
            services.suspect_verify(actor=user, suspect_id=suspect.pk, version=1, note="核实")
    suspect.refresh_from_db()
    assert suspect.state == SuspectState.FOUND
