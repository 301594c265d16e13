from pathlib import Path

import pytest

from govmedia.qa.exchange import read_jsonl
from govmedia.qa.selectors import forget_index
from govmedia.qa.services import entries_import

DEMO_FILE = Path(__file__).resolve().parents[2] / "govmedia" / "demo" / "qa_entries.jsonl"


@pytest.fixture(autouse=True)
def _fresh_index():
    # Each test's database is rolled back: never let one test's index answer another's.
    forget_index()
    yield
    forget_index()


@pytest.fixture
def library(world):
    """The 52 demo entries, published by the district office's import."""
    rows, errors = read_jsonl(DEMO_FILE.read_text(encoding="utf-8"))
    assert not errors
    return entries_import(actor=world.alice, rows=rows)


def entry_by_question(entries, question):
    return next(e for e in entries if e.question == question)


def republish(world, entry, **changes):
    """The entry revised by the district office (alice imported it) and approved by another
    reviewer of the district office: the way an entry's text or validity changes."""
    from govmedia.qa import services
    from govmedia.users.models import User
    from tests.conftest import make_user

    entry.refresh_from_db()
    reviewer = User.objects.filter(username="qa_reviewer").first() or make_user(
        "qa_reviewer", world.district, "platform_admin"
    )
    revision = services.entry_update(
        actor=world.alice,
        entry_id=entry.pk,
        version=entry.version,
        content=entry.content() | changes,
    )
    return services.revision_approve(actor=reviewer, revision_id=revision.pk)
