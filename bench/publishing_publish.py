"""Publishing one approved article through the fake WeChat, end to end.

    .venv/bin/python bench/publishing_publish.py [--pg URL] [--articles 20]

Target (issue 10, “Measured”): under 1 s per article. Measured is what the django-q task does
for one publication: tasks.publish (the cover through material/add_material, the body's image
through media/uploadimg, draft/add, freepublish/submit, each a real HTTP request to the fake
server on 127.0.0.1, and the database writes) and then tasks.poll_publication
(freepublish/get until 发布成功). The fake answers at once (publish_delay 0): the real platform's
own publishing time is not ours to measure. The world is the demo's (demo_seed); each article
is written, approved by 初审 and 终审 and queued through the services before the clock starts.
"""

import argparse
import statistics
import sys
import time

from common import configure, db_label

TITLE = "天中街道冬季供暖保障工作第{n}期"
BODY = (
    "<p>第{n}期：天中街道召开冬季供暖保障专题会议，部署供暖设施巡检、困难家庭补贴发放和"
    "报修渠道畅通等工作，要求各社区在12月15日前完成入户走访。</p>"
)


def approved_and_queued(n: int, org, editor, reviewer, admin, account) -> int:
    """An article with a cover image, approved by both steps, queued for publishing."""
    from govmedia.demo.publishing_seed import cover_png
    from govmedia.publishing import services
    from govmedia.publishing.models import CHECKS, Article, ReviewRunStep, StepState

    article = services.article_create(
        actor=editor,
        org_id=org.pk,
        content_class="daily",
        title=TITLE.format(n=n),
        body_html=BODY.format(n=n),
        target_ids=[account.pk],
    )
    image = services.article_image_add(actor=editor, article_id=article.pk, upload=cover_png())
    article = Article.objects.get(pk=article.pk)
    services.article_revise(
        actor=editor,
        article_id=article.pk,
        version=article.version,
        title=article.title,
        body_html=BODY.format(n=n) + f'<p><img src="{image.file.url}" alt="现场"></p>',
        cover_image_id=image.pk,
    )
    article = Article.objects.get(pk=article.pk)
    services.article_submit(actor=editor, article_id=article.pk, version=article.version)
    for actor in (reviewer, admin):
        step = ReviewRunStep.objects.select_related("run").get(
            run__article=article, state=StepState.ACTIVE
        )
        services.review_decide(
            actor=actor,
            run_step_id=step.pk,
            version=step.version,
            decision="approve",
            revision_hash=step.run.revision_hash,
            checks=dict.fromkeys(CHECKS, True),
            acknowledgements={
                f["key"]: "已核实" for f in step.run.findings if f["severity"] == "warn"
            },
        )
    article = Article.objects.get(pk=article.pk)
    target = article.targets.get(account=account)
    publication = services.publication_publish(
        actor=editor, article_id=article.pk, target_id=target.pk, version=article.version
    )
    return publication.pk


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--articles", type=int, default=20)
    own, rest = parser.parse_known_args(argv)
    configure("publishing_publish", rest)
    from django.core.management import call_command
    from django.test.utils import override_settings

    from govmedia.demo.publishing_seed import ADMIN, EDITOR, REVIEWER, UNIT, WECHAT
    from govmedia.monitoring.clients import forget_clients
    from govmedia.orgs.models import Organization
    from govmedia.platforms.fakes import FakePlatforms
    from govmedia.platforms.fakes.platforms import DEMO_SEED
    from govmedia.publishing import tasks
    from govmedia.publishing.models import Publication
    from govmedia.registry.models import MediaAccount
    from govmedia.users.models import User

    call_command("demo_seed", verbosity=0)
    org = Organization.objects.get(name=UNIT)
    editor, reviewer, admin = (User.objects.get(username=u) for u in (EDITOR, REVIEWER, ADMIN))
    account = MediaAccount.objects.get(handle=WECHAT, is_demo=True)

    timings = []
    with FakePlatforms(seed=DEMO_SEED) as platforms:
        platforms.wechat.app.publish_delay = 0
        forget_clients()
        with override_settings(PLATFORM_API_BASES=platforms.base_urls):
            for n in range(own.articles + 1):
                publication_id = approved_and_queued(n, org, editor, reviewer, admin, account)
                start = time.perf_counter()
                tasks.publish(publication_id)
                tasks.poll_publication(publication_id)
                elapsed = (time.perf_counter() - start) * 1000
                state = Publication.objects.get(pk=publication_id).state
                if state != "published":
                    print(f"publication {publication_id} ended {state}", file=sys.stderr)
                    return 1
                if n:  # the first one warms the HTTP client and the template caches
                    timings.append(elapsed)
        forget_clients()
    timings.sort()
    p95 = timings[max(0, round(len(timings) * 0.95) - 1)]
    print(
        f"{db_label()}: publish one article through the fake WeChat (cover + body image + "
        f"draft/add + freepublish/submit + freepublish/get), {len(timings)} articles: "
        f"median {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms, max {timings[-1]:.0f} ms "
        "(target < 1000 ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
