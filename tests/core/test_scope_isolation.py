"""A user of one township never sees or changes another township's data, by any route.

The hand-written cases cover search terms and the API lists' counts; the walkers cover every
route, page or API: those that take an object id refuse the other township's objects, those that
take none (lists, forms, exports) show none of its data, and API writes that name its objects in
their body record nothing against it; so a route added later is checked without anyone
remembering to.
"""

import io

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from openpyxl import load_workbook

from govmedia.api import api
from govmedia.audit.models import AuditEvent
from govmedia.core.models import ExportJob
from govmedia.registry.models import Platform
from govmedia.users.services import token_create
from tests.conftest import logged_in_client

TOWNSHIP_ROLES = ["unit_admin", "editor", "reviewer", "supervisor_reviewer"]


def other_township_objects(world) -> dict[str, int]:
    """For each id parameter name used in routes, an object of 陈集镇 (the other township)."""
    token, _ = token_create(actor=world.chen_editor, name="陈集对接")
    event = AuditEvent.objects.filter(org=world.chen).first()
    if event is None:
        from django.db import transaction

        from govmedia.audit.services import audit_record

        with transaction.atomic():
            event = audit_record(
                actor=world.chen_unit_admin, action="test.event", obj=world.chen, org=world.chen
            )
    filing = _chen_filed_filing(world)
    finding, exception, notification = _chen_compliance_objects(world, filing)
    monitoring = _chen_monitoring_objects(filing)
    return {
        "org_id": world.chen.pk,
        "user_id": world.chen_editor.pk,
        "token_id": token.pk,
        "event_id": event.pk,
        "account_id": filing.account_id,
        "filing_id": filing.pk,
        "finding_id": finding.pk,
        "exception_id": exception.pk,
        "notification_id": notification.pk,
        "term_id": _chen_lexicon_term(world).pk,
        **monitoring,
        "match_id": _chen_post_match(monitoring["post_id"]),
        "suspect_id": _chen_suspect(world, filing).pk,
        **_chen_publishing_objects(world, filing),
        **_chen_repost_objects(world, monitoring["post_id"]),
        # A background export belongs to its user alone (core.exports).
        "job_id": ExportJob.objects.create(
            user_id=world.chen_editor.pk, name="accounts", key="x", title="陈集导出", state="done"
        ).pk,
        **_chen_assessment_objects(world, filing),
        **_chen_qa_objects(world),
        **_chen_service_link_objects(world, filing),
        **_chen_interaction_objects(world, filing),
        **_chen_opinion_objects(world),
        # District-wide reference data: only platform administrators may edit it.
        "platform_id": Platform.objects.get_or_create(code="weibo", defaults={"name": "微博"})[
            0
        ].pk,
    }


def _chen_filed_filing(world):
    """An account of 陈集镇 with its filed 开设 filing, made through the real services."""
    from datetime import date

    from govmedia.registry import services as registry
    from govmedia.registry.models import Platform
    from govmedia.registry.platforms import ensure_default_platforms

    ensure_default_platforms(Platform)
    data = {
        "name": "陈集发布",
        "handle": "chenjifabu",
        "platform": Platform.objects.get(code="wechat-mp"),
        "registrant": "陈集镇人民政府",
        "positioning": "发布陈集镇政务信息",
        "operator": "",
        "notes": "",
        "contact_name": "陈联系",
        "contact_phone": "0530-2219000",
    }
    for role in ("principal", "leader_in_charge", "person_responsible"):
        data |= {
            f"{role}_name": "陈负责人",
            f"{role}_office_phone": "0530-2219001",
            f"{role}_mobile": "13905309001",
        }
    admin = world.chen_unit_admin
    filing = registry.filing_create(
        actor=admin, kind="open", org=world.chen, event_date=date(2026, 3, 2), data=data
    )
    filing = registry.filing_submit(actor=admin, filing_id=filing.pk, version=filing.version)
    return registry.filing_approve(
        no_scan_reason="纸质备案表另行报送",
        actor=world.alice,
        filing_id=filing.pk,
        version=filing.version,
    )


def _chen_compliance_objects(world, filing):
    """A compliance finding, a rule exception and a notification of 陈集镇."""
    from govmedia.compliance.models import ComplianceFinding
    from govmedia.compliance.services import compliance_refresh, rule_exception_grant
    from govmedia.notifications.services import notification_send

    compliance_refresh()
    finding = ComplianceFinding.objects.open().filter(org=world.chen).first()
    exception = rule_exception_grant(
        actor=world.alice, account_id=filing.account_id, rule="unverified", reason="陈集测试例外"
    )
    notification = notification_send(
        recipient_org=world.chen, kind="filing_overdue", message="陈集备案逾期", obj=filing
    )
    return finding, exception, notification


def _chen_suspect(world, filing):
    """A counterfeit case imitating 陈集镇's account (天中 must never see it)."""
    from govmedia.counterfeit import services as counterfeit

    suspect = counterfeit.suspect_create(
        actor=world.alice,
        platform=filing.platform,
        display_name="陈集发布官方",
        handle="chenji_fake",
        source="report",
    ).suspect
    return counterfeit.suspect_verify(
        actor=world.alice,
        suspect_id=suspect.pk,
        version=suspect.version,
        note="陈集核实",
        matched_account_id=filing.account_id,
    )


def _chen_monitoring_objects(filing) -> dict[str, int]:
    """A post of 陈集镇's account, a pull run of it, and the 整改 item its classified marker opened."""
    from django.utils import timezone

    from govmedia.monitoring.models import Post, PullRun
    from govmedia.monitoring.rectify import rectification_open, screen_post
    from govmedia.screening.screen import screener_for

    account, now = filing.account, timezone.now()
    post = Post.objects.create(
        account=account,
        platform_post_id="chen-1",
        title="陈集动态",
        text="陈集镇通知（机密★5年）",
        published_at=now,
        content_hash="x",
        first_seen_at=now,
        last_seen_at=now,
    )
    run = PullRun.objects.create(account=account, started_at=now, finished_at=now, outcome="ok")
    screened = screen_post(post, screener_for(account.host_org))
    rectification_open(post=post, account=account, screened=screened)
    return {"post_id": post.pk, "run_id": run.pk, "item_id": post.rectifications.get().pk}


def _chen_post_match(post_id: int) -> int:
    """陈集镇's post judged 未经审核发布 (publishing.unapproved)."""
    from govmedia.monitoring.models import Post
    from govmedia.publishing.models import PostMatch

    post = Post.objects.get(pk=post_id)
    return PostMatch.objects.create(
        post=post,
        account_id=post.account_id,
        published_at=post.published_at,
        content_hash=post.content_hash,
        state="unapproved",
        reason="陈集未经审核",
        matched_at=post.published_at,
    ).pk


def _chen_publishing_objects(world, filing) -> dict[str, int]:
    """陈集镇's review flow, an article in review (its revision and active step), a grant to
    publish to its account and a scheduled publication, through the services where they exist."""
    from datetime import timedelta

    from django.utils import timezone

    from govmedia.publishing import services as publishing
    from govmedia.publishing.models import Publication, PublicationState, ReviewRunStep

    admin, editor = world.chen_unit_admin, world.chen_editor
    flow = publishing.review_flow_create(
        actor=admin,
        org_id=world.chen.pk,
        name="陈集镇稿件审核",
        steps=[
            {
                "stage": "first",
                "mode": "any",
                "limit_value": 1,
                "limit_unit": "days",
                "reviewer_user_ids": [world.chen_reviewer.pk],
            }
        ],
    )
    article = publishing.article_create(
        actor=editor,
        org_id=world.chen.pk,
        content_class="daily",
        title="陈集镇秋收工作动态",
        body_html="<p>陈集镇秋收工作有序推进。</p>",
        target_ids=[filing.account_id],
    )
    run = publishing.article_submit(actor=editor, article_id=article.pk, version=article.version)
    today = timezone.localdate()
    grant = publishing.publish_grant_create(
        actor=admin,
        account_id=filing.account_id,
        user_id=editor.pk,
        valid_from=today,
        valid_until=today.replace(year=today.year + 1),
    )
    # 会签 asked of the district health bureau: its reviewer, not 天中's, may see the article.
    from tests.conftest import make_user

    make_user("dept_reviewer", world.dept, "reviewer")
    countersign = publishing.countersign_add(
        actor=editor, article_id=article.pk, org_id=world.dept.pk
    )
    now = timezone.now()
    publication = Publication.objects.create(
        article=article,
        revision_id=article.current_revision_id,
        account_id=filing.account_id,
        state=PublicationState.SCHEDULED,
        requested_by=editor,
        requested_at=now,
        due_at=now + timedelta(days=1),
    )
    return {
        "article_id": article.pk,
        "revision_id": article.current_revision_id,
        "step_id": ReviewRunStep.objects.get(run=run, position=1).pk,
        "flow_id": flow.pk,
        "grant_id": grant.pk,
        "publication_id": publication.pk,
        "countersign_id": countersign.pk,
    }


def _chen_repost_objects(world, post_id: int) -> dict[str, int]:
    """A repost task 陈集镇 issued to its own second account, from its pulled post."""
    from govmedia.coordination import services as coordination
    from govmedia.monitoring.models import Post
    from govmedia.registry.models import MediaAccount, Platform

    account = Post.objects.select_related("account").get(pk=post_id).account
    MediaAccount.objects.create(
        host_org=world.chen,
        platform=Platform.objects.get(code="weibo"),
        name="陈集微博",
        handle="chenji_weibo",
        registrant=account.registrant,
        positioning="发布陈集镇政务信息",
    )
    campaign = coordination.repost_campaign_issue(
        actor=world.chen_unit_admin,
        source_kind="post",
        source_id=post_id,
        rule={"org_ids": [world.chen.pk]},
        deadline_value=1,
        deadline_unit="days",
    )
    return {
        "campaign_id": campaign.pk,
        "task_id": campaign.tasks.get().pk,
        "request_id": _chen_publish_request(world, account).pk,
    }


def _chen_publish_request(world, account):
    """陈集镇 asks the district's 政府网 account to publish an article its own flow approved."""
    from datetime import timedelta

    from django.utils import timezone

    from govmedia.coordination import services as coordination
    from govmedia.publishing import services as publishing
    from govmedia.publishing.models import CHECKS, ReviewRunStep
    from govmedia.registry.models import MediaAccount, Platform

    article = publishing.article_create(
        actor=world.chen_editor,
        org_id=world.chen.pk,
        content_class="daily",
        title="陈集镇冬季供暖保障措施",
        body_html="<p>陈集镇落实冬季供暖保障措施。</p>",
        target_ids=[account.pk],
    )
    run = publishing.article_submit(
        actor=world.chen_editor, article_id=article.pk, version=article.version
    )
    step = ReviewRunStep.objects.get(run=run, state="active")
    publishing.review_decide(
        actor=world.chen_reviewer,
        run_step_id=step.pk,
        version=step.version,
        decision="approve",
        revision_hash=run.revision_hash,
        checks={key: True for key in CHECKS},
    )
    site = MediaAccount.objects.create(
        host_org=world.district,
        platform=Platform.objects.get(code="weibo"),
        name="定陶政府网微博",
        handle="dt_gov_weibo",
        registrant="定陶区人民政府办公室",
        positioning="发布区政府信息",
        is_government_site=True,
    )
    return coordination.publish_request_submit(
        actor=world.chen_editor,
        article_id=article.pk,
        account_ids=[site.pk],
        proposed_at=timezone.now() + timedelta(days=1),
    )


def _chen_qa_objects(world) -> dict[str, int]:
    """陈集镇's Q&A entry waiting for review (unpublished, so 天中 must not see it)."""
    from govmedia.qa.services import entry_create

    entry = entry_create(
        actor=world.chen_editor,
        owner_org_id=world.chen.pk,
        content={"question": "陈集镇便民服务中心在哪里？", "answer": "陈集镇政府一楼。"},
    )
    return {"entry_id": entry.pk, "revision_id": entry.pending_revision_id}


def _chen_service_link_objects(world, filing) -> dict[str, int]:
    """A service link of 陈集镇's account and the 功能无法使用 finding it opened."""
    from django.db import transaction

    from govmedia.servicelinks.services import finding_open, link_create

    link = link_create(
        actor=world.chen_unit_admin,
        account_id=filing.account_id,
        data={"kind": "menu", "name": "陈集办事", "url": "https://chenji.example.invalid/ban"},
    )
    with transaction.atomic():
        finding = finding_open(link=link, outcome="not_found", detail="陈集入口 404")
    return {"link_id": link.pk, "link_finding_id": finding.pk}


def _chen_interaction_objects(world, filing) -> dict[str, int]:
    """A letter to 陈集镇 with its scan, assigned, and a draft reply."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from govmedia.interaction import services as interaction

    message = interaction.message_create(
        actor=world.chen_editor,
        source="letter",
        org_id=world.chen.pk,
        account_id=filing.account_id,
        text="陈集镇来信：反映路灯不亮",
        received_at=timezone.now(),
        attachments=[SimpleUploadedFile("陈集来信.pdf", b"%PDF-1.4 chen")],
    )
    message = interaction.message_assign(
        actor=world.chen_unit_admin,
        message_id=message.pk,
        version=message.version,
        message_class="help",
        handler_id=world.chen_editor.pk,
    )
    reply = interaction.reply_draft(
        actor=world.chen_editor, message_id=message.pk, text="陈集镇答复：已安排维修"
    )
    return {
        "message_id": message.pk,
        "reply_id": reply.pk,
        "attachment_id": message.attachments.get().pk,
    }


def _chen_opinion_objects(world) -> dict[str, int]:
    """A 舆情 case of 陈集镇 (a manual report) and its 监测方案; a 舆情简报 of the district (it lists
    陈集镇's case: a township sees no brief)."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from govmedia.opinion.models import Subscription
    from govmedia.opinion.services.briefs import brief_generate
    from govmedia.opinion.services.cases import report_create

    note = SimpleUploadedFile("陈集批示.txt", "陈集".encode())
    item = report_create(
        actor=world.chen_unit_admin,
        org_id=world.chen.pk,
        title="陈集停水",
        text="陈集镇停水三天",
        files=[note],
    )
    subscription = Subscription.objects.create(
        org=world.chen, name="陈集监测", expression="陈集", created_by=world.chen_unit_admin
    )
    return {
        "case_id": item.case_id,
        "item_id": item.pk,
        "subscription_id": subscription.pk,
        "evidence_id": item.attachments.get().pk,  # 舆情 evidence (interaction's are attachment_id)
        "brief_id": brief_generate(actor=world.alice, kind="daily", day=date(2026, 11, 27)).pk,
    }


def _chen_lexicon_term(world):
    """A screening term of 陈集镇's own lexicon (天中 sees the district's terms, never this)."""
    from govmedia.screening.services import lexicon_term_create

    return lexicon_term_create(
        actor=world.chen_unit_admin, term="陈集专用词", category="typo", severity="warn"
    )


def _chen_assessment_objects(world, filing) -> dict[str, int]:
    """A check not yet published (units see none), a score sheet of 陈集's account in a
    published check (only 陈集 sees it), and a rubric (the district office's pages only)."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from govmedia.assessment.models import Check, CheckState, ItemResult, ScoreSheet, Screenshot
    from govmedia.assessment.services.rubrics import rubric_default_ensure

    rubric = rubric_default_ensure(year=2026)
    at = datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    fields = {
        "org": world.district,
        "kind": "quarterly",
        "rubric": rubric,
        "check_at": at,
        "period_start": date(2026, 9, 1),
        "created_by": world.alice,
    }
    draft = Check.objects.create(title="陈集未通报的检查", **fields)
    published = Check.objects.create(title="已通报的检查", state=CheckState.PUBLISHED, **fields)
    sheet = ScoreSheet.objects.create(
        check_run=published, account_id=filing.account_id, org=world.chen, verdict="不合格"
    )
    item = ItemResult.objects.create(sheet=sheet, indicator=rubric.indicators.first())
    # The row alone (no file written): another township is refused before the file is opened.
    Screenshot.objects.create(
        sheet=sheet,
        item=item,
        file="assessment/screenshots/chen-shot.png",
        content_type="image/png",
        size=4,
        sha256="0" * 64,
        uploaded_by=world.alice,
    )
    return {
        "check_id": draft.pk,
        "sheet_id": sheet.pk,
        "item_id": item.pk,
        "rubric_id": rubric.pk,
        "indicator_id": item.indicator_id,
        "screenshot_id": Screenshot.objects.get(sheet=sheet).pk,
    }


def walk(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def id_routes():
    routes = []
    for route, pattern in walk():
        converters = pattern.pattern.converters if hasattr(pattern.pattern, "converters") else {}
        names = [name for name in converters if name.endswith("_id")]
        if names and not route.startswith("api/"):
            routes.append((route, names))
    return routes


def fill(route: str, values: dict[str, int]) -> str:
    url = "/" + route
    for name, value in values.items():
        for conv in ("int", "str", "slug"):
            url = url.replace(f"<{conv}:{name}>", str(value))
    assert "<" not in url, (
        f"no test object for a parameter in {route}: add it to other_township_objects"
    )
    return url


def test_walker_finds_the_id_routes():
    routes = {route for route, _ in id_routes()}
    assert "orgs/<int:org_id>/" in routes and "users/<int:user_id>/edit/" in routes


@pytest.mark.parametrize("role", TOWNSHIP_ROLES)
def test_every_page_route_with_an_id_refuses_other_township(world, role):
    objects = other_township_objects(world)
    client = logged_in_client(getattr(world, f"tian_{role}"))
    events_before = AuditEvent.objects.count()
    for route, names in id_routes():
        url = fill(route, {name: objects[name] for name in names})
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        assert response.status_code in (403, 404), f"{role} {url} answered {response.status_code}"
        assert "陈集" not in response.content.decode(errors="ignore"), f"{url} leaked data"
    assert AuditEvent.objects.count() == events_before


def plain_routes() -> list[str]:
    """Page routes without parameters: lists, dashboards, new-object forms, exports."""
    return [
        route
        for route, pattern in walk()
        if not getattr(pattern.pattern, "converters", None)
        and not route.startswith("api/")
        and "(?P" not in route
    ]


def text_of(response) -> str:
    """What a user would read in the answer: a page, a streamed file or a workbook's cells."""
    body = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    if "spreadsheetml" in response.get("Content-Type", ""):
        book = load_workbook(io.BytesIO(body), read_only=True)
        rows = (row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
        return " ".join(str(cell) for row in rows for cell in row if cell is not None)
    return body.decode(errors="ignore")


def test_walker_finds_the_plain_routes():
    routes = set(plain_routes())
    assert {"orgs/", "orgs/new/", "registry/excel/accounts.xlsx"} <= routes
    urls = set(api_plain_lists({"platform_id": 7}))
    assert {"/api/v1/orgs", "/api/v1/assessment/rankings?month=2026-11-01&platform_id=7"} <= urls


# Values for the query parameters some API lists require, so the walker reaches their data.
REQUIRED_QUERY = {
    "start": "2026-01-01",
    "end": "2026-12-31",
    "month": "2026-11-01",
    "year": "2026",
    "text": "停水怎么办",
}


def api_operations():
    """Every operation of the API: path, method, operation, its path parameters, components."""
    spec = api.get_openapi_schema()
    components = spec.get("components", {}).get("schemas", {})
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            params = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
            yield path, method, operation, params, components


def api_plain_lists(objects) -> list[str]:
    """API GET operations without a path parameter, their required query filled in."""
    urls = []
    for path, method, operation, params, _ in api_operations():
        if method != "get" or params:
            continue
        query = operation.get("parameters", [])
        required = [p["name"] for p in query if p.get("required")]
        values = REQUIRED_QUERY | {k: str(v) for k, v in objects.items()}
        assert set(required) <= set(values), f"add a value for {path}'s query to REQUIRED_QUERY"
        urls.append(
            path + ("?" + "&".join(f"{n}={values[n]}" for n in required) if required else "")
        )
    return urls


@pytest.mark.parametrize("role", TOWNSHIP_ROLES)
def test_every_route_without_an_id_shows_nothing_of_the_other_township(world, role):
    objects = other_township_objects(world)
    user = getattr(world, f"tian_{role}")
    client = logged_in_client(user)
    for route in plain_routes():
        response = client.get("/" + route)
        assert response.status_code < 500, f"{role} /{route}"
        text = text_of(response)
        assert "陈集" not in text and "chen_" not in text, f"{role} /{route} leaked data"
    _, key = token_create(actor=user, name="测试")
    headers, api_client = {"Authorization": f"Bearer {key}"}, Client()
    for url in api_plain_lists(objects):
        response = api_client.get(url, headers=headers)
        # A list whose required query was filled answers; the calendar's own checks may answer
        # 400 (they name what is missing). Whatever is answered names nothing of 陈集镇.
        assert response.status_code == 200 if "?" in url else response.status_code < 500, url
        text = text_of(response)
        assert "陈集" not in text and "chen_" not in text, f"{role} {url} leaked data"


def request_body(operation, components, objects) -> tuple[dict | None, dict]:
    """An example body for the operation and how the test client must send it: JSON, or a
    multipart form (an upload) when the operation takes no JSON."""
    if "requestBody" not in operation:
        return None, {"content_type": "application/json"}
    content = operation["requestBody"]["content"]
    kind = "application/json" if "application/json" in content else "multipart/form-data"
    body = example(content[kind]["schema"], components, objects)
    return body, ({"content_type": kind} if kind == "application/json" else {})


ORG_REFERENCES = ("org_id", "parent_id")


def example(schema: dict, components: dict, ids: dict, name: str = ""):
    """A value that passes the schema's validation, so the request reaches the scope check; a
    property named after an object (`account_id`, `org_ids` …) takes the other township's."""
    if "$ref" in schema:
        return example(components[schema["$ref"].split("/")[-1]], components, ids, name)
    for key in ("anyOf", "allOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return example(options[0], components, ids, name)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {
            prop_name: example(prop, components, ids, prop_name)
            for prop_name, prop in schema.get("properties", {}).items()
        }
    if kind == "array":
        return [example(schema.get("items", {}), components, ids, name.removesuffix("s"))]
    if kind == "integer":  # a unit under another name (parent_id, owner_org_id …) is 陈集镇
        return ids.get(name, ids.get("org_id", 1) if name.endswith(ORG_REFERENCES) else 1)
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return "2026-01-05"
    if schema.get("format") == "date-time":
        return "2026-01-05T10:00:00+08:00"
    if "url" in name or "link" in name:
        return "https://www.dingtao.gov.cn/a"
    return "测试"


def api_id_operations():
    return (operation for operation in api_operations() if operation[3])


def test_api_walker_finds_operations():
    found = {(path, method) for path, method, *_ in api_id_operations()}
    assert ("/api/v1/orgs/{org_id}", "patch") in found


@pytest.mark.parametrize("role", TOWNSHIP_ROLES)
def test_every_api_operation_with_an_id_refuses_other_township(world, role):
    objects = other_township_objects(world)
    _, key = token_create(actor=getattr(world, f"tian_{role}"), name="测试")
    headers = {"Authorization": f"Bearer {key}"}
    client = Client()
    events_before = AuditEvent.objects.count()
    for path, method, operation, params, components in api_id_operations():
        url = path
        for name in params:
            assert name in objects, f"no test object for {name} in {path}"
            url = url.replace("{" + name + "}", str(objects[name]))
        body, as_json = request_body(operation, components, objects)
        response = getattr(client, method)(url, data=body, headers=headers, **as_json)
        assert response.status_code in (403, 404), (
            f"{role} {method} {url}: {response.status_code} {response.content[:200]}"
        )
        assert "陈集" not in response.content.decode()
        assert response.json()["code"] in ("not_found", "forbidden")
    assert AuditEvent.objects.count() == events_before


def api_create_operations():
    """API writes without a path parameter: they name their objects in the body."""
    for path, method, operation, params, components in api_operations():
        if method != "get" and not params:
            yield path, method, operation, components


@pytest.mark.parametrize("role", TOWNSHIP_ROLES)
def test_every_api_create_naming_the_other_townships_objects_writes_nothing_there(world, role):
    objects = other_township_objects(world)
    user = getattr(world, f"tian_{role}")
    _, key = token_create(actor=user, name="测试")
    headers, client = {"Authorization": f"Bearer {key}"}, Client()
    last = AuditEvent.objects.order_by("-seq").first().seq
    for path, method, operation, components in api_create_operations():
        body, as_json = request_body(operation, components, objects)
        response = getattr(client, method)(path, data=body, headers=headers, **as_json)
        assert response.status_code < 500, f"{role} {method} {path}"
        # Refused, or done within 天中街道 (a 假冒账号 report goes to the district office,
        # with no unit): nothing is recorded against 陈集镇, nothing of it is answered.
        written = AuditEvent.objects.filter(seq__gt=last)
        assert not written.exclude(org=None).exclude(org__path__startswith=world.tian.path), (
            f"{role} {method} {path} wrote outside 天中街道"
        )
        assert "陈集" not in response.content.decode(), f"{role} {method} {path}"
        last = written.order_by("-seq").values_list("seq", flat=True).first() or last


def test_lists_search_and_exports_show_only_own_subtree(world):
    client = logged_in_client(world.tian_unit_admin)
    for url in ("/orgs/", "/orgs/?q=综合执法", "/users/", "/users/?q=chen", "/audit/", "/"):
        page = client.get(url).content.decode()
        assert "陈集" not in page and "chen_" not in page, url
    assert "天中街道党政办公室" in client.get("/orgs/").content.decode()
    for url in ("/orgs/export.xlsx", "/users/export.xlsx"):
        cells = text_of(client.get(url))
        assert "陈集" not in cells and "chen_" not in cells and "天中" in cells


def test_api_lists_show_only_own_subtree(world):
    client = logged_in_client(world.tian_unit_admin)
    orgs = client.get("/api/v1/orgs?limit=100").json()
    assert {o["name"] for o in orgs["items"]} == {"天中街道", "天中街道党政办公室"}
    assert client.get("/api/v1/orgs?q=陈集").json()["count"] == 0
    users = client.get("/api/v1/users?limit=100").json()
    assert all(u["username"].startswith("tian_") for u in users["items"])


def test_district_roles_see_everything_but_oversight_writes_nothing(world):
    for user in (world.alice, world.oversight):
        page = logged_in_client(user).get("/orgs/").content.decode()
        assert "陈集镇" in page and "天中街道" in page
    client = logged_in_client(world.oversight)
    assert client.get(f"/orgs/{world.chen.pk}/edit/").status_code == 404
    response = client.patch(
        f"/api/v1/orgs/{world.chen.pk}",
        data={"version": 1, "address": "x"},
        content_type="application/json",
    )
    assert response.status_code in (403, 404)
    world.chen.refresh_from_db()
    assert world.chen.address == ""


# --- 行业指导: a 行业主管部门 reads its enterprises' data and changes none of it ---------------

INDUSTRY_ROLES = ["unit_admin", "editor", "reviewer"]


def _industry_world(world):
    """区卫生健康局 is made the 行业主管部门 of 陈集镇 by a grant row written directly (the
    service admits only 企事业单位; here every object of the walker must fall under the grant),
    with users of its own."""
    from govmedia.orgs.models import IndustrySupervision
    from tests.conftest import make_user

    objects = other_township_objects(world)
    IndustrySupervision.objects.create(
        supervisor=world.dept, supervised=world.chen, granted_by=world.alice
    )
    users = {role: make_user(f"ind_{role}", world.dept, role) for role in INDUSTRY_ROLES}
    return objects, users


def test_industry_supervision_sees_the_enterprises_accounts_and_repost_tasks(world):
    objects, users = _industry_world(world)
    client = logged_in_client(users["unit_admin"])
    assert client.get(f"/registry/accounts/{objects['account_id']}/").status_code == 200
    tasks = client.get("/api/v1/coordination/tasks?limit=100").json()
    assert objects["task_id"] in {t["id"] for t in tasks["items"]}
    # Not what the grant does not name: 陈集's users, its articles.
    assert client.get(f"/users/{world.chen_editor.pk}/edit/").status_code == 404
    assert client.get(f"/publishing/{objects['article_id']}/").status_code == 404


@pytest.mark.parametrize("role", INDUSTRY_ROLES)
def test_industry_supervision_is_refused_by_every_write_route(world, role):
    objects, users = _industry_world(world)
    assert_every_write_route_refused(users[role], objects)


def test_oversight_changes_nothing_but_the_opinion_cases_it_follows(world):
    """监督 reads the whole district (OVERSIGHT_MAY_ACT): by any route it writes nothing but on
    舆情 cases."""
    objects = other_township_objects(world)
    written = assert_every_write_route_refused(
        world.oversight, objects, allowed=("/opinion/", "/api/v1/opinion/")
    )
    assert "/api/v1/opinion/cases/{case_id}/comments" in written


def assert_every_write_route_refused(user, objects, allowed=()) -> set[str]:
    """POST to every page route that takes an id and call every API write operation on the
    objects: each is refused and nothing is written (every write is audited), but on the paths
    that start with one of `allowed`. Returns the API paths that wrote there."""
    client = logged_in_client(user)
    for route, names in id_routes():
        url = fill(route, {name: objects[name] for name in names})
        before = AuditEvent.objects.count()
        response = client.post(url, {"version": 1, "reason": "测试", "url": "https://a.cn/x"})
        # Refused (404, 403, or the service's refusal shown after a redirect), or a read-only
        # page that ignores the POST: whichever, nothing was written.
        assert response.status_code < 500, f"{user} {url}"
        assert AuditEvent.objects.count() == before or url.startswith(allowed), f"{url} wrote"
    _, key = token_create(actor=user, name="测试")
    headers, api_client, written = {"Authorization": f"Bearer {key}"}, Client(), set()
    for path, method, operation, params, components in api_id_operations():
        if method == "get":
            continue
        url = path
        for name in params:
            url = url.replace("{" + name + "}", str(objects[name]))
        body, as_json = request_body(operation, components, objects)
        before = AuditEvent.objects.count()
        response = getattr(api_client, method)(url, data=body, headers=headers, **as_json)
        if path.startswith(allowed):  # the role's own acts: only noted
            if AuditEvent.objects.count() != before:
                written.add(path)
            continue
        # 409: what the role lets them read, a stale version is refused before the guards,
        # which refuse the rest; whichever, nothing is written.
        assert response.status_code in (403, 404, 409), (
            f"{user} {method} {url}: {response.status_code} {response.content[:200]}"
        )
        assert AuditEvent.objects.count() == before, (
            f"{user} {method} {url} wrote {AuditEvent.objects.last().action}"
        )
    return written
