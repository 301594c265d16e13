"""Issue 14 item 6: the audit log reads as people talk: objects by their Chinese type and name,
actions and filters in Chinese, a before/after table per field with the field's Chinese label,
and nothing about hashes or commands on the page."""

import re

from govmedia.audit.actions import ACTION_LABELS, action_label
from govmedia.audit.models import AuditEvent
from govmedia.users import services as user_services
from tests.conftest import logged_in_client
from tests.registry.conftest import form_data, platforms  # noqa: F401 - fixtures
from tests.registry.filing_steps import file_account

HIDDEN = ("HMAC", "hash", "哈希", "audit-verify", "audit_verify", "manage.py")


def text_of(response) -> str:
    assert response.status_code == 200
    return re.sub(r"<[^>]+>", " ", response.content.decode())


def test_user_change_reads_as_a_before_after_table_in_chinese(world):
    user = world.tian_editor
    user_services.user_update(
        actor=world.alice,
        user_id=user.pk,
        version=user.version,
        name="周卫健",
        org=world.chen,
        role="reviewer",
    )
    event = AuditEvent.objects.get(action="user.update", object_id=str(user.pk))
    client = logged_in_client(world.alice)

    listing = text_of(client.get("/audit/?action=user."))
    assert "用户 周卫健" in listing
    assert "修改用户" in listing
    assert "user.update" not in listing
    for word in HIDDEN:
        assert word not in listing

    detail = text_of(client.get(f"/audit/{event.pk}/"))
    assert "修改用户：用户 周卫健" in detail
    compact = re.sub(r"\s+", " ", detail)
    assert re.search(r"姓名 已修改 tian_editor 周卫健", compact)
    assert re.search(r"所属单位 已修改 天中街道 陈集镇", compact)
    assert re.search(r"角色 已修改 编辑 审核人", compact)
    for word in HIDDEN:
        assert word not in detail


def test_filing_is_named_by_its_number_and_filters_are_chinese(world, form_data):  # noqa: F811
    account = file_account(world, form_data)
    listing = text_of(logged_in_client(world.alice).get("/audit/?action=filing."))
    assert f"备案 {account.filing_no}" in listing
    assert "提交备案" in listing
    page = logged_in_client(world.alice).get("/audit/").content.decode()
    assert '<option value="filing.">备案：全部操作</option>' in page
    assert '<option value="registry.filing">备案</option>' in page


def test_every_action_the_code_records_has_a_chinese_name():
    """Codes written literally in govmedia are named; a code added later without a name still
    shows in words, never as the bare code."""
    import pathlib

    import govmedia

    root = pathlib.Path(govmedia.__file__).parent
    literal = re.compile(r'action="([a-z_]+\.[a-z_]+)"')
    codes = {
        code
        for path in root.rglob("*.py")
        for code in literal.findall(path.read_text(encoding="utf-8"))
    }
    assert codes, "the walk found the services' action codes"
    assert sorted(codes - set(ACTION_LABELS)) == []
    assert action_label("filing.something_new") == "备案的其他操作"
    assert action_label("nothing.known") == "其他操作"


def test_every_action_built_from_a_transition_table_has_a_chinese_name():
    """Codes the services build from an action name (f"filing.{action}" …) are named for every
    action their transition tables and choices allow: the literal walk above cannot see them."""
    from govmedia.monitoring.lifecycle import TRANSITIONS as rectification
    from govmedia.publishing.models import CountersignState, Decision
    from govmedia.qa.lifecycle import USE as qa_entry
    from govmedia.registry.lifecycle import TRANSITIONS as filing

    built = {
        *(f"filing.{action}" for action in filing),
        *(f"rectification.{action}" for action in rectification),
        *(f"servicelinks.finding_{action}" for action in rectification),
        *(f"qa.entry_{action}" for action in qa_entry),
        *(f"review.{decision}" for decision in Decision.values),
        *(f"countersign.{d}" for d in (CountersignState.APPROVED, CountersignState.RETURNED)),
        *(f"publication.{o}" for o in ("published", "fail", "unknown", "submitted")),
        "account.create",
        "account.apply_filing",
    }
    assert sorted(built - set(ACTION_LABELS)) == []
