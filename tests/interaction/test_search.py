"""The inbox's text search: a term of three or more characters looks through every message
(on PostgreSQL through the pg_trgm index of migration 0004); a shorter one, which no trigram
index can look up, through the newest SHORT_TERM_ROWS messages unless a 收到自 date is given,
and the page says so."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from govmedia.interaction import filters, services
from govmedia.interaction.selectors import inbox
from tests.conftest import logged_in_client


def _letter(world, text, days_ago):
    return services.message_create(
        actor=world.tian_editor,
        source="letter",
        org_id=world.tian.pk,
        text=text,
        received_at=timezone.now() - timedelta(days=days_ago),
    )


def test_a_short_term_looks_through_the_newest_messages_unless_given_a_date(world, monkeypatch):
    monkeypatch.setattr(filters, "SHORT_TERM_ROWS", 2)  # the window: the newest two
    old = _letter(world, "医保报销需要哪些材料？Ab", days_ago=10)
    _letter(world, "路灯不亮", days_ago=2)
    recent = _letter(world, "医保卡丢了怎么补办？", days_ago=1)
    user = world.tian_editor

    def found(**params):
        return set(inbox(user, {"view": "all", **params}))

    assert found(q="医保") == {recent}
    assert found(q="医保报销") == {old}
    assert found(q="aB") == set()  # outside the window, though the case does not matter
    early = (timezone.localdate() - timedelta(days=20)).isoformat()
    assert found(q="医保", received_from=early) == {old, recent}
    assert found(q="aB", received_from=early) == {old}

    client = logged_in_client(user)
    page = client.get("/interaction/?view=all&q=医保").content.decode()
    assert "只查找了最近的 2 条留言" in page and "请输入 3 个字以上的关键词" in page
    assert "只查找了" not in client.get("/interaction/?view=all&q=医保报销").content.decode()


def test_postgresql_has_the_trigram_index_of_the_search(world):
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "interaction_message")
    assert "msg_text_trgm" in indexes
