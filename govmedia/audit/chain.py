"""The HMAC chain over audit events.

Each event's hash is HMAC-SHA256(key, previous hash + canonical content). Without the key nobody
can write a row, change one, delete one or recompute the chain without `verify` noticing.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC

GENESIS = "0" * 64
CHAINED_FIELDS = (
    "seq",
    "created_at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "org_id",
    "before",
    "after",
    "ip",
    "request_id",
)


def canonical(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def event_content(event) -> dict:
    content = {name: getattr(event, name) for name in CHAINED_FIELDS}
    # Times are hashed in UTC with microseconds: what both SQLite and PostgreSQL give back.
    content["created_at"] = event.created_at.astimezone(UTC).isoformat()
    return content


def compute_hash(key: str, prev_hash: str, content: dict) -> str:
    return hmac.new(
        key.encode(), prev_hash.encode() + canonical(content), hashlib.sha256
    ).hexdigest()


def head_mac(key: str, last_seq: int, last_hash: str) -> str:
    return hmac.new(
        key.encode(), f"head:{last_seq}:{last_hash}".encode(), hashlib.sha256
    ).hexdigest()


@dataclass(frozen=True)
class Problem:
    seq: int | None
    pk: int | None
    message: str


def verify(events, head, key: str) -> list[Problem]:
    """Walk the events in `seq` order and name every row that breaks the chain."""
    problems: list[Problem] = []
    expected_seq, prev_hash = 1, GENESIS
    for event in events:
        if event.seq != expected_seq:
            problems.append(
                Problem(
                    event.seq,
                    event.pk,
                    f"序号应为 {expected_seq}，缺少第 {expected_seq}–{event.seq - 1} 条（被删除）",
                )
            )
        if event.prev_hash != prev_hash:
            problems.append(
                Problem(event.seq, event.pk, "前一条哈希不符：其前面的记录被删除或改动")
            )
        if not hmac.compare_digest(
            event.hash, compute_hash(key, event.prev_hash, event_content(event))
        ):
            problems.append(
                Problem(event.seq, event.pk, "内容与哈希不符：该记录被改动或被重新计算哈希")
            )
        expected_seq, prev_hash = event.seq + 1, event.hash
    last_seq = expected_seq - 1
    if head is None:
        if last_seq:
            problems.append(Problem(None, None, "链头记录缺失：审计日志的链尾无法核验"))
        return problems
    if head.last_seq != last_seq or head.last_hash != prev_hash:
        problems.append(
            Problem(
                head.last_seq,
                None,
                f"链尾不符：应以第 {head.last_seq} 条结束，实际最后为第 {last_seq} 条（末尾记录被删除）",
            )
        )
    if head.last_seq and not hmac.compare_digest(
        head.mac, head_mac(key, head.last_seq, head.last_hash)
    ):
        problems.append(
            Problem(
                head.last_seq, None, "链头签名不符：链尾被改写（末尾记录可能被删除后回退了链头）"
            )
        )
    return problems
