"""/api/v1/interaction: entering a message once per Idempotency-Key, classifying, answering, the
counts and the health list."""

from tests.conftest import logged_in_client
from tests.interaction.helpers import pulled


def test_create_once_assign_and_reply_over_the_api(world):
    client = logged_in_client(world.tian_unit_admin)
    body = {
        "source": "hotline",
        "text": "12345 转办：小区路灯不亮",
        "received_at": "2026-11-24T09:00:00+08:00",
        "reference": "12345-001",
    }
    headers = {"Idempotency-Key": "a1b2c3"}
    first = client.post(
        "/api/v1/interaction/messages", body, content_type="application/json", headers=headers
    )
    again = client.post(
        "/api/v1/interaction/messages", body, content_type="application/json", headers=headers
    )
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    message = first.json()
    assert message["org_id"] == world.tian.pk and message["state"] == "new"
    assigned = client.post(
        f"/api/v1/interaction/messages/{message['id']}/assign",
        {
            "version": message["version"],
            "message_class": "help",
            "handler_id": world.tian_editor.pk,
        },
        content_type="application/json",
    )
    assert assigned.status_code == 200 and assigned.json()["state"] == "handling"
    refused = client.post(
        f"/api/v1/interaction/messages/{message['id']}/assign",
        {"version": message["version"], "message_class": "help"},
        content_type="application/json",
    )
    assert refused.status_code == 409 and refused.json()["code"] == "conflict"
    reply = client.post(
        f"/api/v1/interaction/messages/{message['id']}/replies",
        {"text": "已安排维修"},
        content_type="application/json",
    )
    assert reply.status_code == 200 and reply.json()["review"] == "none"
    counts = client.get("/api/v1/interaction/messages/counts").json()
    assert counts["open"] == 1 and counts["unit"] == 1


def test_no_reply_needs_a_reason_naming_the_field(desk):
    message = pulled(desk, "哈哈哈沙发")
    assert message.suggested_class == "no_reply"
    client = logged_in_client(desk.tian_unit_admin)
    answer = client.post(
        f"/api/v1/interaction/messages/{message.pk}/assign",
        {"version": message.version, "message_class": "no_reply"},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer.json()["field"] == "no_reply_reason"
    health = client.get("/api/v1/interaction/health").json()
    assert any(row["account_id"] == desk.weibo.pk for row in health)
