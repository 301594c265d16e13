"""Helpers of the review and publishing tests (fixtures are in conftest.py)."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

from govmedia.publishing import services
from govmedia.publishing.models import CHECKS, Article, ReviewRunStep, StepState

CHINA = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=CHINA)  # a Tuesday, a working day
TODAY = NOW.date()
GRANT_FROM, GRANT_UNTIL = date(2026, 11, 1), date(2026, 12, 31)

TITLE = "天中街道冬季供暖服务热线开通"
BODY = "<p>天中街道冬季供暖服务热线于11月24日开通，服务时间为每日8:00至20:00。</p>"
SOURCE = "http://www.dingtao.gov.cn/art/2026/11/24/art_1.html"
ALL_CHECKS = {key: True for key in CHECKS}


def step_spec(stage="first", users=(), *, mode="any", limit=(4, "hours"), org=None, role=""):
    return {
        "stage": stage,
        "mode": mode,
        "limit_value": limit[0],
        "limit_unit": limit[1],
        "reviewer_user_ids": [u.pk for u in users],
        "reviewer_org_id": org.pk if org else None,
        "reviewer_role": role,
    }


# --- helpers ---------------------------------------------------------------------------------


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def write(n, *, actor=None, targets=None, title=TITLE, body=BODY, **extra) -> Article:
    return services.article_create(
        actor=actor or n.tian_editor,
        org_id=extra.pop("org_id", n.tian.pk),
        content_class=extra.pop("content_class", "daily"),
        title=title,
        body_html=body,
        target_ids=[a.pk for a in (targets if targets is not None else [n.wechat])],
        source_url=extra.pop("source_url", SOURCE),
        **extra,
    )


def submit(n, article, *, actor=None, now=NOW):
    return services.article_submit(
        actor=actor or n.tian_editor, article_id=article.pk, version=fresh(article).version, now=now
    )


def active_step(article) -> ReviewRunStep:
    return ReviewRunStep.objects.get(run__article=article, state=StepState.ACTIVE)


def decide(actor, step, decision="approve", *, now=NOW, **kw):
    step = fresh(step)
    run = step.run
    if decision == "approve":
        kw.setdefault("checks", ALL_CHECKS)
        kw.setdefault(
            "acknowledgements",
            {f["key"]: "已核实，表述准确" for f in run.findings if f["severity"] == "warn"},
        )
    else:
        kw.setdefault("reason", "请补充热线电话号码")
    return services.review_decide(
        actor=actor,
        run_step_id=step.pk,
        version=step.version,
        decision=decision,
        revision_hash=kw.pop("revision_hash", run.revision_hash),
        now=now,
        **kw,
    )


def approve_all(n, article, *, now=NOW):
    decide(n.tian_reviewer, active_step(article), now=now)
    decide(n.tian_leader, active_step(article), now=now)
    return fresh(article)


def add_picture(n, article, *, actor=None, cover=True):
    """Upload a picture, show it in the body and make it the cover (WeChat needs one)."""
    image = services.article_image_add(
        actor=actor or n.tian_editor, article_id=article.pk, upload=Upload(png_bytes(), "map.png")
    )
    body = fresh(article).current_revision.body_html
    body += f'<p><img src="{image.file.url}" alt="网点分布"></p>'
    revise(n, article, actor=actor, body=body, cover_image_id=image.pk if cover else None)
    return image


def approved(n, *, picture=True, **kw) -> Article:
    """An article through both steps of 天中's flow (with a cover picture unless told not)."""
    article = write(n, **kw)
    if picture:
        add_picture(n, article)
    submit(n, article)
    return approve_all(n, article)


def revise(n, article, *, actor=None, **kw):
    current = fresh(article).current_revision
    return services.article_revise(
        actor=actor or n.tian_editor,
        article_id=article.pk,
        version=fresh(article).version,
        title=kw.pop("title", current.title),
        body_html=kw.pop("body", current.body_html + "<p>咨询电话：0530-2219000。</p>"),
        **kw,
    )


def target_of(article, account):
    return fresh(article).targets.get(account=account)


def publish(n, article, account, *, actor=None, now=NOW, at=None):
    return services.publication_publish(
        actor=actor or n.tian_editor,
        article_id=article.pk,
        target_id=target_of(article, account).pk,
        version=fresh(article).version,
        at=at,
        now=now,
    )


def png_bytes(size=(40, 30), color=(200, 30, 30)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


class Upload(io.BytesIO):
    """A file as Django hands an upload to a service (name, size, chunks)."""

    def __init__(self, data: bytes, name: str):
        super().__init__(data)
        self.name, self.size = name, len(data)

    def chunks(self, chunk_size=64 * 1024):
        self.seek(0)
        while chunk := self.read(chunk_size):
            yield chunk
