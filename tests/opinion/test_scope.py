"""Scope: a township sees its own cases and those assigned to it, nothing else; 监督 sees all."""

from govmedia.opinion.models import Level, OpinionCase, OpinionItem
from govmedia.opinion.services import cases as svc
from tests.conftest import logged_in_client

from .conftest import reported


def test_a_township_sees_its_own_cases_and_those_assigned_to_it(world):
    own = reported(world, world.tian, text="天中街道停水三天")
    other = reported(world, world.chen, text="陈集镇垃圾站恶臭扰民")
    assigned = reported(world, world.dept, text="区医院挂号难排长队")
    svc.case_assess(
        actor=world.alice,
        case_id=assigned.pk,
        version=assigned.version,
        level=Level.LARGE,
        reason="x",
    )
    assigned.refresh_from_db()
    svc.case_assign(
        actor=world.alice,
        case_id=assigned.pk,
        version=assigned.version,
        org_ids=[world.tian_office.pk],
    )
    for user in (world.tian_unit_admin, world.tian_editor, world.tian_reviewer):
        seen = set(OpinionCase.objects.restrict(user).values_list("pk", flat=True))
        assert seen == {own.pk, assigned.pk}, user
        items = set(OpinionItem.objects.restrict(user).values_list("case_id", flat=True))
        assert items == {own.pk, assigned.pk}
    assert set(OpinionCase.objects.restrict(world.chen_editor).values_list("pk", flat=True)) == {
        other.pk
    }
    everything = {own.pk, other.pk, assigned.pk}
    assert (
        set(OpinionCase.objects.restrict(world.oversight).values_list("pk", flat=True))
        == everything
    )
    assert set(OpinionCase.objects.restrict(world.alice).values_list("pk", flat=True)) == everything


def test_the_board_and_api_list_only_what_the_township_sees(world):
    reported(world, world.tian, text="天中街道停水三天")
    reported(world, world.chen, text="陈集镇垃圾站恶臭扰民")
    client = logged_in_client(world.tian_editor)
    page = client.get("/opinion/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "天中街道停水" in content and "陈集" not in content
    api = client.get("/api/v1/opinion/cases").json()
    assert [c["title"] for c in api["items"]] == ["天中街道停水三天"]
