"""Suggested answers: BM25 over jieba tokens, re-scored by rapidfuzz; only published entries
valid on the day are suggested; the clerk's choice is recorded and measured."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from govmedia.core.errors import Forbidden, NotFound
from govmedia.qa import services
from govmedia.qa.models import SuggestionRecord
from govmedia.qa.selectors import suggest, suggestion_figures

from .conftest import entry_by_question, republish

ON = date(2026, 6, 1)

# A citizen's wording of a library question, never its exact text nor one of its variants.
PARAPHRASES = [
    ("我家宝宝刚出生，想问下去派出所给孩子报户口都要带哪些东西", "新生儿怎么办理户口登记？"),
    ("我的身份证不小心弄丢了，要怎么重新补一张", "身份证丢了怎么补办？"),
    ("在外省看病住院，医保可以直接结算吗，要先备案吗", "异地就医备案怎么办理？"),
    ("想把公积金取出来付房租，可以吗", "住房公积金怎么提取？"),
    ("我们打算领证结婚，需要准备什么资料", "结婚登记需要什么材料？"),
    ("孩子今年六岁了，上一年级在哪里报名", "小学一年级入学怎么报名？"),
    ("我想开个小卖部，营业执照怎么申请", "个体工商户营业执照怎么办？"),
    ("老人每年都要刷脸认证养老金吗", "退休人员养老金资格认证怎么做？"),
    ("房产证找不到了能不能补", "不动产权证书丢了怎么补办？"),
    ("家里困难想申请低保找谁", "低保怎么申请？"),
    ("驾照快到期了怎么换", "机动车驾驶证到期怎么换证？"),
    ("失业了可以领失业金吗", "失业保险金怎么申领？"),
    ("电动车要去哪上牌", "电动自行车怎么上牌？"),
    ("开无犯罪证明去哪", "无犯罪记录证明怎么开？"),
]


@pytest.mark.parametrize(("message", "question"), PARAPHRASES)
def test_a_paraphrase_of_a_library_question_ranks_that_entry_first(library, message, question):
    expected = entry_by_question(library, question)
    suggestions = suggest(message, on=ON)
    assert suggestions, message
    assert suggestions[0].entry_id == expected.pk, [s.question for s in suggestions]
    assert suggestions[0].question == question and suggestions[0].answer == expected.answer
    assert suggestions == sorted(suggestions, key=lambda s: -s.score)


def test_an_expired_entry_is_not_suggested(world, library):
    entry = entry_by_question(library, "身份证丢了怎么补办？")
    message = "身份证丢了怎么补办"
    assert suggest(message, on=ON)[0].entry_id == entry.pk
    republish(world, entry, valid_to=ON - timedelta(days=1))
    assert entry.pk not in [s.entry_id for s in suggest(message, on=ON)]
    # Valid until the day before: still suggested on that day.
    assert suggest(message, on=ON - timedelta(days=1))[0].entry_id == entry.pk


def test_an_entry_not_yet_valid_withdrawn_or_unpublished_is_not_suggested(world, library):
    entry = entry_by_question(library, "结婚登记需要什么材料？")
    message = "结婚登记需要什么材料"
    entry = republish(world, entry, valid_from=ON + timedelta(days=1))
    assert entry.pk not in [s.entry_id for s in suggest(message, on=ON)]
    assert suggest(message, on=ON + timedelta(days=1))[0].entry_id == entry.pk
    entry = republish(world, entry, valid_from=None)
    services.entry_withdraw(
        actor=world.alice, entry_id=entry.pk, version=entry.version, reason="政策调整"
    )
    assert entry.pk not in [s.entry_id for s in suggest(message, on=ON)]
    draft = services.entry_create(
        actor=world.tian_editor,
        owner_org_id=world.tian.pk,
        content={"question": "天中街道结婚登记需要什么材料", "answer": "草稿"},
    )
    assert draft.pk not in [s.entry_id for s in suggest(message, on=ON)]


def test_an_approved_revision_is_suggested_from_the_next_call(world, library):
    entry = services.entry_create(
        actor=world.tian_editor,
        owner_org_id=world.tian.pk,
        content={"question": "天中街道便民服务中心几点上班？", "answer": "工作日 9:00–17:00。"},
    )
    assert suggest("便民服务中心上班时间", on=ON) == [] or all(
        s.entry_id != entry.pk for s in suggest("便民服务中心上班时间", on=ON)
    )
    services.revision_approve(actor=world.alice, revision_id=entry.pending_revision_id)
    assert suggest("便民服务中心几点上班", on=ON)[0].entry_id == entry.pk


def test_nothing_in_common_suggests_nothing(library):
    assert suggest("", on=ON) == []
    assert suggest("！！！？？", on=ON) == []
    assert suggest("量子色动力学", on=ON) == []


def test_qa_suggest_command_prints_json_best_first(library):
    import sys

    stdin, out = sys.stdin, StringIO()
    sys.stdin = StringIO("我的身份证不小心弄丢了，要怎么重新补一张")
    try:
        call_command("qa_suggest", "--json", "--limit", "3", stdout=out)
    finally:
        sys.stdin = stdin
    payload = json.loads(out.getvalue())
    suggestions = payload["suggestions"]
    assert 1 <= len(suggestions) <= 3
    assert suggestions[0]["question"] == "身份证丢了怎么补办？"
    assert set(suggestions[0]) == {"id", "question", "score"}
    assert [s["score"] for s in suggestions] == sorted(
        (s["score"] for s in suggestions), reverse=True
    )


def test_the_clerks_choice_is_recorded_and_measured(world, library):
    first, other = library[0], library[1]
    services.suggestion_record(
        actor=world.tian_editor, entry_id=first.pk, message_ref="m:1", rank=1
    )
    services.suggestion_record(
        actor=world.tian_editor, entry_id=other.pk, message_ref="m:2", rank=2
    )
    services.suggestion_record(actor=world.tian_editor, entry_id=None, message_ref="m:3", rank=None)
    figures = suggestion_figures(world.alice)
    assert (figures.records, figures.taken, figures.first, figures.top3) == (3, 2, 1, 2)
    assert figures.mrr == round((1 + 0.5) / 3, 3)
    # Another township's records are not in a township's figures.
    assert suggestion_figures(world.chen_unit_admin).records == 0
    with pytest.raises(Forbidden):
        services.suggestion_record(
            actor=world.oversight, entry_id=first.pk, message_ref="m:4", rank=1
        )
    draft = services.entry_create(
        actor=world.chen_editor,
        owner_org_id=world.chen.pk,
        content={"question": "陈集草稿", "answer": "x"},
    )
    with pytest.raises(NotFound):
        services.suggestion_record(
            actor=world.tian_editor, entry_id=draft.pk, message_ref="m:5", rank=1
        )
    assert SuggestionRecord.objects.count() == 3
