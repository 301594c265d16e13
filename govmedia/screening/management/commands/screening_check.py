"""`python manage.py screening_check --json` (alias `screen`): screen UTF-8 text read from standard input, for scripts.

Prints exactly what POST /api/v1/screening/check answers, `{"findings": [...],
"lexicon_version": N}`, as one line of JSON. With `--lines`, every input line is one text and
gets its own output line as soon as it is read (one long-lived process for many texts; each
line is screened with the lexicon as committed at that moment). Bad input exits with status 2
and a Chinese message on standard error, nothing on standard output.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from govmedia.core.errors import ServiceError
from govmedia.orgs.models import Organization
from govmedia.screening.screen import MAX_TEXT_BYTES, screen_text, text_too_large

INVALID_INPUT = 2


class Command(BaseCommand):
    help = (
        "审查标准输入中的 UTF-8 文本，按 --json 输出与 POST /api/v1/screening/check 相同的 JSON。"
    )
    # call_command(..., stdin=BytesIO(...)) in tests; the real command reads sys.stdin.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="输出 JSON（与接口相同）")
        parser.add_argument(
            "--org",
            default="",
            help="单位编号：同时适用该单位及其上级单位的本单位词条；默认只用全区通用词库",
        )
        parser.add_argument(
            "--html", action="store_true", help="按 HTML 解析（标签与脚本不计入正文）"
        )
        parser.add_argument(
            "--lines", action="store_true", help="逐行审查：每行一段文本，每行输出一行结果"
        )

    def handle(self, *args, **options):
        org = _org(options["org"])
        stream = options.get("stdin") or sys.stdin.buffer
        if options["lines"]:
            for number, raw in enumerate(stream, start=1):
                text = _decoded(raw.rstrip(b"\r\n"), f"第 {number} 行")
                self._emit(self._screen(text, org, options), options["json"])
            return
        raw = stream.read(MAX_TEXT_BYTES + 1)
        if len(raw) > MAX_TEXT_BYTES:
            # Not decoded: the cut at the limit may fall inside a character.
            raise CommandError(text_too_large().message, returncode=INVALID_INPUT)
        self._emit(self._screen(_decoded(raw, "标准输入"), org, options), options["json"])

    def _screen(self, text, org, options):
        try:
            return screen_text(text=text, org=org, html=options["html"])
        except ServiceError as exc:
            raise CommandError(exc.message, returncode=INVALID_INPUT) from None

    def _emit(self, result, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(_human(result))
        self.stdout.flush()


def _org(value: str):
    if not value:
        return None
    if not value.isdigit() or not (org := Organization.objects.filter(pk=int(value)).first()):
        raise CommandError(f"单位编号“{value}”不存在", returncode=INVALID_INPUT)
    return org


def _decoded(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CommandError(
            f"{where}不是有效的 UTF-8 文本（第 {exc.start + 1} 个字节起无法解码），请转换为 UTF-8 后重试",
            returncode=INVALID_INPUT,
        ) from None


def _human(result) -> str:
    from govmedia.screening.highlight import describe

    if not result.findings:
        return f"未发现问题（词库版本 {result.lexicon_version}）"
    lines = [
        f"发现 {len(result.findings)} 处问题：禁止发布 {result.block_count}，"
        f"提醒核实 {result.warn_count}（词库版本 {result.lexicon_version}）"
    ]
    for finding in result.findings:
        lines.append(f"  [{finding.start}–{finding.end}] {finding.matched}　{describe(finding)}")
    return "\n".join(lines)
