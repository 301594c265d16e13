from datetime import date

import pytest

from govmedia.audit.models import AuditEvent
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.orgs import services
from govmedia.orgs.models import Organization, OrgStatus, OrgType
from govmedia.users.models import User

VALID_CODE = "91110000600037341L"


def snapshot_orgs():
    return list(Organization.objects.order_by("pk").values())


def test_create_child_sets_path_and_audits(world):
    org = services.org_create(
        actor=world.alice,
        name="天中街道便民服务中心",
        org_type=OrgType.SUBORDINATE,
        parent=world.tian,
        credit_code=VALID_CODE.lower(),
        phone="0530—2212021",
    )
    assert org.path == f"{world.tian.path}{org.pk}/" and org.depth == 2
    assert org.credit_code == VALID_CODE and org.phone == "0530-2212021"
    event = AuditEvent.objects.get(action="org.create", object_id=str(org.pk))
    assert event.actor == world.alice and event.after["name"] == "天中街道便民服务中心"


@pytest.mark.parametrize(
    "code, message",
    [
        ("91110000600037341X", "校验位错误"),
        ("9111000060003734", "18 位"),
        ("91110000600037341I", "不允许的字符"),
    ],
)
def test_invalid_credit_codes_are_refused(world, code, message):
    before = snapshot_orgs()
    with pytest.raises(ServiceError) as exc:
        services.org_create(
            actor=world.alice,
            name="新单位",
            org_type=OrgType.INTERNAL,
            parent=world.tian,
            credit_code=code,
        )
    assert message in exc.value.message and exc.value.field == "credit_code"
    assert snapshot_orgs() == before


def test_duplicate_sibling_name_refused_but_cousin_name_allowed(world):
    with pytest.raises(ServiceError) as exc:
        services.org_create(
            actor=world.alice,
            name="天中街道党政办公室",
            org_type=OrgType.INTERNAL,
            parent=world.tian,
        )
    assert "同级单位不能重名" in exc.value.message and exc.value.field == "name"
    services.org_create(
        actor=world.alice, name="天中街道党政办公室", org_type=OrgType.INTERNAL, parent=world.chen
    )


def test_type_must_fit_under_parent(world):
    with pytest.raises(ServiceError) as exc:
        services.org_create(
            actor=world.alice, name="某镇", org_type=OrgType.TOWNSHIP, parent=world.tian
        )
    assert "只能设立" in exc.value.message


def test_move_into_own_descendant_is_a_cycle(world):
    before = snapshot_orgs()
    inner = services.org_create(
        actor=world.alice, name="便民服务中心", org_type=OrgType.SUBORDINATE, parent=world.tian
    )
    before = snapshot_orgs()
    with pytest.raises(ServiceError) as exc:
        services.org_update(
            actor=world.alice, org_id=world.tian.pk, version=world.tian.version, parent=inner
        )
    assert "循环" in exc.value.message
    with pytest.raises(ServiceError):
        services.org_update(
            actor=world.alice, org_id=world.tian.pk, version=world.tian.version, parent=world.tian
        )
    assert snapshot_orgs() == before


def test_move_rewrites_subtree_paths(world):
    unit = services.org_create(
        actor=world.alice, name="便民服务中心", org_type=OrgType.SUBORDINATE, parent=world.tian
    )
    leaf = services.org_create(
        actor=world.alice, name="窗口", org_type=OrgType.INTERNAL, parent=unit
    )
    services.org_update(actor=world.alice, org_id=unit.pk, version=unit.version, parent=world.chen)
    leaf.refresh_from_db()
    assert leaf.path == f"{world.chen.path}{unit.pk}/{leaf.pk}/" and leaf.depth == 3


def test_stale_version_is_a_conflict(world):
    services.org_update(actor=world.alice, org_id=world.tian.pk, version=1, address="新地址")
    with pytest.raises(ServiceError) as exc:
        services.org_update(
            actor=world.alice, org_id=world.tian.pk, version=1, address="另一个地址"
        )
    assert exc.value.code == "conflict"
    world.tian.refresh_from_db()
    assert world.tian.address == "新地址"


def test_merge_moves_children_and_users_and_keeps_history(world):
    services.org_merge(
        actor=world.alice,
        source_id=world.chen.pk,
        target_id=world.tian.pk,
        reason="区编委〔2026〕1号",
        effective_on=date(2026, 11, 1),
    )
    world.chen.refresh_from_db()
    world.chen_office.refresh_from_db()
    assert world.chen.status == OrgStatus.MERGED and world.chen.merged_into == world.tian
    assert world.chen_office.parent == world.tian and world.chen_office.path.startswith(
        world.tian.path
    )
    assert User.objects.filter(org=world.chen).count() == 0
    assert User.objects.get(username="chen_editor").org == world.tian
    merge_event = AuditEvent.objects.get(action="org.merge")
    assert set(merge_event.after["moved_users"]) == set(
        User.objects.filter(username__startswith="chen_").values_list("pk", flat=True)
    )


def test_merge_into_self_or_descendant_refused(world):
    before = snapshot_orgs()
    with pytest.raises(ServiceError, match="它自己"):
        services.org_merge(
            actor=world.alice,
            source_id=world.tian.pk,
            target_id=world.tian.pk,
            reason="x",
            effective_on=date.today(),
        )
    with pytest.raises(ServiceError, match="下级单位"):
        services.org_merge(
            actor=world.alice,
            source_id=world.tian.pk,
            target_id=world.tian_office.pk,
            reason="x",
            effective_on=date.today(),
        )
    assert snapshot_orgs() == before


def test_merge_with_name_clash_refused(world):
    services.org_create(
        actor=world.alice, name="陈集镇综合执法办公室", org_type=OrgType.INTERNAL, parent=world.tian
    )
    before = snapshot_orgs()
    with pytest.raises(ServiceError, match="同名下级单位"):
        services.org_merge(
            actor=world.alice,
            source_id=world.chen.pk,
            target_id=world.tian.pk,
            reason="x",
            effective_on=date.today(),
        )
    assert snapshot_orgs() == before


def test_abolish_requires_no_active_children_and_a_reason(world):
    with pytest.raises(ServiceError, match="请先撤销"):
        services.org_abolish(
            actor=world.alice, org_id=world.tian.pk, reason="机构改革", effective_on=date.today()
        )
    with pytest.raises(ServiceError, match="依据"):
        services.org_abolish(
            actor=world.alice, org_id=world.tian_office.pk, reason=" ", effective_on=date.today()
        )
    services.org_abolish(
        actor=world.alice, org_id=world.tian_office.pk, reason="机构改革", effective_on=date.today()
    )
    with pytest.raises(ServiceError, match="已撤销"):
        services.org_abolish(
            actor=world.alice,
            org_id=world.tian_office.pk,
            reason="机构改革",
            effective_on=date.today(),
        )


def test_unit_admin_manages_own_subtree_only(world):
    actor = world.tian_unit_admin
    org = services.org_create(
        actor=actor, name="天中街道综治中心", org_type=OrgType.INTERNAL, parent=world.tian
    )
    assert org.parent == world.tian
    with pytest.raises(ServiceError) as exc:
        services.org_create(
            actor=actor, name="越权单位", org_type=OrgType.INTERNAL, parent=world.chen
        )
    assert exc.value.status == 404
    with pytest.raises(Forbidden):
        services.org_abolish(actor=actor, org_id=org.pk, reason="x", effective_on=date.today())
    with pytest.raises(Forbidden):
        services.org_create(
            actor=world.tian_editor, name="编辑建的", org_type=OrgType.INTERNAL, parent=world.tian
        )


def test_oversight_cannot_write(world):
    with pytest.raises(ServiceError):
        services.org_update(actor=world.oversight, org_id=world.tian.pk, version=1, address="x")
