"""The 工作台 lists the messages waiting for their handler and for assignment, and the open
repost tasks of a unit's accounts; never another unit's."""

from govmedia.dashboard.todo import todo_items
from govmedia.interaction import todo as interaction_todo
from tests.coordination.conftest import matrix  # noqa: F401 - the fixture
from tests.interaction.conftest import desk  # noqa: F401 - the fixture
from tests.interaction.helpers import NOW, assign, pulled
from tests.publishing.conftest import fakes, newsroom, on_fakes  # noqa: F401 - the fixtures


def refs(user, kind="act", source=None):
    lines = source(user, today=NOW.date()) if source else todo_items(user, today=NOW.date())[kind]
    return {(line.label, line.ref) for line in lines if line.ref.startswith("interaction.")}


def test_a_new_message_waits_for_assignment_then_for_its_handler(desk):  # noqa: F811
    message = pulled(desk, "请问供暖热线是多少？")
    ref = f"interaction.message:{message.pk}"
    assert refs(desk.tian_unit_admin) == {("分办留言", ref)}
    assert refs(desk.tian_editor) == set()  # not yet theirs
    assert refs(desk.chen_unit_admin) == set()  # another township's message
    assign(desk, message)
    assert refs(desk.tian_editor) == {("答复留言", ref)}
    assert refs(desk.tian_unit_admin) == set()
    assert refs(desk.chen_editor) == set()


def test_the_district_office_follows_messages_past_their_limit(desk):  # noqa: F811
    from datetime import timedelta

    from govmedia.interaction.models import Message

    message = pulled(desk, "请问供暖热线是多少？")
    assert refs(desk.alice, "watch") == set()
    Message.objects.filter(pk=message.pk).update(due_at=NOW - timedelta(days=30))
    assert refs(desk.alice, "watch") == {("督促答复", f"interaction.message:{message.pk}")}
    assert interaction_todo.items(desk.tian_reviewer, today=NOW.date()) == []


def test_repost_tasks_wait_for_the_target_unit_and_the_district_follows_late_ones(matrix):  # noqa: F811
    from datetime import timedelta

    from govmedia.coordination import todo as coordination_todo
    from tests.coordination.helpers import issue, task_of

    m = matrix
    campaign = issue(m)
    task = task_of(campaign, m.wechat)  # 天中's WeChat account is a target
    ref = f"coordination.reposttask:{task.pk}"

    def lines(user, today=None):
        today = today or NOW.date()
        return {(line.label, line.ref) for line in coordination_todo.items(user, today=today)}

    assert ("转载", ref) in lines(m.tian_editor)
    assert not any(r.endswith(f":{task.pk}") for _, r in lines(m.chen_unit_admin))
    assert lines(m.alice) == set()  # nothing late yet
    assert ("督促转载", ref) in lines(m.alice, today=NOW.date() + timedelta(days=7))
