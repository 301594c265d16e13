from django import template

from govmedia.audit.actions import action_label

register = template.Library()
register.filter("action_label", action_label)
