from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "govmedia.compliance"
    label = "compliance"
    verbose_name = "合规检查"

    def ready(self):
        from govmedia.orgs.events import ORGS_CHANGED
        from govmedia.registry.events import ACCOUNTS_CHANGED

        from .services import on_accounts_changed, on_orgs_changed

        ORGS_CHANGED.subscribe(on_orgs_changed)
        ACCOUNTS_CHANGED.subscribe(on_accounts_changed)
