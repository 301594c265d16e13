"""/api/v1/interaction: entering a message once per Idempotency-Key, classifying, answering, the
counts and the health list."""

from django.core.files.uploadedfile import SimpleUploadedFile

from govmedia.audit.models import AuditEvent
from govmedia.interaction import services
from tests.conftest import logged_in_client
from tests.interaction.helpers import assign, draft, fresh, letter, pulled


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


# --- 退回, 转办, 办结 and 平台外答复 over the API -------------------------------------------------


def _audited(action: str, obj) -> list:
    return list(AuditEvent.objects.filter(action=action, object_id=str(obj.pk)))


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def _answered(desk):
    """A comment of 天中微博 answered through the platform (已答复)."""
    message = assign(desk, pulled(desk, "请问供暖热线是多少？"))
    reply = draft(desk, message)
    services.reply_send(actor=desk.tian_editor, reply_id=reply.pk, version=reply.version)
    return fresh(message)


def _letter_with_draft(desk):
    """A letter (来信) to 天中街道, assigned, with a draft reply: it can only be answered
    elsewhere (by phone, in writing) and recorded with proof."""
    entered = assign(desk, letter(desk), "help")
    return entered, draft(desk, entered, text="已安排维修，感谢反映。")


def test_a_unit_returns_a_message_to_the_district_office_over_the_api(desk):
    message = assign(desk, pulled(desk, "陈集镇的路灯坏了，请维修"))
    client = logged_in_client(desk.tian_unit_admin)
    answer = _post(
        client,
        f"/api/v1/interaction/messages/{message.pk}/return",
        {"version": fresh(message).version, "reason": "属陈集镇辖区"},
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["state"] == "new" and body["org_id"] == desk.district.pk
    assert body["handler_id"] is None
    assert fresh(message).return_reason == "属陈集镇辖区"
    [event] = _audited("message.return", message)
    assert event.actor == desk.tian_unit_admin and event.after["reason"] == "属陈集镇辖区"


def test_returning_needs_a_reason_and_a_message_in_handling(desk):
    message = pulled(desk, "陈集镇的路灯坏了，请维修")
    client = logged_in_client(desk.tian_unit_admin)
    url = f"/api/v1/interaction/messages/{message.pk}/return"
    not_assigned = _post(client, url, {"version": message.version, "reason": "属陈集镇辖区"})
    assert not_assigned.status_code == 409 and not_assigned.json()["code"] == "conflict"
    assert "待分办" in not_assigned.json()["message"] and "退回" in not_assigned.json()["message"]
    message = assign(desk, message)
    no_reason = _post(client, url, {"version": message.version, "reason": "  "})
    assert no_reason.status_code == 400
    assert no_reason.json()["field"] == "reason" and "退回理由" in no_reason.json()["message"]
    assert fresh(message).state == "handling" and not _audited("message.return", message)


def test_the_district_office_transfers_a_message_to_another_unit_over_the_api(desk):
    message = pulled(desk, "陈集镇的路灯坏了，请维修")
    client = logged_in_client(desk.alice)
    answer = _post(
        client,
        f"/api/v1/interaction/messages/{message.pk}/transfer",
        {"version": message.version, "org_id": desk.chen.pk, "reason": "属陈集镇辖区"},
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["org_id"], body["state"], body["transfers"]) == (desk.chen.pk, "new", 1)
    assert (
        body["due_at"]
        == logged_in_client(desk.alice)
        .get(f"/api/v1/interaction/messages/{message.pk}")
        .json()["due_at"]
    )
    [event] = _audited("message.transfer", message)
    assert event.actor == desk.alice and event.org_id == desk.chen.pk


def test_only_the_district_office_transfers_and_only_to_another_unit(desk):
    message = pulled(desk, "陈集镇的路灯坏了，请维修")
    url = f"/api/v1/interaction/messages/{message.pk}/transfer"
    body = {"version": message.version, "org_id": desk.chen.pk}
    # A unit administrator sees the message but may not 转办 it: the service's scope for the
    # act (interaction.dispatch) does not reach it, so the answer is the scope's 404.
    by_unit = _post(logged_in_client(desk.tian_unit_admin), url, body)
    assert by_unit.status_code == 404 and by_unit.json()["code"] == "not_found"
    same_unit = _post(logged_in_client(desk.alice), url, body | {"org_id": desk.tian.pk})
    assert same_unit.status_code == 400 and same_unit.json()["field"] == "org"
    assert "相同" in same_unit.json()["message"]
    assert fresh(message).org == desk.tian and not _audited("message.transfer", message)


def test_transferring_an_answered_message_is_refused(desk):
    message = _answered(desk)
    answer = _post(
        logged_in_client(desk.alice),
        f"/api/v1/interaction/messages/{message.pk}/transfer",
        {"version": message.version, "org_id": desk.chen.pk},
    )
    assert answer.status_code == 409 and "已答复" in answer.json()["message"]
    assert fresh(message).org == desk.tian


def test_an_answered_message_is_closed_over_the_api(desk):
    message = _answered(desk)
    answer = _post(
        logged_in_client(desk.tian_editor),
        f"/api/v1/interaction/messages/{message.pk}/close",
        {"version": message.version},
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "closed" and answer.json()["state_label"] == "已办结"
    assert fresh(message).closed_at is not None
    [event] = _audited("message.close", message)
    assert event.before["state"] == "answered" and event.after["state"] == "closed"


def test_a_message_not_yet_answered_cannot_be_closed_over_the_api(desk):
    message = assign(desk, pulled(desk, "请问供暖热线是多少？"))
    answer = _post(
        logged_in_client(desk.tian_editor),
        f"/api/v1/interaction/messages/{message.pk}/close",
        {"version": fresh(message).version},
    )
    assert answer.status_code == 409 and answer.json()["code"] == "conflict"
    assert "办理中" in answer.json()["message"] and "办结" in answer.json()["message"]
    assert fresh(message).state == "handling" and not _audited("message.close", message)


def test_a_reply_made_elsewhere_is_recorded_with_its_proof_over_the_api(desk):
    letter, reply = _letter_with_draft(desk)
    answer = logged_in_client(desk.tian_editor).post(
        f"/api/v1/interaction/replies/{reply.pk}/elsewhere",
        {
            "version": reply.version,
            "how": "电话回复",
            "proof": SimpleUploadedFile("通话记录.png", b"\x89PNG proof"),
        },
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "elsewhere" and answer.json()["sent_at"]
    recorded = fresh(reply)
    assert recorded.elsewhere_how == "电话回复" and recorded.proof.read() == b"\x89PNG proof"
    assert fresh(letter).state == "answered" and fresh(letter).answered_at is not None
    [event] = _audited("reply.record_elsewhere", reply)
    assert event.after["how"] == "电话回复" and event.after["proof"] == recorded.proof.name


def test_recording_a_reply_elsewhere_needs_how_and_happens_once(desk):
    letter, reply = _letter_with_draft(desk)
    client = logged_in_client(desk.tian_editor)
    url = f"/api/v1/interaction/replies/{reply.pk}/elsewhere"
    no_how = client.post(url, {"version": reply.version, "how": ""})
    assert no_how.status_code == 400 and no_how.json()["field"] == "how"
    assert "答复方式" in no_how.json()["message"]
    assert fresh(reply).state == "draft" and fresh(letter).state == "handling"
    assert client.post(url, {"version": reply.version, "how": "书面回复"}).status_code == 200
    again = client.post(url, {"version": reply.version, "how": "书面回复"})
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    assert len(_audited("reply.record_elsewhere", reply)) == 1


def test_another_township_gets_404_for_return_transfer_close_and_elsewhere(desk):
    answered = _answered(desk)
    letter, reply = _letter_with_draft(desk)
    events = AuditEvent.objects.count()
    for user in (desk.chen_unit_admin, desk.chen_editor):
        client = logged_in_client(user)
        answers = [
            _post(
                client,
                f"/api/v1/interaction/messages/{letter.pk}/return",
                {"version": fresh(letter).version, "reason": "不属本单位"},
            ),
            _post(
                client,
                f"/api/v1/interaction/messages/{letter.pk}/transfer",
                {"version": fresh(letter).version, "org_id": desk.chen.pk},
            ),
            _post(
                client,
                f"/api/v1/interaction/messages/{answered.pk}/close",
                {"version": answered.version},
            ),
            client.post(
                f"/api/v1/interaction/replies/{reply.pk}/elsewhere",
                {"version": reply.version, "how": "电话回复"},
            ),
        ]
        for answer in answers:
            assert answer.status_code == 404, (user, answer.request["PATH_INFO"])
            assert answer.json()["code"] == "not_found" and "天中" not in answer.content.decode()
    assert AuditEvent.objects.count() == events
    assert fresh(letter).state == "handling" and fresh(answered).state == "answered"
    assert fresh(reply).state == "draft"
