"""`python manage.py assessment_score --json`: score one account's item results read as JSON on
standard input, as a check scores a score sheet (govmedia.assessment.scoring).

Input: `{"items": [{"part": "veto", "hit": false},
{"part": "deduct", "points": 20, "deductions": [5, 3]}, {"part": "bonus", "points": 10,
"awards": [4]}]}`; optional `"bonus_cap"` (the 加分 part's total).
Output: `{"verdict": "合格"|"不合格", "score": number or null when vetoed, "vetoed": bool}`.
Without `--json` a line for people.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from ... import scoring

INVALID_INPUT = 2


class Command(BaseCommand):
    help = "按检查指标的计分规则计算一个账号的得分（标准输入读入各项结果 JSON）"
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结论与得分")

    def handle(self, *args, **options):
        stream = options.get("stdin") or sys.stdin
        items, bonus_cap = _read(stream.read())
        try:
            result = scoring.score(items, bonus_cap=bonus_cap)
        except scoring.InvalidItem as error:
            raise CommandError(str(error), returncode=INVALID_INPUT) from None
        row = {
            "verdict": result.verdict,
            "score": scoring.as_json_number(result.score),
            "vetoed": result.vetoed,
        }
        if options["json"]:
            self.stdout.write(json.dumps(row, ensure_ascii=False))
        elif result.vetoed:
            self.stdout.write("不合格（单项否决，不再计分）")
        else:
            self.stdout.write(
                f"{result.verdict}  {row['score']}分"
                f"（扣分部分 {scoring.as_json_number(result.deduct_score)}，"
                f"加分 {scoring.as_json_number(result.bonus)}）"
            )


def _read(text: str):
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise CommandError("输入不是合法的 JSON", returncode=INVALID_INPUT) from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise CommandError('输入应为 {"items": [...]} 形式的对象', returncode=INVALID_INPUT)
    try:
        items = [scoring.item_from_json(raw, i) for i, raw in enumerate(data["items"], start=1)]
        cap = data.get("bonus_cap")
        bonus_cap = None if cap is None else scoring.parse_number(cap, 0, "bonus_cap")
    except scoring.InvalidItem as error:
        raise CommandError(str(error), returncode=INVALID_INPUT) from None
    return items, bonus_cap
