"""Which organizations a user may see or act on: the one place that decides it.

Every page, API endpoint, export and search gets its rows through `restrict(user, action)`, so
a new view cannot forget the rule. Scope is an org subtree: a user acts on the org they belong to
and everything under it; district-wide roles (平台管理员, 监督) see the whole tree.
"""

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Q

from .roles import DISTRICT_WIDE_ROLES, role_allows


def sees_whole_district(user) -> bool:
    return user.role in DISTRICT_WIDE_ROLES


def may(user, action: str) -> bool:
    """Whether the user's role grants the action anywhere (scope aside)."""
    return bool(
        user and user.is_authenticated and user.is_active and role_allows(user.role, action)
    )


def org_subtree_q(user, org_field: str) -> Q:
    """Q selecting rows whose organization (reached by `org_field`) the user may reach.

    `org_field` is "" for Organization itself, "org" for a model with an `org` foreign key,
    "host_org" for a media account, and so on.
    """
    if sees_whole_district(user):
        return Q()
    prefix = f"{org_field}__" if org_field else ""
    if user.org_id is None:
        return Q(pk__in=[])
    return Q(**{f"{prefix}path__startswith": user.org.path})


def industry_q(user, org_field: str) -> Q:
    """行业指导: Q selecting rows whose organization (reached by `org_field`) is a 企事业单位
    that the user's unit (or a unit above it) is the 行业主管部门 of, by an explicit grant row
    (orgs.IndustrySupervision). For viewing only: no write action ever uses it."""
    if user.org_id is None:
        return Q(pk__in=[])
    supervision = apps.get_model("orgs", "IndustrySupervision")
    outer = f"{org_field}_id" if org_field else "pk"
    grants = supervision.objects.filter(
        supervisor_id__in=[*user.org.ancestor_ids(), user.org_id], supervised_id=OuterRef(outer)
    )
    return Q(Exists(grants))


class RestrictedQuerySet(models.QuerySet):
    """Base queryset of every org-scoped model (after NetBox's RestrictedQuerySet).

    A model declares `scope_action_prefix` (e.g. "orgs") and `scope_org_field` (the path to its
    Organization, "" for Organization itself); `scope_extra_org_fields` names further paths
    through which a row becomes visible (a filing to its supervising unit); a model that sets
    `scope_industry = True` is also visible, to view only, to the 行业主管部门 of its unit
    (industry_q).
    """

    def restrict(self, user, action: str = "view"):
        model = self.model
        if not may(user, f"{model.scope_action_prefix}.{action}"):
            return self.none()
        visible = org_subtree_q(user, model.scope_org_field)
        for extra_field in getattr(model, "scope_extra_org_fields", ()):
            visible |= org_subtree_q(user, extra_field)
        industry = action == "view" and getattr(model, "scope_industry", False)
        if industry and not sees_whole_district(user):  # (Q() ORed would narrow it)
            visible |= industry_q(user, model.scope_org_field)
        return self.filter(visible)


def get_scoped(queryset, user, pk, action: str = "view"):
    """One object by id within the user's scope, or NotFound: never says whether it exists.

    To lock the row, pass `Model.objects.select_for_update(of=("self",))`: the scope filter may
    join other tables, whose rows must not be locked (nor, on PostgreSQL, can a nullable outer
    join be locked at all).
    """
    from .errors import NotFound

    try:
        return queryset.restrict(user, action).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise NotFound("对象不存在或您无权访问") from None
