"""The API against its own description (issue 12 item 10): schemathesis generates requests for
every operation of /api/v1/ from the OpenAPI document — valid ones and, for each parameter,
invalid ones — and sends them through the WSGI application as a signed-in unit administrator.
Every answer must be a documented status, JSON in the documented shape, and never a server
error. Bounded (a few examples per operation) and derandomised: the same requests every run."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS

from govmedia.api import api
from govmedia.users.services import token_create

# What "0 server errors and 0 schema violations" means, by schemathesis's check names.
CHECK_NAMES = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = WSGIHandler()

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(world):
    """A unit administrator's token; the requests stay in the test's transaction (as Django's
    test client keeps them: the handler must not close the connection after each request)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    _, key = token_create(actor=world.tian_unit_admin, name="接口模糊测试")
    yield key
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def checks():
    by_name = {check.__name__: check for check in CHECKS.get_all()}
    return [by_name[name] for name in CHECK_NAMES]


@schema.parametrize()
@settings(
    max_examples=6,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_documented(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=checks())
