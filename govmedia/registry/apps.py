from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "govmedia.registry"
    label = "registry"
    verbose_name = "政务新媒体与备案"

    def ready(self):
        from govmedia.orgs.events import ORG_RETYPING
        from govmedia.orgs.sections import register_section
        from govmedia.workdays.events import CALENDAR_CHANGED

        from .deadlines import recompute_open_filings
        from .excel.exports import register
        from .services.filings import refuse_retyping_a_host
        from .views.org_accounts import org_accounts_section

        register()  # the account export, also known to the task process (core.exports)
        CALENDAR_CHANGED.subscribe(recompute_open_filings)
        ORG_RETYPING.subscribe(refuse_retyping_a_host)
        register_section(org_accounts_section)
