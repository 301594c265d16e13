from django.conf import settings
from django.urls import include, path, re_path

from govmedia.api import api
from govmedia.core.views import favicon, healthz
from govmedia.counterfeit import urls as counterfeit_urls
from govmedia.publishing.views import articles as publishing_articles
from govmedia.qa import urls as qa_urls

urlpatterns = [
    path("", include("govmedia.dashboard.urls")),
    path("", include("govmedia.core.urls")),
    path("", include("govmedia.users.urls")),
    path("orgs/", include("govmedia.orgs.urls")),
    path("audit/", include("govmedia.audit.urls")),
    path("screening/", include("govmedia.screening.urls")),
    path("calendar/", include("govmedia.workdays.urls")),
    path("registry/", include("govmedia.registry.urls")),
    path("compliance/", include("govmedia.compliance.urls")),
    path("counterfeit/", include("govmedia.counterfeit.urls")),
    path("verify/", include((counterfeit_urls.public_urlpatterns, "verify"))),
    path("credentials/", include("govmedia.credentials.urls")),
    path("monitoring/", include("govmedia.monitoring.urls")),
    path("notifications/", include("govmedia.notifications.urls")),
    path("publishing/", include("govmedia.publishing.urls")),
    path("coordination/", include("govmedia.coordination.urls")),
    path("assessment/", include("govmedia.assessment.urls")),
    path("qa/", include("govmedia.qa.urls")),
    path("answers/", include((qa_urls.public_urlpatterns, "answers"))),
    path("servicelinks/", include("govmedia.servicelinks.urls")),
    path("interaction/", include("govmedia.interaction.urls")),
    path("opinion/", include("govmedia.opinion.urls")),
    # 稿件图片 (MEDIA_ROOT/publishing/<article>/<sha256>.<ext>): served to those who may see the
    # article, in development and production alike (never a public directory listing).
    re_path(
        rf"^{settings.MEDIA_URL.strip('/')}/publishing/(?P<article_id>[0-9]+)/"
        r"(?P<name>[0-9a-f]{64}\.(?:jpg|png|gif))$",
        publishing_articles.image_file,
        name="publishing_image",
    ),
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
]

# The Chinese error pages (JSON under /api/): govmedia/core/errorpages.py.
handler400 = "govmedia.core.errorpages.bad_request"
handler403 = "govmedia.core.errorpages.permission_denied"
handler404 = "govmedia.core.errorpages.page_not_found"
handler500 = "govmedia.core.errorpages.server_error"
