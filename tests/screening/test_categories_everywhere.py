"""For each category, a text that must fire and a near miss that must not, through the engine,
POST /api/v1/screening/check and `manage.py screen --json`; the API and the command give the
very same JSON; the notice's own body raises nothing in the quiet categories."""

import json

import pytest

from govmedia.screening.engine import Screener, load_seed_entries
from tests.conftest import logged_in_client

from .conftest import NOTICE, api_check, command_check


def id_check_char(first17: str) -> str:
    """GB 11643-1999 check character, worked out here independently of the engine."""
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]


VALID_ID = "11010519491231002" + id_check_char("11010519491231002")
INVALID_ID = "11010519491231002" + ("1" if id_check_char("11010519491231002") != "1" else "2")

# (category, text that must fire in it, the rule, near miss that must not fire in it)
CASES = [
    (
        "political_expression",
        "山东省省委书记到我区调研",
        "title_province_committee",
        "山东省委书记到我区调研",
    ),
    ("political_expression", "台湾总统发表讲话", "台湾总统", "台湾地区领导人发表讲话"),
    ("sensitive", "他参与赌博被查处", "赌博", "开展打击赌博专项行动"),
    (
        "classified",
        "文件首页标注机密★5年",
        "classified_marker",
        "确保涉密信息不上网、上网信息不涉密",
    ),
    ("personal_data", f"申请人身份证号{VALID_ID}", "id_number", f"申请人身份证号{INVALID_ID}"),
    ("personal_data", "联系人手机13812345678", "mobile_number", "联系电话：0530-2212021"),
    ("advertising", "全国第一，价格仅99元", "第一", "选派第一书记驻村帮扶"),
    ("unofficial_source", "据网传，某地发生交通事故", "据网传", "加强互联网传播规律研究"),
    ("typo", "工作要按步就班推进", "按步就班", "工作要按部就班推进"),
]
IDS = [f"{category}-{rule}" for category, _, rule, _ in CASES]


def rules_in(findings: list[dict], category: str) -> list[str]:
    return [f["rule"] for f in findings if f["category"] == category]


@pytest.fixture(scope="module")
def engine():
    return Screener(load_seed_entries(), version=1)


def test_the_valid_and_invalid_id_numbers_differ_only_in_the_check_character():
    assert VALID_ID == "11010519491231002X" and VALID_ID[:17] == INVALID_ID[:17] != VALID_ID


@pytest.mark.parametrize("category, fires, rule, near_miss", CASES, ids=IDS)
def test_engine(engine, category, fires, rule, near_miss):
    assert rules_in([f.to_dict() for f in engine.check(fires)], category) == [rule]
    assert rules_in([f.to_dict() for f in engine.check(near_miss)], category) == []


@pytest.mark.parametrize("category, fires, rule, near_miss", CASES, ids=IDS)
def test_api(world, lexicon, category, fires, rule, near_miss):
    client = logged_in_client(world.tian_editor)
    response = api_check(client, fires)
    assert response.status_code == 200
    assert rules_in(response.json()["findings"], category) == [rule]
    assert rules_in(api_check(client, near_miss).json()["findings"], category) == []


@pytest.mark.parametrize("category, fires, rule, near_miss", CASES, ids=IDS)
def test_command(lexicon, category, fires, rule, near_miss):
    assert rules_in(json.loads(command_check(fires))["findings"], category) == [rule]
    assert rules_in(json.loads(command_check(near_miss))["findings"], category) == []


def test_api_and_command_print_the_same_json(world, lexicon):
    text = "".join(fires for _, fires, _, _ in CASES)
    answer = api_check(logged_in_client(world.alice), text).json()
    printed = command_check(text)
    assert printed.endswith("\n") and printed.count("\n") == 1
    assert json.loads(printed) == answer
    assert list(answer) == ["findings", "lexicon_version"]
    assert {tuple(f) for f in answer["findings"]} == {
        ("category", "rule", "severity", "start", "end", "matched", "suggestion", "basis")
    }
    assert len(answer["findings"]) == len(CASES)


def test_offsets_point_at_the_original_text_and_personal_data_is_masked(world, lexicon):
    text = f"第一段。\n申请人身份证号{VALID_ID}，联系人手机13812345678。"
    findings = api_check(logged_in_client(world.tian_editor), text).json()["findings"]
    by_rule = {f["rule"]: f for f in findings}
    id_finding = by_rule["id_number"]
    assert text[id_finding["start"] : id_finding["end"]] == VALID_ID
    assert id_finding["matched"] == "1101**********002X"
    mobile = by_rule["mobile_number"]
    assert text[mobile["start"] : mobile["end"]] == "13812345678"
    assert mobile["matched"] == "138****5678"


def test_same_text_and_version_give_the_same_findings(world, lexicon):
    client = logged_in_client(world.chen_reviewer)
    text = "".join(fires for _, fires, _, _ in CASES) * 3
    first, second = api_check(client, text).json(), api_check(client, text).json()
    assert first == second
    assert json.loads(command_check(text)) == first


def test_notice_body_raises_nothing_in_the_quiet_categories(world, lexicon):
    quiet = {"classified", "personal_data", "advertising", "unofficial_source"}
    text = NOTICE.read_text(encoding="utf-8")
    assert "涉密信息不上网" in text and "0530—2212021" in text  # the near misses it holds
    engine_findings = Screener(load_seed_entries()).check(text)
    assert [f for f in engine_findings if f.category in quiet] == []
    response = api_check(logged_in_client(world.tian_editor), text)
    assert response.status_code == 200
    assert [f for f in response.json()["findings"] if f["category"] in quiet] == []
    assert [f for f in json.loads(command_check(text))["findings"] if f["category"] in quiet] == []
