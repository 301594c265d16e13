"""Benchmark of the 先审后发 matcher (run by hand, prints figures).

    .venv/bin/python bench/publishing_match.py [--revisions 100000] [--posts 10000] [--skip-minhash]

Target: matching 10,000 pulled posts against 100,000 approved revisions in under 5 s in one
process; building the index is reported separately. The texts are synthetic 政务 articles
(300–1,500 characters) assembled from a vocabulary of phrases, units, names and figures with a
fixed seed; the posts are exact copies, lightly edited copies, copies with one figure changed,
partial copies and unrelated texts.

Times are CPU time of this process (time.process_time): the matcher is single-threaded, and on
a shared machine wall-clock time mostly measures the neighbours.
"""

import argparse
import gc
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govmedia.publishing.matching import ApprovedIndex  # noqa: E402
from govmedia.publishing.matching.judge import prepare_post, prepare_revision  # noqa: E402

# fmt: off
UNITS = [
    "区住房和城乡建设局", "区教育和体育局", "区卫生健康局", "区农业农村局", "区水务局", "区财政局",
    "区民政局", "区人力资源和社会保障局", "区市场监督管理局", "区生态环境分局", "区自然资源局",
    "区交通运输局", "区应急管理局", "区文化和旅游局", "区商务局", "区发展和改革局", "区司法局",
    "区退役军人事务局", "区医疗保障局", "区行政审批服务局", "区综合行政执法局", "区工业和信息化局",
    "天中街道办事处", "滨河街道办事处", "陈集镇人民政府", "黄店镇人民政府", "冉堌镇人民政府",
    "孟海镇人民政府", "马集镇人民政府", "仿山镇人民政府", "杜堂镇人民政府", "半堤镇人民政府",
    "南王店镇人民政府", "张湾镇人民政府", "区融媒体中心", "区政务服务中心", "区疾病预防控制中心",
]
TOPICS = [
    "冬季供暖", "防汛抗旱", "乡村振兴", "营商环境", "安全生产", "秸秆禁烧", "文明城市创建",
    "高标准农田建设", "义务教育招生", "城乡居民医保缴费", "退役军人服务保障", "燃气安全",
    "森林防火", "食品安全", "养老服务", "困难群众救助", "老旧小区改造", "农村人居环境整治",
    "政务公开", "就业创业", "道路交通安全", "消防安全", "生态环境保护", "粮食生产",
    "中小企业发展", "招商引资", "社会信用体系建设", "法治政府建设", "网络安全", "政务服务改革",
]
OPENINGS = [
    "为深入贯彻落实上级关于{topic}工作的决策部署，", "为切实做好{topic}各项工作，",
    "根据{unit}工作安排，", "经区政府同意，", "近日，{unit}召开专题会议，",
    "{date}，{unit}组织开展{topic}专项行动，", "按照全区{topic}工作要点，",
]
SENTENCES = [
    "现就有关事项通知如下。", "各单位要高度重视，切实加强组织领导，确保各项措施落实到位。",
    "{unit}要会同有关部门建立工作台账，实行清单化管理、闭环式推进。",
    "全年计划投入资金{amount}，重点支持{place}等{count}个项目建设。",
    "截至{date}，全区已累计完成{count}项任务，完成率达到{percent}。",
    "{title}{name}强调，要坚持问题导向，压实工作责任，以钉钉子精神抓好落实。",
    "{title}{name}主持会议并讲话。", "会议听取了{unit}关于{topic}工作情况的汇报。",
    "对工作推进不力、造成不良影响的，将依规依纪严肃追责问责。",
    "请于{date}前将工作开展情况报送{unit}，联系电话：{phone}。",
    "各镇街要结合实际制定具体实施方案，明确时间表、路线图和责任人。",
    "{place}共排查各类隐患{count}处，已整改{count2}处，整改率{percent}。",
    "活动共吸引群众{count}余人次参与，发放宣传资料{count2}余份。",
    "下一步，{unit}将持续加大工作力度，推动{topic}工作取得新成效。",
    "本次补贴标准为每人每月{money}，由{unit}按季度统一发放。",
    "符合条件的申请人可于{date}至{date2}期间到{place}便民服务中心窗口办理。",
    "{topic}工作事关人民群众切身利益，各级各部门务必提高政治站位。",
    "要加强宣传引导，充分利用政务新媒体等渠道，营造良好社会氛围。",
    "全区共设立服务网点{count}个，配备专职工作人员{count2}名。",
    "同比增长{percent}，各项主要指标均位居全市前列。",
    "{unit}派出{count}个督导组，深入{place}等地开展实地督导。",
    "要严格落实值班值守制度，确保信息畅通、反应迅速、处置有力。",
    "项目总投资{amount}，建成后可惠及周边群众{count}余户。",
    "此次检查共出动执法人员{count}人次，检查经营主体{count2}家。",
]
PLACES = [
    "天中街道", "滨河街道", "陈集镇", "黄店镇", "冉堌镇", "孟海镇", "马集镇", "仿山镇", "杜堂镇",
    "半堤镇", "南王店镇", "张湾镇", "定陶经济开发区", "兴华路沿线", "陶朱公路以北区域", "城区各社区",
]
TITLES = ["区委书记", "区长", "副区长", "区委常委、常务副区长", "区政协主席", "局党组书记、局长", "镇党委书记"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许邓韩冯曹彭曾肖田董潘袁蔡蒋"
GIVEN = "建国明华伟强军丽娟敏静志刚海燕平涛磊鹏辉红梅玉兰秀英文斌晓东春雷永庆德福"
EMOJI = ["🔥", "📢", "👍", "❤️", "✅"]
# fmt: on


def synthetic_article(rng: random.Random) -> str:
    """A 政务 article of 300–1,500 characters: a title and 3–9 paragraphs."""
    topic, unit = rng.choice(TOPICS), rng.choice(UNITS)
    target = rng.randint(300, 1500)
    paragraphs = [f"{unit}关于做好{rng.randint(2024, 2026)}年{topic}工作的通知"]
    size = len(paragraphs[0])
    while size < target:
        sentences = [rng.choice(OPENINGS)] if rng.random() < 0.5 else []
        sentences += [rng.choice(SENTENCES) for _ in range(rng.randint(2, 5))]
        paragraph = "".join(sentences).format_map(_Slots(rng, topic, unit))
        paragraphs.append(paragraph)
        size += len(paragraph)
    return "\n".join(paragraphs)


class _Slots(dict):
    """Fresh figures, dates, names and places for every slot a template names."""

    def __init__(self, rng: random.Random, topic: str, unit: str):
        super().__init__(topic=topic)
        self.rng, self.unit = rng, unit

    def __missing__(self, slot: str) -> str:
        rng = self.rng
        return {
            "unit": lambda: rng.choice(UNITS + [self.unit] * 3),
            "place": lambda: rng.choice(PLACES),
            "date": lambda: f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
            "date2": lambda: f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
            "amount": lambda: f"{rng.randint(1, 9999)}万元",
            "money": lambda: f"{rng.randint(50, 3000)}元",
            "count": lambda: str(rng.randint(2, 9999)),
            "count2": lambda: str(rng.randint(2, 9999)),
            "percent": lambda: f"{rng.randint(1, 99)}.{rng.randint(0, 9)}%",
            "phone": lambda: f"0530-{rng.randint(2000000, 8999999)}",
            "title": lambda: rng.choice(TITLES),
            "name": lambda: rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2))),
        }[slot]()


def light_edit(rng: random.Random, text: str) -> str:
    """One of the edits a repost may make without leaving the approved text."""
    lines = text.split("\n")
    kind = rng.randrange(6)
    if kind == 0:
        return "【定陶发布】" + text
    if kind == 1:
        return text + "\n来源：定陶区人民政府"
    if kind == 2:
        lines[0] += rng.choice(EMOJI)
        return "\n".join(lines)
    if kind == 3 and len(lines) > 3:
        lines[1], lines[2] = lines[2], lines[1]
        return "\n".join(lines)
    if kind == 4:
        return text.replace("，", ",").replace("。", ".")
    at = text.find("的")  # a typo brought in or fixed: 的 → 地
    return text[:at] + "地" + text[at + 1 :] if at >= 0 else text


def figure_changed(rng: random.Random, text: str) -> str:
    """One digit of one figure changed."""
    digits = [at for at, char in enumerate(text) if char.isdigit()]
    at = rng.choice(digits)
    return text[:at] + str((int(text[at]) + rng.randint(1, 8)) % 10) + text[at + 1 :]


def make_posts(
    rng: random.Random, revisions: list[str], count: int
) -> list[tuple[str, int | None, str]]:
    """(text, the revision it copies or None, kind) for ``count`` posts."""
    posts = []
    for _ in range(count):
        number = rng.randrange(len(revisions))
        text = revisions[number]
        roll = rng.random()
        if roll < 0.30:
            posts.append((text, number, "exact copy"))
        elif roll < 0.60:
            posts.append((light_edit(rng, text), number, "light edit"))
        elif roll < 0.75:
            posts.append((figure_changed(rng, text), number, "figure changed"))
        elif roll < 0.85:
            posts.append((text.split("\n")[1], number, "one paragraph"))
        else:
            posts.append((synthetic_article(rng), None, "unrelated"))
    return posts


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--revisions", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--skip-minhash", action="store_true", help="the comparison takes ~1 min")
    args = parser.parse_args()

    rng = random.Random(20190416)
    start = time.process_time()
    revisions = [synthetic_article(rng) for _ in range(args.revisions)]
    posts = make_posts(rng, revisions, args.posts)
    lengths = [len(text) for text in revisions]
    print(
        f"generated {len(revisions):,} revisions ({min(lengths)}–{max(lengths)} characters, "
        f"mean {statistics.mean(lengths):.0f}) and {len(posts):,} posts "
        f"in {time.process_time() - start:.1f} s"
    )

    start = time.process_time()
    total = 0
    for number in range(10_000_000):
        total += number
    print(
        f"calibration: a pure-Python loop of 10 million additions takes "
        f"{time.process_time() - start:.2f} s of CPU on this machine now"
    )

    ApprovedIndex().best("预热")  # builds the folding tables once (~0.2 s), not part of a build
    gc.collect()
    rss_before = rss_bytes()
    start = time.process_time()
    index = ApprovedIndex()
    for number, text in enumerate(revisions):
        index.add(number, text)
    added = time.process_time() - start
    index._seal()  # else the first look-up would pay for sorting the arrays
    built = time.process_time() - start
    gc.collect()
    kept = sum(
        sys.getsizeof(revision.text) + sys.getsizeof(revision.atoms)
        for revision in index._revisions
    )
    print(
        f"index build: {built:.1f} s ({added:.1f} s preparing the texts, "
        f"{built - added:.1f} s sorting the shingle index); RSS +{(rss_bytes() - rss_before) / 1e6:.0f} MB, "
        f"of which {kept / 1e6:.0f} MB the normalised texts and figure atoms"
    )

    outcomes: Counter = Counter()
    seconds_by_kind: dict[str, list[float]] = defaultdict(list)
    start = time.process_time()
    for text, number, kind in posts:
        began = time.process_time()
        judgement = index.best(text)
        seconds_by_kind[kind].append(time.process_time() - began)
        right = (
            judgement.key == number if kind in ("exact copy", "light edit") else not judgement.match
        )
        outcomes[kind, judgement.match, right] += 1
    total = time.process_time() - start
    matched = sum(count for (_, match, _), count in outcomes.items() if match)
    print(
        f"matching {len(posts):,} posts: {total:.2f} s, {total / len(posts) * 1e6:.0f} µs a post; "
        f"{matched:,} matched, {len(posts) - matched:,} not matched"
    )
    for kind, seconds in seconds_by_kind.items():
        right = sum(count for (k, _, ok), count in outcomes.items() if k == kind and ok)
        print(
            f"  {kind:<15}{len(seconds):>6} posts, {statistics.mean(seconds) * 1e6:>6.0f} µs mean, "
            f"{max(seconds) * 1e3:>6.1f} ms max; as expected: {right:,}"
        )

    if not args.skip_minhash:
        sample = [post for post in posts if post[1] is not None and post[1] < 5_000]
        compare_minhash(revisions[:5_000], sample)


def compare_minhash(revisions: list[str], posts: list[tuple[str, int | None, str]]) -> None:
    """datasketch MinHash LSH on a sample, for the choice of candidate index (see index.py):
    the time to hash, and how often the copied revision is among LSH's candidates."""
    from datasketch import MinHash, MinHashLSH

    def minhash(text: str) -> MinHash:
        flat = prepare_revision(text).flat  # the same normalised text the index shingles
        hashed = MinHash(num_perm=128)
        hashed.update_batch([flat[at : at + 6].encode() for at in range(max(1, len(flat) - 5))])
        return hashed

    start = time.process_time()
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    for number, text in enumerate(revisions):
        lsh.insert(number, minhash(text))
    build = time.process_time() - start
    print(
        f"datasketch MinHash LSH (128 permutations, threshold 0.5) on {len(revisions):,} "
        f"revisions: {build / len(revisions) * 1e6:.0f} µs a revision to hash and insert"
    )
    index = ApprovedIndex()
    for number, text in enumerate(revisions):
        index.add(number, text)
    for kind in ("exact copy", "light edit", "figure changed", "one paragraph"):
        wanted = [(text, number) for text, number, each in posts if each == kind]
        start = time.process_time()
        found = sum(number in lsh.query(minhash(text)) for text, number in wanted)
        seconds = time.process_time() - start
        start = time.process_time()
        ours = sum(
            number in index._candidates(prepare_post(text).flat)  # the look-up, not judging
            for text, number in wanted
        )
        our_seconds = time.process_time() - start
        print(
            f"  {kind:<15} copied revision found: LSH {found}/{len(wanted)} "
            f"({seconds / max(1, len(wanted)) * 1e6:.0f} µs a post), this index {ours}/{len(wanted)} "
            f"({our_seconds / max(1, len(wanted)) * 1e6:.0f} µs a post, both before judging)"
        )


if __name__ == "__main__":
    main()
