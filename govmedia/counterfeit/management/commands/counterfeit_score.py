"""`python manage.py counterfeit_score [NAME …] [--registered NAME …] [--json]`: score candidate
account names as the counterfeit check does, so that a 网信 clerk can check a list at once.

Candidates come from the arguments, else one per line on standard input (blank lines skipped).
They are compared with the registry (every live registered account) or, with `--registered`
(repeatable), with those names only; the district's place names come from the settings and the
township units either way. The platform does not say whether a name given here is verified, so
verification counts neither way unless `--unverified` says the candidates are not verified.

Each candidate gets one line: with `--json` the object
`{"candidate": …, "score": 0–100, "queued": true|false, "nearest": <registered name or null>}`
(`queued`: the score reaches COUNTERFEIT_THRESHOLD, as a discovered account would be queued for
review); otherwise a line for people, with the reasons.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from ... import scoring, selectors
from ...discovery import threshold

INVALID_INPUT = 2


class Command(BaseCommand):
    help = "按假冒账号评分规则给候选账号名称打分（参数或标准输入每行一个名称）"
    stealth_options = ("stdin",)  # call_command(..., stdin=StringIO(...)) in tests

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="候选账号名称；不给出时从标准输入每行读一个")
        parser.add_argument(
            "--registered",
            action="append",
            default=[],
            metavar="NAME",
            help="与这些名称比较（可重复），不给出时与已登记的全部政务新媒体比较",
        )
        parser.add_argument(
            "--unverified", action="store_true", help="候选账号均未经平台认证（计入评分）"
        )
        parser.add_argument("--json", action="store_true", help="每个候选输出一行 JSON")

    def handle(self, *args, **options):
        names = options["names"] or list(self._lines(options.get("stdin") or sys.stdin))
        names = [name for name in (raw.strip() for raw in names) if name]
        if not names:
            raise CommandError(
                "没有候选名称：请作为参数给出，或从标准输入每行一个", returncode=INVALID_INPUT
            )
        context = self._context(options["registered"])
        limit = threshold()
        for name in names:
            candidate = scoring.Candidate(
                platform="",
                handle="",
                display_name=name,
                verified=False,
                verification_known=options["unverified"],
            )
            assessment = scoring.assess(candidate, context.registry, context.places)
            nearest = assessment.matched.name if assessment.matched else None
            row = {
                "candidate": name,
                "score": assessment.score,
                "queued": assessment.score >= limit,
                "nearest": nearest,
            }
            if options["json"]:
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            else:
                self.stdout.write(_human(row, assessment))

    @staticmethod
    def _lines(stream):
        for line in stream:
            yield line.decode("utf-8", "replace") if isinstance(line, bytes) else line

    @staticmethod
    def _context(registered: list[str]) -> selectors.ScoringContext:
        if not registered:
            return selectors.scoring_context()
        entries = [
            scoring.Registered(platform="", handle="", name=name, account_id=None)
            for name in (raw.strip() for raw in registered)
            if name
        ]
        return selectors.ScoringContext(entries, selectors.place_names())


def _human(row: dict, assessment) -> str:
    verdict = "进入核查" if row["queued"] else "不进入核查"
    nearest = f"，最相似：{row['nearest']}" if row["nearest"] else ""
    reasons = "；".join(f"{r.text}（{r.points:+d}）" for r in assessment.reasons)
    return f"{row['score']:>3}  {verdict}  {row['candidate']}{nearest}" + (
        f"\n     {reasons}" if reasons else ""
    )
