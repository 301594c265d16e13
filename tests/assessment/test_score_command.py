"""`python manage.py assessment_score --json`: item results on standard input, the verdict out."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(payload, *args) -> dict | str:
    out = StringIO()
    text = payload if isinstance(payload, str) else json.dumps(payload)
    call_command("assessment_score", *args, stdout=out, stdin=StringIO(text))
    return json.loads(out.getvalue()) if "--json" in args else out.getvalue()


def test_the_example_of_the_issue():
    payload = {
        "items": [
            {"part": "veto", "hit": False},
            {"part": "deduct", "points": 20, "deductions": [5, 3]},
            {"part": "bonus", "points": 10, "awards": [4]},
        ]
    }
    assert run(payload, "--json") == {"verdict": "合格", "score": 96, "vetoed": False}


def test_a_veto_gives_a_null_score():
    payload = {"items": [{"part": "veto", "hit": True}, {"part": "deduct", "points": 20}]}
    assert run(payload, "--json") == {"verdict": "不合格", "score": None, "vetoed": True}


@pytest.mark.parametrize(
    ("deductions", "expected"),
    [
        ([40.5], {"verdict": "不合格", "score": 59.5, "vetoed": False}),
        ([40], {"verdict": "合格", "score": 60, "vetoed": False}),
        ([20], {"verdict": "合格", "score": 80, "vetoed": False}),
        ([19.5], {"verdict": "合格", "score": 89.5, "vetoed": False}),
    ],
    ids=["59.5", "60", "80 gets no bonus", "80.5 gets the bonus"],
)
def test_boundaries(deductions, expected):
    payload = {
        "items": [
            {"part": "deduct", "points": 100, "deductions": deductions},
            {"part": "bonus", "points": 10, "awards": [9]},
        ]
    }
    assert run(payload, "--json") == expected


def test_a_line_for_people_without_json():
    assert "合格  96分" in run({"items": [{"part": "deduct", "points": 5, "deductions": [4]}]})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "不是合法的 JSON"),
        ("[]", "items"),
        ('{"items": [{"part": "x"}]}', "part"),
        ('{"items": [{"part": "deduct", "points": "abc"}]}', "points"),
        ('{"items": [{"part": "deduct", "points": 5, "deductions": [-1]}]}', "负数"),
        ('{"items": [{"part": "veto", "hit": "yes"}]}', "hit"),
    ],
)
def test_malformed_input_is_refused_with_a_message(text, message):
    with pytest.raises(CommandError, match=message) as caught:
        run(text, "--json")
    assert caught.value.returncode == 2
