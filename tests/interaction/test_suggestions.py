"""建议答复: the 答问库's published answers beside a message, taken as the draft reply with the
clerk's choice recorded for the ranking's figures."""

from pathlib import Path

import pytest
from django.urls import reverse

from govmedia.interaction.models import Reply
from govmedia.qa.exchange import read_jsonl
from govmedia.qa.models import SuggestionRecord
from govmedia.qa.selectors import forget_index
from govmedia.qa.services import entries_import
from tests.conftest import logged_in_client
from tests.interaction.helpers import assign, pulled

LIBRARY = Path(__file__).resolve().parents[2] / "govmedia" / "demo" / "qa_entries.jsonl"


@pytest.fixture
def library(desk):
    forget_index()  # the database is rolled back between tests: so is the index
    rows, errors = read_jsonl(LIBRARY.read_text(encoding="utf-8"))
    assert not errors
    yield entries_import(actor=None, rows=rows)
    forget_index()


def test_a_suggested_answer_becomes_the_draft_and_the_choice_is_recorded(desk, library):
    message = assign(desk, pulled(desk, "孩子刚出生，想问下新生儿上户口要怎么办理？"))
    client = logged_in_client(desk.tian_editor)
    page = client.get(reverse("interaction:message", args=[message.pk]))
    suggestions = page.context["suggestions"]
    wanted = next(e for e in library if e.question == "新生儿怎么办理户口登记？")
    assert suggestions[0].entry_id == wanted.pk
    assert "采用为答复草稿" in page.content.decode()

    client.post(
        reverse("interaction:reply_suggested", args=[message.pk]),
        {"entry_id": wanted.pk, "rank": "1"},
    )
    assert Reply.objects.get(message=message).text == wanted.answer
    record = SuggestionRecord.objects.get()
    assert (record.entry_id, record.rank, record.message_ref) == (
        wanted.pk,
        1,
        f"message:{message.pk}",
    )


def test_an_entry_that_is_not_valid_is_not_taken_and_nothing_is_recorded(desk, library):
    message = assign(desk, pulled(desk, "新生儿上户口怎么办理？"))
    client = logged_in_client(desk.tian_editor)
    client.post(
        reverse("interaction:reply_suggested", args=[message.pk]),
        {"entry_id": "999999999", "rank": "1"},
    )
    assert not Reply.objects.filter(message=message).exists()
    assert not SuggestionRecord.objects.exists()
