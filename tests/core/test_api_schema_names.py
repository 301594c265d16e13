"""A truthful API description (issue 12 item 10): the OpenAPI document names each schema by its
class name, so two classes of one name (three `FindingOut`s did) describe an operation with
another's shape. Every schema class of the project must have a name of its own."""

from collections import defaultdict

from ninja import Schema

import govmedia.api  # noqa: F401 - loads every app's API module


def all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from all_subclasses(sub)


def test_a_truthful_api_description():
    """Issue 12 item 10: unique schema names (see also the two tests below and tests/api)."""
    by_name = defaultdict(set)
    for cls in all_subclasses(Schema):
        if cls.__module__.startswith("govmedia."):
            by_name[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    clashes = {name: sorted(where) for name, where in by_name.items() if len(where) > 1}
    assert not clashes
    assert len(by_name) > 50  # the walk found the apps' schemas


def test_the_openapi_document_names_the_shapes_the_operations_return():
    from govmedia.api import api

    document = api.get_openapi_schema()
    components = document["components"]["schemas"]
    assert "ComplianceFindingOut" in components and "ScreeningFindingOut" in components
    check = document["paths"]["/api/v1/screening/check"]["post"]["responses"][200]
    ref = check["content"]["application/json"]["schema"]["$ref"]
    findings = components[ref.rsplit("/", 1)[1]]["properties"]["findings"]["items"]["$ref"]
    assert findings.endswith("/ScreeningFindingOut")
    assert "start" in components["ScreeningFindingOut"]["properties"]


def test_strict_types_refuse_numbers_for_flags_dates_and_times(world):
    """A float `since` was read as seconds since 1970 and an integer `html` as a boolean."""
    from django.test import Client

    from govmedia.users.services import token_create

    _, key = token_create(actor=world.tian_unit_admin, name="严格类型")
    client, headers = Client(), {"Authorization": f"Bearer {key}"}
    answer = client.post(
        "/api/v1/screening/check",
        data={"text": "一段文字", "html": 1},
        content_type="application/json",
        headers=headers,
    )
    assert answer.status_code == 400
    assert answer.json()["field"] == "html" and "true 或 false" in answer.json()["message"]
    answer = client.get("/api/v1/posts", {"since": "1700000000.5"}, headers=headers)
    assert answer.status_code == 400
    assert answer.json()["field"] == "since" and "不接受数字" in answer.json()["message"]
    ok = client.get("/api/v1/posts", {"since": "2026-12-01T09:00:00+08:00"}, headers=headers)
    assert ok.status_code == 200
    ok = client.post(
        "/api/v1/screening/check",
        data={"text": "一段文字", "html": True},
        content_type="application/json",
        headers=headers,
    )
    assert ok.status_code == 200


def test_every_operation_documents_its_error_answers():
    from govmedia.api import api

    document = api.get_openapi_schema()
    assert document["components"]["schemas"]["ErrorOut"]["required"] == ["code", "message", "field"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            expected = {400, 401, 403, 404, 500} | ({409, 413} if method != "get" else set())
            assert expected <= set(operation["responses"]), (method, path)
