"""舆情处置 at district scale (run by hand, prints figures).

    .venv/bin/python bench/opinion.py                       # SQLite (a file under /tmp)
    .venv/bin/python bench/opinion.py --pg postgres://postgres@127.0.0.1:5432/postgres

Targets (issue 17):
- 1,000 监测方案 evaluated over 100,000 new comment-like texts under 30 s in one worker (one
  shared automaton; `matches()` as the intake runs it, subscriptions read from the database);
- clustering 10,000 signals under 10 s (the pure Clusterer; and the whole store path:
  sentiment, signature, insert, clustering into cases);
- the case board with 50,000 cases under 150 ms server time on PostgreSQL, with the same
  number of queries at a tenth of that size.

Texts are synthetic (fixed seed): comment templates about 40 local topics with varying details.
"""

import random
import time
from datetime import timedelta

from common import bench_admins, client_for, configure, db_label, report, time_page

N_UNITS = 40
N_SUBSCRIPTIONS = 1000
N_TEXTS = 100_000
N_SIGNALS = 10_000
N_CASES = 50_000

# A district's vocabulary: 400 places and 400 subject-problem topics, so that 1,000 units'
# subscriptions do not all share twenty words (which would make every comment a candidate of a
# hundred subscriptions and every signal similar to every other).
PLACES = [
    f"{a}{b}"
    for a in "幸福和平建设人民光明兴华文化解放团结胜利新华长江黄河振兴东风红旗朝阳青年育才前进"
    for b in (
        "小区",
        "路",
        "街",
        "村",
        "社区",
        "花园",
        "广场",
        "新村",
        "家园",
        "公寓",
        "二村",
        "三村",
        "南区",
        "北区",
        "东苑",
        "西苑",
    )
][:400]
SUBJECTS = [
    "供水",
    "供电",
    "燃气",
    "供暖",
    "电梯",
    "路灯",
    "井盖",
    "下水道",
    "垃圾站",
    "公厕",
    "红绿灯",
    "公交站",
    "充电桩",
    "健身器材",
    "监控",
    "围挡",
    "排水沟",
    "化粪池",
    "消防栓",
    "广告牌",
]
PROBLEMS = [
    "故障",
    "停用",
    "损坏",
    "漏水",
    "异味",
    "噪音",
    "积水",
    "断电",
    "倒塌",
    "冒烟",
    "堵塞",
    "缺失",
    "起火",
    "裂缝",
    "塌陷",
    "滴漏",
    "锈蚀",
    "松动",
    "失灵",
    "破损",
]
TOPICS = [f"{a}{b}" for a in SUBJECTS for b in PROBLEMS]  # 400
COMPLAINTS = [
    "好几天了没人管",
    "打电话也没人回复",
    "太失望了",
    "什么时候能解决",
    "老人孩子怎么办",
    "请有关部门管管",
    "反映多次都没用",
    "希望尽快处理",
]
OTHER = [
    "感谢工作人员的辛苦付出",
    "请问明天几点开门",
    "转发支持",
    "政策解读很清楚",
    "点赞家乡的变化",
    "周末活动在哪里报名",
]


def comment(rng: random.Random, event=None) -> str:
    if event is None and rng.random() < 0.4:
        return rng.choice(OTHER) + rng.choice(("", "！", "。"))
    place, topic = event or (rng.choice(PLACES), rng.choice(TOPICS))
    return f"{place}的{topic}{rng.randint(2, 9)}天了，{rng.choice(COMPLAINTS)}{rng.choice(('', '！', '！！', '。'))}"


def expression(rng: random.Random) -> str:
    kind = rng.randrange(4)
    a, b, c = rng.sample(TOPICS, 3)
    place = rng.choice(PLACES)
    if kind == 0:
        return f"({a} OR {b}) NOT 演练"
    if kind == 1:
        return f'"{place}" NEAR/10 ({a} OR {b})'
    if kind == 2:
        return f"{a} AND ({b} OR {c}) NOT 感谢"
    return f"{place} {rng.choice(SUBJECTS)}"


def seed_units():
    from govmedia.orgs.models import Organization, OrgType

    root = Organization.objects.create(name="菏泽市定陶区", org_type=OrgType.DISTRICT, path="/p/")
    root.path = f"/{root.pk}/"
    root.save(update_fields=["path"])
    units = Organization.objects.bulk_create(
        Organization(name=f"镇街{i:02d}", parent=root, path="", depth=1, org_type=OrgType.TOWNSHIP)
        for i in range(N_UNITS)
    )
    for unit in units:
        unit.path = f"{root.path}{unit.pk}/"
    Organization.objects.bulk_update(units, ["path"])
    return root, units


def bench_subscriptions(rng, root, units, admin, scale):
    from django.utils import timezone

    from govmedia.opinion.models import Subscription
    from govmedia.opinion.services.signals import IncomingText, matches

    n_subs, n_texts = max(10, int(N_SUBSCRIPTIONS * scale)), max(100, int(N_TEXTS * scale))
    Subscription.objects.bulk_create(
        Subscription(
            org=rng.choice([root, *units]),
            name=f"方案{i}",
            expression=expression(rng),
            created_by=admin,
        )
        for i in range(n_subs)
    )
    now = timezone.now()
    texts = [
        IncomingText("comment", f"comment:{i}", unit.pk, unit.path, comment(rng), now)
        for i, unit in enumerate(rng.choice(units) for _ in range(n_texts))
    ]
    start, cpu = time.perf_counter(), time.process_time()
    found = matches(texts)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"{n_subs:,} subscriptions over {n_texts:,} texts: {seconds:.2f} s, CPU {cpu:.2f} s ({len(found):,} matches, {db_label()})"
    )
    met = "met" if seconds < 30 else "NOT met"
    print(
        f"target: {n_subs:,} subscriptions over {n_texts:,} texts < 30 s in one worker: {seconds:.1f} s (CPU {cpu:.1f} s), {met}"
    )


def bench_clustering(rng, units, scale):
    from django.db import transaction
    from django.utils import timezone

    from govmedia.opinion.clustering import Clusterer, signatures
    from govmedia.opinion.models import OpinionCase, OpinionItem, SignalKind
    from govmedia.opinion.services.signals import store_signals

    n = max(100, int(N_SIGNALS * scale))
    now = timezone.now()
    # Comments about 500 events (a place and a topic), about 20 each, written differently.
    events = [(rng.choice(PLACES), rng.choice(TOPICS)) for _ in range(max(5, n // 20))]
    texts = [(comment(rng, rng.choice(events)), now + timedelta(seconds=i)) for i in range(n)]
    start, cpu = time.perf_counter(), time.process_time()
    clusterer = Clusterer(window=timedelta(hours=72))
    stored = signatures([text for text, _ in texts])
    for i, ((_, at), values) in enumerate(zip(texts, stored, strict=True)):
        clusterer.add(i, values, at)
    pure, pure_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"clustering {n:,} signals about {len(events)} events, pure Clusterer (signatures + LSH): {pure:.2f} s, CPU {pure_cpu:.2f} s"
    )
    unit = units[0]
    items = [
        OpinionItem(
            org=unit, kind=SignalKind.COMMENT_MATCH, text=text, occurred_at=at, created_at=now
        )
        for text, at in texts
    ]
    start, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic():
        store_signals(items, now=now)
    whole, whole_cpu = time.perf_counter() - start, time.process_time() - cpu
    cases = OpinionCase.objects.filter(merged_into__isnull=True).count()
    print(
        f"storing {n:,} signals of one unit (sentiment, signature, insert, clustering into cases): {whole:.2f} s, CPU {whole_cpu:.2f} s → {cases:,} cases ({db_label()})"
    )
    met = "met" if pure < 10 else "NOT met"
    print(
        f"target: clustering {n:,} signals < 10 s: {pure:.1f} s (CPU {pure_cpu:.1f} s; the whole store path {whole:.1f} s), {met}"
    )


def seed_cases(units, n: int):
    from django.utils import timezone

    from govmedia.opinion.models import CaseState, Level, OpinionCase

    now = timezone.now()
    states, levels = CaseState.values, Level.values
    batch = []
    for i in range(n):
        opened = now - timedelta(hours=i % 2000)
        batch.append(
            OpinionCase(
                org=units[i % len(units)],
                title=f"舆情事件{i}",
                state=states[i % len(states)],
                level=levels[i % len(levels)],
                opened_at=opened,
                due_at=opened + timedelta(hours=24),
                signal_count=i % 30,
                negative_count=i % 10,
            )
        )
        if len(batch) == 5000:
            OpinionCase.objects.bulk_create(batch)
            batch = []
    OpinionCase.objects.bulk_create(batch)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def bench_board(units, admin, unit_admin, scale):
    from govmedia.opinion.models import OpinionCase

    rows, cpu_ms = [], {}
    target = max(500, int(N_CASES * scale))
    for size in (target // 10, target):
        seed_cases(units, size - OpinionCase.objects.count())
        for who, label in (
            (client_for(admin), "board (district)"),
            (client_for(unit_admin), "board (township)"),
        ):
            for url, name in (
                ("/opinion/", label),
                ("/opinion/?state=open&time_left=overdue", f"{label} overdue"),
                ("/opinion/?state=closed", f"{label} closed"),
            ):
                cpu = time.process_time()
                ms, queries, size_bytes = time_page(who, url)
                # This process's CPU per request (time_page makes 8), apart from the load.
                cpu_ms[(size, name)] = (time.process_time() - cpu) * 1000 / 8
                rows.append((db_label(), name, size, ms, queries, size_bytes))
    report(rows)
    for (size, name), ms in cpu_ms.items():
        print(
            f"CPU per request (this process, not the database's): {name} at {size:,}: {ms:.0f} ms"
        )
    small = {name: (ms, queries) for _, name, size, ms, queries, _ in rows if size != target}
    large = {name: (ms, queries) for _, name, size, ms, queries, _ in rows if size == target}
    slowest = max(large, key=lambda name: large[name][0])
    met = "met" if large[slowest][0] < 150 else "NOT met"
    print(
        f"target: case board with {target:,} cases < 150 ms server time ({db_label()}): slowest {slowest} {large[slowest][0]:.0f} ms, {met}"
    )
    same = all(small[name][1] == large[name][1] for name in large)
    print(
        f"target: case board constant queries ({target // 10:,} vs {target:,} cases): "
        f"{', '.join(f'{small[n][1]} vs {large[n][1]}' for n in large)}, {'met' if same else 'NOT met'}"
    )


def main():
    args = configure("opinion")
    from django.contrib.auth.hashers import make_password

    rng = random.Random(17)
    root, units = seed_units()
    admin, unit_admin = bench_admins(
        root, units[0], make_password("Bench#2026pass"), prefix="opinion"
    )
    bench_subscriptions(rng, root, units, admin, args.scale)
    bench_clustering(rng, units, args.scale)
    bench_board(units, admin, unit_admin, args.scale)


if __name__ == "__main__":
    main()
