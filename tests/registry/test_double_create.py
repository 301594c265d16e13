"""Issue 12 item 9, double create: two identical POST /api/v1/filings at the same moment, or a
double click on 保存草稿, make one draft. The API takes an Idempotency-Key; the form carries a
hidden one-time key (core.idempotency). Real threads with their own connections
(tests.concurrency): on PostgreSQL the second request waits on the key's unique index."""

import json
from functools import partial

import pytest

from govmedia.core.idempotency import FORM_FIELD, HEADER
from govmedia.core.models import IdempotencyKey
from govmedia.publishing.models import Article
from govmedia.registry.models import Filing
from tests.concurrency import race, returned
from tests.conftest import logged_in_client
from tests.registry.filing_steps import post_data

pytestmark = pytest.mark.django_db(transaction=True)


def filing_body(world, form_data) -> dict:
    body = {k: v for k, v in form_data.items() if k not in ("platform", "registered_on")}
    return body | {
        "platform": "微信公众号",
        "registered_on": "2026-03-02",
        "kind": "open",
        "org_id": world.tian.pk,
        "event_date": "2026-11-02",
    }


def post_filing(client, body, key=None):
    headers = {HEADER: key} if key else {}
    return client.post(
        "/api/v1/filings", json.dumps(body), content_type="application/json", headers=headers
    )


def test_double_create(world, form_data):
    body = filing_body(world, form_data)
    first, second = logged_in_client(world.tian_unit_admin), logged_in_client(world.tian_unit_admin)
    key = "3f2c8a9e-double-click"
    responses = returned(
        race(partial(post_filing, first, body, key), partial(post_filing, second, body, key))
    )
    assert [r.status_code for r in responses] == [201, 201]
    assert responses[0].json()["id"] == responses[1].json()["id"]
    assert Filing.objects.count() == 1
    # Later repeats answer with the same draft too; the key is the user's own.
    assert post_filing(first, body, key).json()["id"] == responses[0].json()["id"]
    assert Filing.objects.count() == 1
    other = post_filing(logged_in_client(world.tian_editor), body, key)
    assert other.status_code in (201, 403)  # an editor may not file: never the same draft
    assert Filing.objects.count() == 1


def test_a_key_reused_for_other_content_is_refused(world, form_data):
    client = logged_in_client(world.tian_unit_admin)
    body = filing_body(world, form_data)
    assert post_filing(client, body, "k-1").status_code == 201
    reused = post_filing(client, body | {"name": "另一个账号"}, "k-1")
    assert reused.status_code == 409 and reused.json()["field"] == HEADER
    assert post_filing(client, body, "bad key with spaces").status_code == 400
    assert Filing.objects.count() == 1


def test_a_failed_create_leaves_its_key_free(world, form_data):
    client = logged_in_client(world.tian_unit_admin)
    body = filing_body(world, form_data)
    assert post_filing(client, body | {"name": "长" * 101}, "k-2").status_code == 400
    assert not IdempotencyKey.objects.exists()
    assert post_filing(client, body, "k-2").status_code == 201


def test_a_double_click_on_save_draft_makes_one_filing(world, form_data):
    client = logged_in_client(world.tian_unit_admin)
    page = client.get("/registry/filings/new/?kind=open")
    once = page.context["form"][FORM_FIELD].value()
    assert once and f'name="{FORM_FIELD}"' in page.content.decode()
    data = post_data(form_data, org=world.tian.pk, event_date="2026-11-02", intent="save")
    data[FORM_FIELD] = once
    url = "/registry/filings/new/?kind=open"
    clicks = returned(race(partial(client.post, url, data), partial(client.post, url, data)))
    assert [r.status_code for r in clicks] == [302, 302]
    assert clicks[0]["Location"] == clicks[1]["Location"]
    assert Filing.objects.count() == 1


def test_a_double_click_on_save_draft_makes_one_article(world):
    client = logged_in_client(world.tian_editor)
    page = client.get("/publishing/new/")
    once = page.context["form"][FORM_FIELD].value()
    data = {
        "org": world.tian.pk,
        "title": "天中街道召开安全生产会议",
        "body": "<p>会议部署了近期安全生产工作。</p>",
        "content_class": "daily",
        FORM_FIELD: once,
    }
    url = "/publishing/new/"
    clicks = [client.post(url, data), client.post(url, data)]
    assert [r.status_code for r in clicks] == [302, 302], clicks[0].content.decode()[-2000:]
    assert Article.objects.count() == 1
