"""检查指标 as data: the seeded default, Excel round trip, versions of a frozen rubric."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from govmedia.assessment import rules
from govmedia.assessment.models import Method, Part, Rubric, ScoreSheet
from govmedia.assessment.services import rubrics
from govmedia.audit.models import AuditEvent
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.core.spreadsheets import ImportRejected

from .helpers import assigned_check, fill_manual, finish

pytestmark = pytest.mark.django_db


def default_rubric() -> Rubric:
    return rubrics.rubric_default_ensure(year=2026)


def test_the_default_rubric_is_seeded_with_its_facts_and_three_parts(db):
    rubric = default_rubric()
    assert rubric.is_default and rubric.source_doc == "国办秘函〔2019〕19号"
    assert "监测时间点前2周内无更新" in rubric.basis and "高于80分" in rubric.basis
    parts = {i.part for i in rubric.indicators.all()}
    assert parts == {Part.VETO, Part.DEDUCT, Part.BONUS}
    wording = [i.wording for i in rubric.indicators.all()]
    for needed in (
        "内容更新不及时",
        "功能无法使用",
        "商业广告",
        "账号主体与开办单位不一致",
        "应注销未注销",
        "转载任务未完成",
        "留言答复超期",
    ):
        assert any(needed in w for w in wording), needed
    two_weeks = rubric.indicators.get(rule=rules.NO_UPDATE)
    assert (two_weeks.part, two_weeks.method) == (Part.VETO, Method.AUTOMATIC)
    # Interaction and service links: from the platform's messages and link checks.
    for text, rule in (
        ("互动回应差", rules.INTERACTION_POOR),
        ("留言答复超期", rules.REPLY_OVERDUE),
        ("功能无法使用", rules.SERVICE_LINKS_BROKEN),
    ):
        item = rubric.indicators.get(wording__contains=text)
        assert (item.method, item.rule) == (Method.AUTOMATIC, rule)
    assert default_rubric() == rubric  # idempotent


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("指标.xlsx", data)


def test_excel_export_and_import_round_trip(world):
    rubric = default_rubric()
    data = rubrics.rubric_workbook(rubric)
    copy = rubrics.rubric_import(
        actor=world.alice,
        upload=upload(data),
        name="某市检查指标",
        year=2027,
        source_doc="某办函〔2027〕1号",
    )
    assert rubrics.item_dicts(copy) == rubrics.item_dicts(rubric)
    assert (copy.name, copy.year, copy.number) == ("某市检查指标", 2027, 1)


def test_an_import_names_every_wrong_cell(world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = rubrics.SHEET
    sheet.append(rubrics.COLUMNS)
    sheet.append(["扣分", 1, "内容更新不及时", "abc", 10, "人工", "", ""])
    sheet.append(["附加", 2, "x", 1, 1, "自动", "no_such_rule", ""])
    buffer = BytesIO()
    workbook.save(buffer)
    with pytest.raises(ImportRejected) as caught:
        rubrics.rubric_import(
            actor=world.alice, upload=upload(buffer.getvalue()), name="x", year=2026
        )
    where = {(e.row, e.column) for e in caught.value.errors}
    assert {(2, "每处分值"), (3, "部分"), (3, "自动规则")} <= where
    assert not Rubric.objects.filter(name="x").exists()


def test_only_the_district_office_edits_rubrics(world):
    rubric = default_rubric()
    with pytest.raises(Forbidden):
        rubrics.rubric_edit(
            actor=world.tian_unit_admin,
            rubric_id=rubric.pk,
            version=rubric.version,
            name=rubric.name,
            year=2026,
            items=rubrics.item_dicts(rubric),
        )


def edit(w, rubric, **changes):
    items = rubrics.item_dicts(rubric)
    for item in items:
        if item["wording"] == "未备案或逾期未备案":
            item["points"] = item["cap"] = changes.get("points", item["points"])
    return rubrics.rubric_edit(
        actor=w.alice,
        rubric_id=rubric.pk,
        version=rubric.version,
        name=rubric.name,
        year=rubric.year,
        items=items,
        source_doc=rubric.source_doc,
        basis=rubric.basis,
        bonus_cap=rubric.bonus_cap,
    )


def test_an_unused_rubric_is_edited_in_place(world):
    rubric = default_rubric()
    edited = edit(world, rubric, points=Decimal(20))
    assert edited.pk == rubric.pk and edited.version == rubric.version + 1
    assert edited.indicators.get(wording="未备案或逾期未备案").points == Decimal(20)
    assert AuditEvent.objects.filter(action="assessment.rubric_edit").exists()


def test_a_frozen_rubric_makes_a_new_version_and_old_checks_keep_their_scores(accounts):
    w = accounts
    rubric = default_rubric()
    check = assigned_check(w, rubric)
    fill_manual(w, check, hits={("tz_wx", "未备案或逾期未备案")})
    finish(w, check)
    rubric.refresh_from_db()
    assert rubric.frozen
    sheet = ScoreSheet.objects.get(check_run=check, account=w.tian_wechat)
    assert sheet.score == Decimal(90)

    successor = edit(w, rubric, points=Decimal(30))
    rubric.refresh_from_db()
    assert successor.pk != rubric.pk and successor.previous == rubric
    assert (successor.number, rubric.superseded) == (2, True)
    assert rubric.indicators.get(wording="未备案或逾期未备案").points == Decimal(10)
    check.refresh_from_db()
    sheet.refresh_from_db()
    assert (check.rubric, sheet.score) == (rubric, Decimal(90))
    with pytest.raises(ServiceError, match="新版本"):
        edit(w, rubric, points=Decimal(5))
