"""`python manage.py sentiment --json`: the sentiment of a text on standard input.

Prints `{"label": "negative"|"neutral"|"positive", "score": -1…1, "words": [...]}`, the words
being the expressions that drove the score (不满意, 没有问题), as the platform shows them beside
each signal. Offline: the lexicon is opinion/data/sentiment.json, segmentation is jieba's.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from govmedia.opinion.sentiment import score

INVALID_INPUT = 2
MAX_TEXT_BYTES = 1024 * 1024


class Command(BaseCommand):
    help = "判断标准输入中 UTF-8 文本的情感倾向（负面、中性、正面），并列出起作用的词语。"
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", help='输出 JSON：{"label": …, "score": …, "words": […]}'
        )

    def handle(self, *args, **options):
        stream = options.get("stdin") or sys.stdin.buffer
        raw = stream.read(MAX_TEXT_BYTES + 1)
        if len(raw) > MAX_TEXT_BYTES:
            raise CommandError("文本超过 1 MB，请分段判断", returncode=INVALID_INPUT)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"标准输入不是 UTF-8 文本（第 {exc.start + 1} 个字节）", returncode=INVALID_INPUT
            ) from None
        result = score(text)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            labels = {"negative": "负面", "neutral": "中性", "positive": "正面"}
            words = "、".join(result.words) or "无"
            self.stdout.write(f"{labels[result.label]}（{result.score}），依据：{words}")
