"""The inbox's text search finds every message that contains the term, whatever its length
(供暖, 医保: the usual Chinese keyword is two characters), the term exactly (not its
characters apart), Latin letters in any case; on PostgreSQL through the index of characters
and character pairs of migration 0004."""

import os
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from govmedia.interaction import services
from govmedia.interaction.models import Message
from govmedia.interaction.selectors import inbox
from tests.conftest import logged_in_client

INDEX = "msg_text_grams"


def _letter(world, text, days_ago=1):
    return services.message_create(
        actor=world.tian_editor,
        source="letter",
        org_id=world.tian.pk,
        text=text,
        received_at=timezone.now() - timedelta(days=days_ago),
    )


def _found(world, **params):
    return set(inbox(world.tian_editor, {"view": "all", **params}))


def test_a_two_character_term_finds_a_message_of_any_age(world):
    old = _letter(world, "去年冬天供暖不热，有人管吗？", days_ago=400)
    recent = _letter(world, "小区供暖什么时候开始？")
    _letter(world, "路灯不亮")
    assert _found(world, q="供暖") == {old, recent}
    assert _found(world, q="去年冬天供暖") == {old}
    page = logged_in_client(world.tian_editor).get("/interaction/?view=all&q=供暖")
    assert page.content.decode().count("供暖") >= 2


def test_a_one_character_term(world):
    heating = _letter(world, "供暖不热")
    lamp = _letter(world, "路灯不亮")
    assert _found(world, q="暖") == {heating}
    assert _found(world, q="不") == {heating, lamp}


def test_the_term_is_matched_exactly_not_its_characters_apart(world):
    _letter(world, "供水的时候暖气也停了")  # 供 … 暖, and 暖 … 供 nowhere
    together = _letter(world, "供暖停了")
    _letter(world, "暖供")  # both pairs' characters, in the other order
    assert _found(world, q="供暖") == {together}
    assert _found(world, q="暖气停") == set()


def test_latin_letters_in_any_case(world):
    message = _letter(world, "App 登录不了，提示 Error")
    _letter(world, "登录正常")
    assert _found(world, q="aPP") == {message}
    assert _found(world, q="error") == {message}
    assert _found(world, q="e") == {message}


def _on_postgresql() -> bool:
    """Whether this run is on PostgreSQL; asked for it (the URLs), it must be, not skip."""
    asked = any(
        os.environ.get(name, "").startswith("postgres")
        for name in ("TEST_DATABASE_URL", "DATABASE_URL")
    )
    if asked:
        assert connection.vendor == "postgresql"
    return connection.vendor == "postgresql"


def test_postgresql_looks_a_rare_term_up_in_the_gram_index(world):
    if not _on_postgresql():
        return
    with connection.cursor() as cursor:
        assert INDEX in connection.introspection.get_constraints(cursor, "interaction_message")
    rare = _letter(world, "物业费收得太高")
    # Enough messages without the term that reading them all costs more than the index.
    template = _letter(world, "请问第几号事项如何办理？供暖、医保、入学咨询")
    copied = {
        f.attname: getattr(template, f.attname)
        for f in Message._meta.concrete_fields
        if not f.primary_key
    }
    Message.objects.bulk_create(
        Message(
            **copied
            | {
                "text": f"请问第{i}号事项如何办理？供暖、医保、入学咨询",
                "received_at": template.received_at - timedelta(minutes=i),
            }
        )
        for i in range(2000)
    )
    with connection.cursor() as cursor:
        # As autovacuum leaves it: the new rows moved from the index's pending list (which
        # every search reads whole) into the index, and the planner's figures.
        cursor.execute("SELECT gin_clean_pending_list(%s)", [INDEX])
        cursor.execute("ANALYZE interaction_message")
    for term in ("物业", "物业费收"):
        rows = Message.objects.filter(pk__in=inbox(world.tian_editor, {"view": "all", "q": term}))
        assert set(rows) == {rare}
        plan = inbox(world.tian_editor, {"view": "all", "q": term}).explain()
        assert INDEX in plan, plan
