"""The inbox's text search: a term of three or more characters looks through every message
(on PostgreSQL through the pg_trgm index of migration 0004); a shorter one, which no trigram
index can look up, through the last 30 days unless a 收到自 date is given, and the page says so."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from govmedia.interaction import services
from govmedia.interaction.filters import SHORT_TERM_DAYS
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


def test_a_short_term_looks_through_recent_messages_unless_given_a_date(world):
    old = _letter(world, "医保报销需要哪些材料？", days_ago=SHORT_TERM_DAYS + 10)
    recent = _letter(world, "医保卡丢了怎么补办？", days_ago=1)
    user = world.tian_editor

    def found(**params):
        return set(inbox(user, {"view": "all", **params}))

    assert found(q="医保") == {recent}
    assert found(q="医保报销") == {old}
    early = (timezone.localdate() - timedelta(days=SHORT_TERM_DAYS + 20)).isoformat()
    assert found(q="医保", received_from=early) == {old, recent}

    page = logged_in_client(user).get("/interaction/?view=all&q=医保").content.decode()
    assert "只查找了" in page and "请输入 3 个字以上的关键词" in page
    longer = logged_in_client(user).get("/interaction/?view=all&q=医保报销").content.decode()
    assert "只查找了" not in longer


def test_postgresql_has_the_trigram_index_of_the_search(world):
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "interaction_message")
    assert "msg_text_trgm" in indexes
