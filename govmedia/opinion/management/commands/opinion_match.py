"""`python manage.py opinion_match --expr EXPR --json`: does a 监测方案 expression match a text?

Reads UTF-8 text on standard input and prints `{"match": true|false}`, the rule the platform
applies to every pulled post, comment and message. A malformed expression or input exits with
status 2 and a Chinese message naming the position on standard error, nothing on standard output.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from govmedia.opinion.expressions import Expression, ExpressionError

INVALID_INPUT = 2
MAX_TEXT_BYTES = 10 * 1024 * 1024


class Command(BaseCommand):
    help = "判断监测表达式（AND、OR、NOT、NEAR/n、括号、引号短语）是否命中标准输入中的 UTF-8 文本。"
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "--expr", required=True, help='监测表达式，如 (食品 OR 药品) NEAR/5 "不合格"'
        )
        parser.add_argument("--json", action="store_true", help='输出 JSON：{"match": true|false}')

    def handle(self, *args, **options):
        try:
            expression = Expression.parse(options["expr"])
        except ExpressionError as exc:
            raise CommandError(f"监测表达式有误：{exc.message}", returncode=INVALID_INPUT) from None
        stream = options.get("stdin") or sys.stdin.buffer
        raw = stream.read(MAX_TEXT_BYTES + 1)
        if len(raw) > MAX_TEXT_BYTES:
            raise CommandError("文本超过 10 MB，请分段判断", returncode=INVALID_INPUT)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"标准输入不是 UTF-8 文本（第 {exc.start + 1} 个字节）", returncode=INVALID_INPUT
            ) from None
        matched = expression.matches(text)
        if options["json"]:
            self.stdout.write(json.dumps({"match": matched}))
        else:
            self.stdout.write("命中" if matched else "未命中")
