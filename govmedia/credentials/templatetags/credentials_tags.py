from django import template

from govmedia.credentials import selectors

register = template.Library()


@register.filter
def credentials_visible_to(account, user) -> bool:
    """Whether `user` may open the account's 账号密码保护 page (for links from other pages)."""
    return selectors.visible_to(user, account)
