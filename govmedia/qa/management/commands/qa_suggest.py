"""`python manage.py qa_suggest --json [--limit N]`: read a question on standard input and
print the library's suggestions, best first:
{"suggestions": [{"id": …, "question": …, "score": …}]}"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from govmedia.qa.selectors import suggest

MAX_INPUT = 20_000


class Command(BaseCommand):
    help = "从标准输入读取一条留言或问题，输出答问库推荐的条目（最相关的在前）。"

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument("--limit", type=int, default=5, help="最多几条（1–50，缺省 5）")

    def handle(self, *args, **options):
        limit = options["limit"]
        if not 1 <= limit <= 50:
            raise CommandError("--limit 应为 1–50")
        text = sys.stdin.read(MAX_INPUT + 1)
        if len(text) > MAX_INPUT:
            raise CommandError(f"输入过长：最多 {MAX_INPUT} 个字符")
        suggestions = suggest(text, limit=limit)
        if options["json"]:
            payload = {
                "suggestions": [
                    {"id": s.entry_id, "question": s.question, "score": s.score}
                    for s in suggestions
                ]
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        if not suggestions:
            self.stdout.write("没有找到相关条目")
        for rank, s in enumerate(suggestions, start=1):
            self.stdout.write(f"{rank}. [{s.entry_id}] {s.question}（{s.score:.3f}）")
