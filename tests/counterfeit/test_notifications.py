"""A 假冒账号 case moving on tells the unit whose account it imitates and the person who reported
it, once each (issue 14 item 2)."""

from govmedia.counterfeit import services
from govmedia.notifications.models import Notification
from govmedia.users.models import User


def told(case) -> dict[str, list[str]]:
    seen = {}
    for user in User.objects.order_by("username"):
        messages = list(
            Notification.objects.restrict(user)
            .filter(kind="counterfeit_moved", object_id=str(case.pk))
            .order_by("pk")
            .values_list("message", flat=True)
        )
        if messages:
            seen[user.username] = messages
    return seen


def test_each_step_of_a_case_notifies_the_imitated_unit_and_the_reporter_once(world, registry):
    case = services.suspect_create(
        actor=world.chen_editor,  # someone of another township spotted it
        platform=registry["tian"].platform,
        display_name="田中发布",
        handle="tz_fake_01",
        source="report",
        description="名称与天中发布相近",
    ).suspect
    assert told(case) == {}  # a new report is the district office's queue, not a notice
    case = services.suspect_verify(
        actor=world.alice,
        suspect_id=case.pk,
        version=case.version,
        note="冒用天中街道名义",
        matched_account_id=registry["tian"].pk,
    )
    tian = {f"tian_{r}" for r in ("editor", "reviewer", "supervisor_reviewer", "unit_admin")}
    seen = told(case)
    assert set(seen) == tian | {"chen_editor"}
    assert all(
        messages == ["假冒账号线索“田中发布”（微信公众号）已核实（依据：通知第五部分（二））"]
        for messages in seen.values()
    )
    case = services.suspect_exclude(
        actor=world.alice, suspect_id=case.pk, version=case.version, reason="系同名个人账号"
    )
    assert all(len(messages) == 2 and "已排除" in messages[1] for messages in told(case).values())
    assert (
        not Notification.objects.restrict(world.chen_unit_admin)
        .filter(kind="counterfeit_moved")
        .exists()
    )
