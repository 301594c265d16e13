"""All four fake platforms in one process, and their seed file.

    with FakePlatforms(seed="govmedia/platforms/fakes/demo_seed.json") as fakes:
        fakes.base_urls   # {"wechat-mp": "http://127.0.0.1:…", "weibo": …, "douyin": …, "kuaishou": …}
        fakes.weibo.state.add_post("dt_fabu_wb", text="…")
        fakes.douyin.misbehave("http_500", times=2)

Seed format (docs/platforms/fakes.md): one section per platform, keyed wechat / weibo / douyin /
kuaishou, each {"accounts": [...], "generate": {...}}; an account is {"handle", "name",
"verified"?, "verified_reason"?, "avatar_url"?, "followers"?, "credentials"? (default:
state.default_credentials), "posts"?: [{"id"?, "published_at" (ISO 8601) | "days_ago" |
"hours_ago", "title"?, "text"?, "url"?, "reads"?, "likes"?, "shares"?, "comments"?,
"pending"?, "deleted"?}]}; "generate" is {"accounts": n, "posts_per_account": m, "prefix"?}.
"""

import json
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from ..times import CHINA
from .douyin import DouyinApp
from .kuaishou import KuaishouApp
from .server import FakeServer
from .state import FakeState
from .wechat import WeChatApp
from .weibo import WeiboApp

DEMO_SEED = Path(__file__).with_name("demo_seed.json")
ORDER = ("wechat", "weibo", "douyin", "kuaishou")  # the order of --ports
PLATFORM_CODES = {
    "wechat": "wechat-mp",
    "weibo": "weibo",
    "douyin": "douyin",
    "kuaishou": "kuaishou",
}
APPS = {"wechat": WeChatApp, "weibo": WeiboApp, "douyin": DouyinApp, "kuaishou": KuaishouApp}
ALIASES = {"wechat-mp": "wechat"}


class FakePlatforms:
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        ports: dict[str, int] | list[int] | tuple[int, ...] | None = None,
        clock: Callable[[], float] = time.time,
        seed: dict | str | Path | None = None,
    ):
        if ports is None:
            ports = {}
        elif not isinstance(ports, dict):
            if len(ports) != len(ORDER):
                raise ValueError(f"give {len(ORDER)} ports, in the order {', '.join(ORDER)}")
            ports = dict(zip(ORDER, ports, strict=True))
        self.clock = clock
        self.servers = {
            name: FakeServer(APPS[name](clock), host=host, port=ports.get(name, 0))
            for name in ORDER
        }
        if seed is not None:
            try:
                self.load_seed(seed)
            except Exception:
                self.stop()  # release the ports bound above
                raise

    @property
    def wechat(self) -> FakeServer:
        return self.servers["wechat"]

    @property
    def weibo(self) -> FakeServer:
        return self.servers["weibo"]

    @property
    def douyin(self) -> FakeServer:
        return self.servers["douyin"]

    @property
    def kuaishou(self) -> FakeServer:
        return self.servers["kuaishou"]

    @property
    def base_urls(self) -> dict[str, str]:
        """Keyed by Platform.code, ready for the PLATFORM_API_BASES setting."""
        return {PLATFORM_CODES[name]: server.base_url for name, server in self.servers.items()}

    def start(self) -> "FakePlatforms":
        for server in self.servers.values():
            server.start()
        return self

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()

    def __enter__(self) -> "FakePlatforms":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def load_seed(self, seed: dict | str | Path) -> None:
        if not isinstance(seed, dict):
            seed = json.loads(Path(seed).read_text(encoding="utf-8"))
        for key, section in seed.items():
            if key.startswith("_"):
                continue  # comments
            name = ALIASES.get(key, key)
            if name not in self.servers:
                raise ValueError(f"unknown platform {key!r} in the seed; one of {ORDER}")
            load_section(self.servers[name].state, section, self.clock)


def load_section(state: FakeState, section: dict, clock: Callable[[], float]) -> None:
    now = datetime.fromtimestamp(clock(), CHINA)
    for row in section.get("accounts", []):
        state.add_account(
            row["handle"],
            row["name"],
            credentials=row.get("credentials"),
            verified=row.get("verified", True),
            verified_reason=row.get("verified_reason", ""),
            avatar_url=row.get("avatar_url", ""),
            followers=row.get("followers", 0),
        )
        for post in row.get("posts", []):
            made = state.add_post(
                row["handle"],
                published_at=_moment(post, now),
                title=post.get("title", ""),
                text=post.get("text", ""),
                post_id=post.get("id"),
                url=post.get("url", ""),
                reads=post.get("reads", 0),
                likes=post.get("likes", 0),
                shares=post.get("shares", 0),
                comments=post.get("comments", 0),
                pending=post.get("pending", False),
            )
            # Netizens' comments under the post (oldest first, so a follow-up finds its thread).
            items = sorted(post.get("comment_items", []), key=lambda c: -c.get("hours_ago", 0))
            for item in items:
                state.add_comment(
                    made.post_id,
                    item["text"],
                    author_name=item.get("author", "网友"),
                    created_at=now - timedelta(hours=item.get("hours_ago", 0)),
                    reply_to=item.get("reply_to", ""),
                    by_account=item.get("by_account", False),
                    comment_id=item.get("id"),
                )
            if post.get("deleted"):
                state.delete_post(made.post_id)
    generate = section.get("generate")
    if generate:
        state.generate(
            generate["accounts"],
            generate.get("posts_per_account", 20),
            prefix=generate.get("prefix", "bench"),
        )


def _moment(post: dict, now: datetime) -> datetime:
    if "published_at" in post:
        moment = datetime.fromisoformat(post["published_at"])
        return moment if moment.tzinfo else moment.replace(tzinfo=CHINA)
    return now - timedelta(days=post.get("days_ago", 0), hours=post.get("hours_ago", 0))
