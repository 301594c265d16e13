"""/api/v1/qa: the same rules as the pages, in JSON."""

from tests.conftest import api_token, logged_in_client


def _client(user):
    return logged_in_client(user)


def test_create_review_suggest_and_record_through_the_api(world, library):
    editor = _client(world.tian_editor)
    body = {
        "question": "天中街道老年食堂在哪里？",
        "answer": "天中街道办事处东侧。",
        "owner_org_id": world.tian.pk,
    }
    created = editor.post(
        "/api/v1/qa/entries",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": "k1"},
    )
    assert created.status_code == 201
    entry = created.json()
    again = editor.post(
        "/api/v1/qa/entries",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": "k1"},
    )
    assert again.json()["id"] == entry["id"]
    assert entry["state"] == "pending" and entry["revisions"][0]["number"] == 1
    token = api_token(world.alice)
    admin = {"Authorization": f"Bearer {token}"}
    from django.test import Client

    client = Client()
    approved = client.post(
        f"/api/v1/qa/revisions/{entry['pending_revision_id']}/approve",
        {"note": ""},
        content_type="application/json",
        headers=admin,
    )
    assert approved.status_code == 200 and approved.json()["state"] == "published"
    found = editor.get("/api/v1/qa/suggestions", {"text": "老年食堂在什么地方"}).json()
    assert found["suggestions"][0]["id"] == entry["id"]
    record = editor.post(
        "/api/v1/qa/suggestion-records",
        {"entry_id": entry["id"], "message_ref": "message:1", "rank": 1},
        content_type="application/json",
    )
    assert record.status_code == 201
    listed = editor.get("/api/v1/qa/entries", {"q": "老年食堂"}).json()
    assert listed["count"] == 1


def test_errors_name_the_field(world):
    response = _client(world.tian_editor).post(
        "/api/v1/qa/entries",
        {"question": " ", "answer": "x", "owner_org_id": world.tian.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "question"
