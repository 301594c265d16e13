from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from govmedia.api import api
from govmedia.core.views import healthz
from govmedia.counterfeit import urls as counterfeit_urls

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
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", RedirectView.as_view(url=static("govmedia/favicon.svg"), permanent=True)),
]
