"""The rubric editor item by item: add, change, reorder and delete the items of a rubric that is
not frozen, with errors naming the field; a frozen rubric takes no write by any route and offers
"制作新版本" instead; every change audited."""

from decimal import Decimal

import pytest

from govmedia.assessment import rules
from govmedia.assessment.models import Indicator, Rubric
from govmedia.assessment.services import indicators, rubrics
from govmedia.audit.models import AuditEvent
from govmedia.core.errors import Forbidden, ServiceError
from tests.conftest import logged_in_client

from .helpers import assigned_check, fill_manual, finish

pytestmark = pytest.mark.django_db


def small_rubric(w) -> Rubric:
    return rubrics.rubric_create(
        actor=w.alice,
        name="试用指标",
        year=2026,
        items=[
            {"part": "veto", "wording": "安全、泄密事故", "method": "manual"},
            {
                "part": "deduct",
                "wording": "内容更新不及时",
                "points": 5,
                "cap": 20,
                "method": "manual",
            },
            {
                "part": "deduct",
                "wording": "转载任务未完成",
                "points": 2,
                "cap": 10,
                "method": "automatic",
                "rule": rules.REPOST_MISSING,
            },
        ],
    )


def wordings(rubric) -> list[str]:
    return list(rubric.indicators.order_by("position").values_list("wording", flat=True))


def item_form(**changes) -> dict:
    return {
        "part": "deduct",
        "wording": "商业广告信息",
        "points": "3",
        "cap": "9",
        "method": "manual",
        "rule": "",
        "evidence": "截图",
        **changes,
    }


def test_the_district_office_adds_edits_moves_and_deletes_items_through_the_pages(world):
    w = world
    rubric = small_rubric(w)
    client = logged_in_client(w.alice)
    page = client.get(f"/assessment/rubrics/{rubric.pk}/").content.decode()
    assert "新增指标项" in page and "制作新版本" not in page

    response = client.post(
        f"/assessment/rubrics/{rubric.pk}/items/new/", {**item_form(), "version": rubric.version}
    )
    assert response.status_code == 302
    added = rubric.indicators.get(wording="商业广告信息")
    assert (added.position, added.points, added.cap, added.evidence) == (
        4,
        Decimal(3),
        Decimal(9),
        "截图",
    )

    rubric.refresh_from_db()
    client.post(
        f"/assessment/rubrics/{rubric.pk}/items/{added.pk}/",
        {
            **item_form(
                wording="商业广告信息（弹窗）",
                method="automatic",
                rule=rules.SERVICE_LINKS_BROKEN,
            ),
            "version": rubric.version,
        },
    )
    added.refresh_from_db()
    assert (added.wording, added.method, added.rule) == (
        "商业广告信息（弹窗）",
        "automatic",
        rules.SERVICE_LINKS_BROKEN,
    )

    rubric.refresh_from_db()
    client.post(
        f"/assessment/rubrics/{rubric.pk}/items/{added.pk}/act/",
        {"action": "up", "version": rubric.version},
    )
    assert wordings(rubric) == [
        "安全、泄密事故",
        "内容更新不及时",
        "商业广告信息（弹窗）",
        "转载任务未完成",
    ]

    rubric.refresh_from_db()
    first = rubric.indicators.get(position=1)
    client.post(
        f"/assessment/rubrics/{rubric.pk}/items/{first.pk}/act/",
        {"action": "delete", "version": rubric.version},
    )
    assert wordings(rubric) == ["内容更新不及时", "商业广告信息（弹窗）", "转载任务未完成"]
    assert list(rubric.indicators.order_by("position").values_list("position", flat=True)) == [
        1,
        2,
        3,
    ]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "assessment.indicator_add",
        "assessment.indicator_edit",
        "assessment.indicator_move",
        "assessment.indicator_delete",
    } <= actions


def test_wrong_values_are_refused_naming_the_field_in_chinese(world):
    w = world
    rubric = small_rubric(w)
    client = logged_in_client(w.alice)
    url = f"/assessment/rubrics/{rubric.pk}/items/new/"
    page = client.post(url, {**item_form(cap="0"), "version": rubric.version}).content.decode()
    assert "单项上限" in page and "大于0的上限" in page
    page = client.post(
        url, {**item_form(method="automatic", rule=""), "version": rubric.version}
    ).content.decode()
    assert "请选择“自动规则”" in page
    page = client.post(url, {**item_form(wording=""), "version": rubric.version}).content.decode()
    assert "请填写“指标内容”" in page
    assert rubric.indicators.count() == 3
    with pytest.raises(ServiceError) as caught:
        indicators.indicator_add(
            actor=w.alice, rubric_id=rubric.pk, version=rubric.version, **item_form(points="abc")
        )
    assert "每处分值" in caught.value.message and caught.value.field == "points"


def test_a_stale_page_does_not_overwrite_a_newer_order(world):
    w = world
    rubric = small_rubric(w)
    last = rubric.indicators.get(position=3)
    indicators.indicator_move(
        actor=w.alice,
        rubric_id=rubric.pk,
        indicator_id=last.pk,
        version=rubric.version,
        direction="up",
    )
    with pytest.raises(ServiceError):
        indicators.indicator_move(
            actor=w.alice,
            rubric_id=rubric.pk,
            indicator_id=last.pk,
            version=rubric.version,
            direction="up",
        )


def test_only_the_district_office_edits_items(world):
    w = world
    rubric = small_rubric(w)
    with pytest.raises(Forbidden):
        indicators.indicator_add(
            actor=w.tian_unit_admin, rubric_id=rubric.pk, version=rubric.version, **item_form()
        )
    response = logged_in_client(w.tian_unit_admin).post(
        f"/assessment/rubrics/{rubric.pk}/items/new/", {**item_form(), "version": rubric.version}
    )
    assert response.status_code == 404
    assert rubric.indicators.count() == 3


def test_a_frozen_rubric_takes_no_write_by_any_route_and_offers_a_new_version(accounts):
    w = accounts
    rubric = rubrics.rubric_default_ensure(year=2026)
    check = assigned_check(w, rubric)
    fill_manual(w, check)
    finish(w, check)
    rubric.refresh_from_db()
    assert rubric.frozen
    before = rubrics.item_dicts(rubric)
    item = rubric.indicators.order_by("position").last()
    client = logged_in_client(w.alice)
    page = client.get(f"/assessment/rubrics/{rubric.pk}/").content.decode()
    assert "制作新版本" in page and "新增指标项" not in page and "上移" not in page

    base = f"/assessment/rubrics/{rubric.pk}/items"
    writes = [
        (f"{base}/new/", {**item_form(), "version": rubric.version}),
        (f"{base}/{item.pk}/", {**item_form(), "version": rubric.version}),
        (f"{base}/{item.pk}/act/", {"action": "up", "version": rubric.version}),
        (f"{base}/{item.pk}/act/", {"action": "delete", "version": rubric.version}),
    ]
    for url, data in writes:
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response.url == f"/assessment/rubrics/{rubric.pk}/", url
    assert client.get(f"{base}/new/").status_code == 302
    for call, kwargs in (
        (indicators.indicator_add, item_form()),
        (indicators.indicator_edit, {"indicator_id": item.pk, **item_form()}),
        (indicators.indicator_move, {"indicator_id": item.pk, "direction": "up"}),
        (indicators.indicator_delete, {"indicator_id": item.pk}),
    ):
        with pytest.raises(ServiceError, match="冻结"):
            call(actor=w.alice, rubric_id=rubric.pk, version=rubric.version, **kwargs)
    rubric.refresh_from_db()
    assert rubrics.item_dicts(rubric) == before
    assert not AuditEvent.objects.filter(action__startswith="assessment.indicator_").exists()

    response = client.post(
        f"/assessment/rubrics/{rubric.pk}/new-version/", {"version": rubric.version}
    )
    successor = Rubric.objects.get(previous=rubric)
    assert response.url == f"/assessment/rubrics/{successor.pk}/"
    assert rubrics.item_dicts(successor) == before and not successor.frozen
    # The new version is edited item by item; the old checks keep the old one.
    edited = successor.indicators.order_by("position").last()
    indicators.indicator_edit(
        actor=w.alice,
        rubric_id=successor.pk,
        indicator_id=edited.pk,
        version=successor.version,
        **{**rubrics.item_dicts(successor)[-1], "wording": "新版本的加分项"},
    )
    assert Indicator.objects.get(pk=item.pk).wording == before[-1]["wording"]
    check.refresh_from_db()
    assert check.rubric_id == rubric.pk


def test_an_item_scored_in_a_check_in_progress_is_not_deleted(accounts):
    w = accounts
    rubric = rubrics.rubric_default_ensure(year=2026)
    check = assigned_check(w, rubric)
    assert check.state == "scoring"
    item = rubric.indicators.order_by("position").first()
    with pytest.raises(ServiceError, match="不能删除"):
        indicators.indicator_delete(
            actor=w.alice, rubric_id=rubric.pk, indicator_id=item.pk, version=rubric.version
        )
