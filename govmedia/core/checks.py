"""Deployment checks of our own, run by `manage.py check --deploy` (scripts/serve.sh refuses to
start while it reports a warning or worse)."""

from django.conf import settings
from django.core.checks import Info, Tags, Warning, register

NO_TLS = (
    "警告：HTTPS=0，本平台以明文 HTTP 提供服务：登录密码、会话 Cookie 与个人信息可在内网中被截获。"
    "仅限没有 TLS 证书的隔离内网临时使用，请尽快在 nginx 配置证书并去掉 HTTPS=0。"
)


@register(Tags.security, deploy=True)
def https_switched_off(app_configs, **kwargs):
    if settings.DEBUG or settings.HTTPS:
        return []
    return [Info(NO_TLS, id="govmedia.I001")]


@register(Tags.security, deploy=True)
def proxy_settings(app_configs, **kwargs):
    problems = []
    if not settings.DEBUG and settings.HTTPS and not settings.TRUSTED_PROXY_COUNT:
        problems.append(
            Warning(
                "TRUSTED_PROXY_COUNT 为 0：在 nginx 之后运行时审计日志只能记录代理的地址。",
                hint="nginx 与平台之间只有一层代理时设置 TRUSTED_PROXY_COUNT=1（见 deploy/govmedia.env）。",
                id="govmedia.W002",
            )
        )
    return problems
