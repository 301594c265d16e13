"""The default 运行平台 list, seeded by migration (and restored for tests that flush tables).

Imports nothing from the app: the migration uses it before the models are ready."""

DEFAULT_PLATFORMS = [
    ("微信公众号", "wechat-mp"),
    ("微信视频号", "wechat-channels"),
    ("微博", "weibo"),
    ("抖音", "douyin"),
    ("快手", "kuaishou"),
    ("今日头条", "toutiao"),
    ("哔哩哔哩", "bilibili"),
    ("小红书", "xiaohongshu"),
    ("自建APP", "own-app"),
    ("小程序", "mini-program"),
    ("其他", "other"),
]


def ensure_default_platforms(platform_model) -> None:
    for order, (name, code) in enumerate(DEFAULT_PLATFORMS, start=1):
        platform_model.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order * 10}
        )
