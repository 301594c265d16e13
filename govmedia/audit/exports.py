"""A month of the audit log for archiving (网络安全法 第二十一条: kept at least six months).

The file is JSON Lines: a header (the month, its first and last sequence number and the hash the
month's first event chains on), every event of the month with its hash, and last the chain head
as it stood at export time with its MAC. With the HMAC key, `verify_export` checks the file on its
own, years later and without the database: every event's hash, the links between them, and that
the month's last event is (or precedes) the signed head.

The application never deletes an audit event; these files are the archive beside the database.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from . import chain
from .models import AuditChainHead, AuditEvent

FORMAT = "govmedia-audit-month/1"
EVENT_FIELDS = (*chain.CHAINED_FIELDS, "prev_hash", "hash")


def month_bounds(month: date) -> tuple[datetime, datetime]:
    start = date(month.year, month.month, 1)
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end, time.min), tz),
    )


def previous_month(today: date) -> date:
    return date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)


def file_name(month: date) -> str:
    return f"govmedia-audit-{month:%Y-%m}.jsonl"


@dataclass(frozen=True)
class Exported:
    path: Path
    events: int
    first_seq: int | None
    last_seq: int | None


def export_month(month: date, path: Path) -> Exported:
    """Write the month's events and the current chain head to `path` (atomically)."""
    start, end = month_bounds(month)
    head = AuditChainHead.objects.filter(pk=1).first()
    events = AuditEvent.objects.filter(created_at__gte=start, created_at__lt=end).order_by("seq")
    first = events.first()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    count, last_seq = 0, None
    with partial.open("w", encoding="utf-8") as out:

        def write(record: dict) -> None:
            out.write(json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False) + "\n")

        write(
            {
                "type": "header",
                "format": FORMAT,
                "month": f"{month:%Y-%m}",
                "from": start.isoformat(),
                "to": end.isoformat(),
                "first_seq": first.seq if first else None,
                "prev_hash": first.prev_hash if first else None,
                "exported_at": timezone.now().isoformat(),
            }
        )
        for event in events.iterator(chunk_size=2000):
            record = chain.event_content(event) | {
                "prev_hash": event.prev_hash,
                "hash": event.hash,
            }
            write({"type": "event", **record})
            count, last_seq = count + 1, event.seq
        write(
            {
                "type": "chain_head",
                "last_seq": head.last_seq if head else 0,
                "last_hash": head.last_hash if head else chain.GENESIS,
                "mac": head.mac if head else "",
                "month_events": count,
                "month_last_seq": last_seq,
            }
        )
    partial.replace(path)
    return Exported(path, count, first.seq if first else None, last_seq)


def verify_export(path: Path, key: str) -> list[str]:
    """Problems found in an exported month (empty: the file is intact)."""
    problems: list[str] = []
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    if not lines or lines[0].get("type") != "header" or lines[-1].get("type") != "chain_head":
        return ["文件不完整：缺少文件头或链头"]
    header, head = lines[0], lines[-1]
    prev_hash, expected_seq = header["prev_hash"], header["first_seq"]
    for record in lines[1:-1]:
        seq = record["seq"]
        if seq != expected_seq:
            problems.append(f"第 {seq} 条：序号不连续（应为第 {expected_seq} 条）")
        if record["prev_hash"] != prev_hash:
            problems.append(f"第 {seq} 条：前一条哈希不符")
        content = {name: record[name] for name in chain.CHAINED_FIELDS}
        if chain.compute_hash(key, record["prev_hash"], content) != record["hash"]:
            problems.append(f"第 {seq} 条：内容与哈希不符")
        prev_hash, expected_seq = record["hash"], seq + 1
    if head["mac"] and chain.head_mac(key, head["last_seq"], head["last_hash"]) != head["mac"]:
        problems.append("链头签名不符")
    if head["month_last_seq"] == head["last_seq"] and head["last_hash"] != prev_hash:
        problems.append("本月最后一条与链头不符")
    if head["month_events"] != len(lines) - 2:
        problems.append("记录条数与链头所记不符")
    return problems
