"""`python manage.py publishing_match --revision FILE --post FILE [--json]`: whether a published
post is an approved revision (先审后发), for scripts and spot checks.

With `--json` prints exactly one line, `{"match": true|false, "score": 0–100, "reason": "…"}`
(reason empty when it matches); without it, one Chinese sentence. Either file may be plain
text or HTML (WeChat article bodies), told apart by the presence of tags. Bad input (a
missing file, a directory, text that is not UTF-8) exits with status 2 and a Chinese message
on standard error, nothing on standard output.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from govmedia.publishing.matching import DEFAULT_THRESHOLD, judge, looks_like_html

INVALID_INPUT = 2
# Far beyond any article (a WeChat article is at most ~20,000 characters): refuse rather
# than spend minutes on a wrong file.
MAX_FILE_BYTES = 10 * 1024 * 1024


class Command(BaseCommand):
    help = "判断已发布内容是否为审核通过的稿件（先审后发）：比对两个 UTF-8 文件（纯文本或 HTML）。"

    def add_arguments(self, parser):
        # Optional with our own check, not required=True: a missing option then gets a
        # Chinese message rather than argparse's English one.
        parser.add_argument("--revision", default="", help="审核通过的稿件文件（UTF-8）")
        parser.add_argument("--post", default="", help="平台上已发布内容的文件（UTF-8）")
        parser.add_argument("--json", action="store_true", help="输出一行 JSON")
        parser.add_argument(
            "--threshold",
            type=int,
            default=DEFAULT_THRESHOLD,
            help=f"判定为一致的最低相似度（1–100，默认 {DEFAULT_THRESHOLD}）",
        )

    def handle(self, *args, **options):
        if not 1 <= options["threshold"] <= 100:
            raise CommandError("--threshold 应在 1–100 之间", returncode=INVALID_INPUT)
        revision = _read(options["revision"], "--revision", "审核通过的稿件")
        post = _read(options["post"], "--post", "已发布内容")
        judgement = judge(
            revision,
            post,
            revision_html=looks_like_html(revision),
            post_html=looks_like_html(post),
            threshold=options["threshold"],
        )
        if options["json"]:
            result = {
                "match": judgement.match,
                "score": judgement.score,
                "reason": judgement.reason,
            }
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        elif judgement.match:
            self.stdout.write(f"一致（得分 {judgement.score}）：已发布内容就是审核通过的稿件。")
        else:
            self.stdout.write(
                f"不一致（得分 {judgement.score}）：{judgement.reason}，已发布内容不是审核通过的稿件。"
            )


def _read(name: str, option: str, what: str) -> str:
    if not name:
        raise CommandError(f"请用 {option} 指定{what}的文件", returncode=INVALID_INPUT)
    path = Path(name)
    try:
        if path.is_dir():
            raise CommandError(f"{what}“{name}”是目录，请指定文件", returncode=INVALID_INPUT)
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise CommandError(f"找不到{what}文件“{name}”", returncode=INVALID_INPUT) from None
    except OSError as exc:
        raise CommandError(
            f"无法读取{what}文件“{name}”：{exc.strerror or exc}", returncode=INVALID_INPUT
        ) from None
    if len(raw) > MAX_FILE_BYTES:
        raise CommandError(
            f"{what}文件“{name}”超过 {MAX_FILE_BYTES // 1024 // 1024} MB，不像一篇稿件",
            returncode=INVALID_INPUT,
        )
    try:
        return raw.decode("utf-8-sig")  # a BOM, as Windows editors write, is no content
    except UnicodeDecodeError as exc:
        raise CommandError(
            f"{what}文件“{name}”不是有效的 UTF-8 文本（第 {exc.start + 1} 个字节起无法解码），"
            "请转换为 UTF-8 后重试",
            returncode=INVALID_INPUT,
        ) from None
