"""Settings, all from environment variables.

Development defaults are safe to run on a laptop; production (DEBUG off) refuses to start with an
insecure default rather than run with one, because a government system must fail loudly.
"""

import os
from datetime import datetime
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GOVMEDIA_VAR_DIR", BASE_DIR / "var"))

DEV_SECRET_KEY = "dev-insecure-govmedia-secret-key-change-me"
DEV_AUDIT_KEY = "dev-insecure-govmedia-audit-key-change-me"
DEV_CREDENTIALS_KEY = "Z292bWVkaWEtZGV2LWNyZWRlbnRpYWxzLWtleS0zMmI="  # 32 bytes, development only


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
AUDIT_HMAC_KEY = os.environ.get("AUDIT_HMAC_KEY", DEV_AUDIT_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
# Behind nginx on another host or port, the origin users type (https://gov.example.cn): Django's
# CSRF check compares the browser's Origin header with it.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# How many reverse proxies in front of the platform append to X-Forwarded-For (nginx: 1). The
# audit log records the address that many hops from the right; 0 trusts no header at all, since
# a client could write any address into it.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# HTTPS: on in production (nginx terminates TLS and sets X-Forwarded-Proto). An intranet without
# TLS may switch it off: cookies then travel in clear text, and every start says so loudly.
HTTPS = env_bool("HTTPS", not DEBUG)
# 账号密码保护: keys that encrypt platform credentials; the first encrypts, the others only
# decrypt while `manage.py credentials_rotate_key` moves everything to the first.
CREDENTIALS_KEYS = env_list("CREDENTIALS_KEYS", "") or ([DEV_CREDENTIALS_KEY] if DEBUG else [])
PASSWORD_ROTATION_DAYS = int(os.environ.get("PASSWORD_ROTATION_DAYS", "90"))

if not DEBUG:
    problems = []
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 32:
        problems.append("SECRET_KEY 仍为开发默认值或过短（至少 32 个字符）")
    if AUDIT_HMAC_KEY == DEV_AUDIT_KEY or len(AUDIT_HMAC_KEY) < 32:
        problems.append("AUDIT_HMAC_KEY 仍为开发默认值或过短（至少 32 个字符）")
    if "*" in ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS 不得为 *，请列出本平台的域名")
    if not CREDENTIALS_KEYS or DEV_CREDENTIALS_KEY in CREDENTIALS_KEYS:
        problems.append(
            "CREDENTIALS_KEYS 未设置：请设置账号凭据加密密钥（32 字节的 URL 安全 Base64，"
            "不得为开发默认值；可用 DEBUG=1 python manage.py credentials_rotate_key --generate 生成）"
        )
    if problems:
        raise ImproperlyConfigured("生产模式（DEBUG 关闭）拒绝启动：" + "；".join(problems))

# The district this installation serves: it titles the UI and the printed forms.
DISTRICT_NAME = os.environ.get("DISTRICT_NAME", "菏泽市定陶区")
DISTRICT_CODE = os.environ.get("DISTRICT_CODE", "371703")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_q",
    "govmedia.core",
    "govmedia.audit",
    "govmedia.orgs",
    "govmedia.users",
    "govmedia.workdays",
    "govmedia.registry",
    "govmedia.compliance",
    "govmedia.notifications",
    "govmedia.screening",
    "govmedia.credentials",
    "govmedia.monitoring",
    "govmedia.counterfeit",
    "govmedia.publishing",
    "govmedia.coordination",
    "govmedia.assessment",
    "govmedia.qa",
    "govmedia.servicelinks",
    "govmedia.interaction",
    "govmedia.opinion",
    "govmedia.dashboard",
    "govmedia.demo",
    "govmedia.backup",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "govmedia.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "govmedia.core.middleware.SessionActivityMiddleware",
    "govmedia.core.middleware.RequestContextMiddleware",
    "govmedia.core.middleware.UnstorableInputMiddleware",
    "govmedia.users.middleware.SecurityGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that its process_exception sees a view's NotFound first.
    "govmedia.core.middleware.NotFoundMiddleware",
]

ROOT_URLCONF = "govmedia.urls"
WSGI_APPLICATION = "govmedia.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "govmedia" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "govmedia.core.context_processors.platform",
            ],
        },
    },
]


# The application server's size (scripts/serve.sh, deploy/govmedia-web.service). Each gunicorn
# thread keeps at most one database connection (CONN_MAX_AGE reuses it across requests and the
# threads live as long as the worker), so one web server holds at most WEB_WORKERS × WEB_THREADS
# connections and a qcluster Q_WORKERS + 3 (its workers, pusher, monitor and scheduler): that sum is
# DATABASE_CONNECTIONS_MAX; keep the sum of all servers below PostgreSQL's max_connections.
WEB_WORKERS = int(os.environ.get("WEB_WORKERS", "2"))
Q_WORKERS = int(os.environ.get("Q_WORKERS", "1"))
WEB_THREADS = int(os.environ.get("WEB_THREADS", "4"))
CONN_MAX_AGE = int(os.environ.get("CONN_MAX_AGE", "60"))

# SQLite, the embedded default or given as DATABASE_URL=sqlite:///…: WAL lets readers work while
# the worker writes; IMMEDIATE takes the write lock at BEGIN so two writers queue on the busy
# timeout instead of failing halfway with "database is locked".
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def max_database_connections(web_workers: int, web_threads: int, q_workers: int) -> int:
    """The most PostgreSQL connections one web server and one qcluster can hold open."""
    return web_workers * web_threads + q_workers + 3


DATABASE_CONNECTIONS_MAX = max_database_connections(WEB_WORKERS, WEB_THREADS, Q_WORKERS)


def database_config() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=CONN_MAX_AGE, conn_health_checks=True)
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config["CONN_MAX_AGE"] = 0  # the file is opened per request; nothing to exhaust
            config["OPTIONS"] = SQLITE_OPTIONS | config.get("OPTIONS", {})
        return config
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "govmedia.sqlite3",
        "OPTIONS": dict(SQLITE_OPTIONS),
        # Tests use a file too: an in-memory database cannot be shared with a subprocess, and its
        # shared-cache locking fails at once instead of waiting like the real file does.
        # One file per test process, so parallel runs in one checkout never share a database.
        "TEST": {"NAME": str(VAR_DIR / f"test-govmedia-{os.getpid()}.sqlite3")},
    }


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"
LOGIN_URL = "users:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "users:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "govmedia.users.passwords.PasswordPolicyValidator"},
    {"NAME": "govmedia.users.passwords.CommonPasswordValidator"},
    {"NAME": "govmedia.users.passwords.PasswordHistoryValidator"},
]

# Security policy (等保2.0 三级): lock after 5 failures for 15 minutes, 30 idle minutes.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
# One client address stops first: after LOGIN_FAILURE_LIMIT failures on one username it may not
# try that username for LOGIN_LOCKOUT_MINUTES, after this many failures on any it may not try at
# all. An account is locked only by failures from LOGIN_FAILURE_LIMIT different addresses, or by
# LOGIN_FAILURE_LIMIT wrong second-factor codes (users/services.py).
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
# Personal API tokens: the lifetime when none is asked for, and the longest allowed.
API_TOKEN_DEFAULT_DAYS = int(os.environ.get("API_TOKEN_DEFAULT_DAYS", "90"))
API_TOKEN_MAX_DAYS = int(os.environ.get("API_TOKEN_MAX_DAYS", "365"))
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
# The age counts from the last request (an idle timeout), the expiry moved on at most once a
# SESSION_ACTIVITY_SECONDS by core.middleware.SessionActivityMiddleware rather than a session
# write on every request.
SESSION_ACTIVITY_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HTTPS behind nginx: it terminates TLS and says so in X-Forwarded-Proto (deploy/nginx-govmedia.conf
# sets it, overwriting anything a client sent). /healthz answers over plain HTTP for local probes.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
if HTTPS and not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
elif not DEBUG:
    # An intranet without TLS (HTTPS=0): Django's deploy checks for HTTPS would stop the server,
    # so they are replaced by govmedia.I001, which `check` and scripts/serve.sh print loudly.
    SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008", "security.W012", "security.W016"]
# Content-Security-Policy (govmedia.core.middleware.SecurityHeadersMiddleware): scripts only from
# our own static files, never inline; inline style attributes remain (templates and Quill use them).
CONTENT_SECURITY_POLICY = os.environ.get(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)
# Under DEBUG too, users see the Chinese error pages; a developer who wants Django's technical
# 404/500 pages (with the URL list and traceback) sets DEBUG_TECHNICAL_PAGES=1.
DEBUG_TECHNICAL_PAGES = env_bool("DEBUG_TECHNICAL_PAGES", False)
CSRF_FAILURE_VIEW = "govmedia.core.errorpages.csrf_failure"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "govmedia" / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every start without it
# Development and tests serve the app's files straight from their folders; production serves
# what collectstatic (scripts/serve.sh) wrote: compressed, with hashed names cached for a year.
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# django-q2 on the ORM broker: the embedded default needs no other server, and production scales
# out by starting more `qcluster` processes against the same PostgreSQL.
Q_CLUSTER = {
    "name": "govmedia",
    "orm": "default",
    "workers": Q_WORKERS,
    "timeout": 600,
    "retry": 900,
    "catch_up": False,
    "label": "后台任务",
}

PAGE_SIZE = 20
# A list page this many rows in is read as its keys first, then its rows (core.pagination).
PAGE_DEEP_OFFSET = 1000
# Exports of more rows than this are written by a background task (core.exports).
EXPORT_INLINE_ROWS = int(os.environ.get("EXPORT_INLINE_ROWS", "2000"))

# 一案一号: the filing number format; {year} and {seq} are filled in at the first approval.
FILING_NO_FORMAT = os.environ.get("FILING_NO_FORMAT", "定陶新媒备〔{year}〕第{seq:03d}号")

# 更新监测 (govmedia.monitoring): where each platform's API lives (the demo and the tests point
# these at the fake servers), how often each platform is pulled, and the indicator's thresholds.
PLATFORM_API_BASES = {
    "wechat-mp": os.environ.get("WECHAT_API_BASE", "https://api.weixin.qq.com"),
    "weibo": os.environ.get("WEIBO_API_BASE", "https://api.weibo.com"),
    "douyin": os.environ.get("DOUYIN_API_BASE", "https://open.douyin.com"),
    "kuaishou": os.environ.get("KUAISHOU_API_BASE", "https://open.kuaishou.com"),
}
PULL_INTERVAL_MINUTES = {"wechat-mp": 120, "weibo": 60, "douyin": 120, "kuaishou": 120} | {
    code: int(minutes)
    for code, minutes in (
        item.split("=", 1) for item in env_list("PULL_INTERVAL_MINUTES", "") if "=" in item
    )
}
PULL_THREADS = int(os.environ.get("PULL_THREADS", "16"))  # HTTP requests in flight per worker
# Pulls fetch in a child process of the worker (monitoring.fetch_process); 0: in its own threads.
PULL_FETCH_PROCESS = env_bool("PULL_FETCH_PROCESS", True)
PULL_FAILURE_LIMIT = int(os.environ.get("PULL_FAILURE_LIMIT", "3"))  # then flagged 采集失败
# 国办秘函〔2019〕19号: no update in two weeks is 单项否决; three months makes a 僵尸账号 to clean up.
DORMANT_RISK_DAYS = int(os.environ.get("DORMANT_RISK_DAYS", "14"))
DORMANT_CLEANUP_DAYS = int(os.environ.get("DORMANT_CLEANUP_DAYS", "90"))
RECTIFY_WORKDAYS = int(os.environ.get("RECTIFY_WORKDAYS", "5"))  # 整改期限（工作日）
# 咨询答问库: remind the owner unit this many days before an entry's 失效日期; the public search's
# limit per client address and minute.
QA_EXPIRY_REMIND_DAYS = int(os.environ.get("QA_EXPIRY_REMIND_DAYS", "30"))
QA_PUBLIC_SEARCH_PER_MINUTE = int(os.environ.get("QA_PUBLIC_SEARCH_PER_MINUTE", "30"))
# 掌上办事入口: how often each link is checked, how many at once, how long one may take (seconds).
SERVICELINK_CHECK_HOURS = int(os.environ.get("SERVICELINK_CHECK_HOURS", "24"))
SERVICELINK_CHECK_CONCURRENCY = int(os.environ.get("SERVICELINK_CHECK_CONCURRENCY", "20"))
SERVICELINK_CHECK_TIMEOUT = float(os.environ.get("SERVICELINK_CHECK_TIMEOUT", "10"))
# The demo's 办事入口 point at the fake service host that `make run` starts on this port (tests give
# each process a host of its own, so that two demo loads never share one that stops mid-check).
DEMO_SERVICE_HOST = os.environ.get("DEMO_SERVICE_HOST", "http://127.0.0.1:9105")
# 留言互动 (通知第三部分（二）“疑问疑惑限时解答”): the answer's time limit in working days per
# message class, e.g. "complaint=5,suggestion=10"; unnamed classes keep these defaults.
INTERACTION_DUE_DAYS = {
    "consult": 3,
    "help": 3,
    "complaint": 5,
    "suggestion": 10,
    "praise": 5,
    "other": 5,
} | {
    code: int(days)
    for code, days in (
        item.split("=", 1) for item in env_list("INTERACTION_DUE_DAYS", "") if "=" in item
    )
}
# Past the limit the unit administrators are told at once; this many working days later still
# unanswered, the district office.
INTERACTION_ESCALATE_DAYS = int(os.environ.get("INTERACTION_ESCALATE_DAYS", "2"))
INTERACTION_PULL_MINUTES = int(os.environ.get("INTERACTION_PULL_MINUTES", "30"))
# An account is alerted (once per month) when this share of its messages is unanswered past
# the limit, or when messages arrived and none was answered (单项否决 risk).
INTERACTION_ALERT_OVERDUE_PERCENT = int(os.environ.get("INTERACTION_ALERT_OVERDUE_PERCENT", "20"))
# 先审后发 (publishing.unapproved): posts published before this day (the day the review and
# publishing platform went live; an ISO date, or a date and time in local time) are not matched
# to approved revisions. The demo sets it to the moment it starts.
try:
    PUBLISHING_MATCH_SINCE = datetime.fromisoformat(
        os.environ.get("PUBLISHING_MATCH_SINCE", "2026-12-01")
    )
except ValueError:
    raise ImproperlyConfigured(
        "PUBLISHING_MATCH_SINCE 应为 YYYY-MM-DD 格式的日期或 ISO 格式的日期时间"
    ) from None

# 协同转载 (govmedia.coordination): a pulled post is a target's repost of a task's source when at
# least this share (%) of the post comes from the source (its own title and a 来源 line aside) and
# it carries at least REPOST_MATCH_CARRIED % of the source (a repost may be abridged).
REPOST_MATCH_THRESHOLD = int(os.environ.get("REPOST_MATCH_THRESHOLD", "70"))
REPOST_MATCH_CARRIED = int(os.environ.get("REPOST_MATCH_CARRIED", "40"))

# 站内通知 may also go out by e-mail through Django's mail settings (off by default: an intranet
# platform often has no mail server). The site URL makes the link in the mail absolute.
NOTIFICATION_EMAIL = env_bool("NOTIFICATION_EMAIL", False)
NOTIFICATION_EMAIL_SITE_URL = os.environ.get("NOTIFICATION_EMAIL_SITE_URL", "")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")

# 备案 never stalls silently (govmedia.registry.stalls): a filing waiting this many working days
# at one step (主管单位审核 or 区政府办公室备案) reminds whoever must act; twice as long, the
# district office.
FILING_STALL_WORKDAYS = int(os.environ.get("FILING_STALL_WORKDAYS", "3"))

# 假冒账号 (govmedia.counterfeit): candidates scoring at least this are queued for review. Only
# Weibo offers a real account search (with a token of our own application); the fake servers'
# search is for the demo and tests and must never be switched on against the real platforms.
# 舆情处置 (govmedia.opinion): time limits in CLOCK hours (opinion does not wait for working
# days), from 国办发〔2016〕61号: for 特别重大、重大 emergencies authoritative information within 5 hours
# (and a press conference within 24); important opinion about people's interests within 48 hours.
# A level's limit runs from the moment the level is set or raised (see opinion.timers).
OPINION_RESPONSE_HOURS = {"ordinary": 48, "large": 24, "major": 5, "grave": 5} | {
    level: int(hours)
    for level, hours in (
        item.split("=", 1)
        for item in os.environ.get("OPINION_RESPONSE_HOURS", "").split(",")
        if "=" in item
    )
}
# Overdue escalation (once each): to the unit at the deadline, to the district office this many
# hours later, to 网信 (监督 users) twice as late.
OPINION_ESCALATE_AFTER_HOURS = int(os.environ.get("OPINION_ESCALATE_AFTER_HOURS", "2"))
# Signals about the same event within this window make one case candidate (MinHash similarity).
OPINION_CLUSTER_WINDOW_HOURS = int(os.environ.get("OPINION_CLUSTER_WINDOW_HOURS", "72"))
OPINION_CLUSTER_THRESHOLD = float(os.environ.get("OPINION_CLUSTER_THRESHOLD", "0.5"))
# Spikes (负面评论突增): a post's negative comments within the rolling window (hours) reaching the
# minimum and exceeding the factor × its account's baseline (the mean negative comments per
# commented post over the baseline days before the window) make one signal per post per window.
OPINION_SPIKE_WINDOW_HOURS = int(os.environ.get("OPINION_SPIKE_WINDOW_HOURS", "6"))
OPINION_SPIKE_FACTOR = float(os.environ.get("OPINION_SPIKE_FACTOR", "3"))
OPINION_SPIKE_MIN_COMMENTS = int(os.environ.get("OPINION_SPIKE_MIN_COMMENTS", "10"))
OPINION_SPIKE_BASELINE_DAYS = int(os.environ.get("OPINION_SPIKE_BASELINE_DAYS", "30"))
# 舆情简报: the issuer printed in red at the top, and the Beijing hour the schedule makes the
# daily brief of the day before (and, on Mondays, the weekly brief of the week before).
OPINION_BRIEF_ISSUER = os.environ.get("OPINION_BRIEF_ISSUER", f"{DISTRICT_NAME}人民政府办公室")
OPINION_BRIEF_CC = os.environ.get("OPINION_BRIEF_CC", "区委宣传部，区委网信办")
COUNTERFEIT_THRESHOLD = int(os.environ.get("COUNTERFEIT_THRESHOLD", "50"))

# 检查考核 (assessment): the bulletin's 发文机关标志, 机关代字 (文号 定政办〔2026〕N号), 抄送, how
# many of the best accounts it commends, and the working days a failed account has to rectify.
ASSESSMENT_ISSUER = os.environ.get("ASSESSMENT_ISSUER", f"{DISTRICT_NAME}人民政府办公室")
ASSESSMENT_DOC_PREFIX = os.environ.get("ASSESSMENT_DOC_PREFIX", "定政办")
ASSESSMENT_BULLETIN_CC = os.environ.get(
    "ASSESSMENT_BULLETIN_CC", "区委办公室，区人大常委会办公室，区政协办公室"
)
ASSESSMENT_COMMEND_COUNT = int(os.environ.get("ASSESSMENT_COMMEND_COUNT", "5"))
ASSESSMENT_RECTIFY_WORKDAYS = int(os.environ.get("ASSESSMENT_RECTIFY_WORKDAYS", "10"))
WEIBO_SEARCH_ACCESS_TOKEN = os.environ.get("WEIBO_SEARCH_ACCESS_TOKEN", "")
PLATFORM_SANDBOX_SEARCH = env_bool("PLATFORM_SANDBOX_SEARCH", False)

# Backups (govmedia.backup): where `manage.py backup_create` and its daily schedule write, and
# how many days a backup is kept. Monthly audit exports (backup_dir/audit/) are never pruned.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))
BACKUP_RETENTION_DAYS = int(os.environ.get("BACKUP_RETENTION_DAYS", "30"))
# 网络安全法 第二十一条: network logs are kept at least six months. The platform never deletes an
# audit event; this only refuses a configuration that would promise less.
AUDIT_RETENTION_MONTHS = int(os.environ.get("AUDIT_RETENTION_MONTHS", "6"))
if AUDIT_RETENTION_MONTHS < 6:
    raise ImproperlyConfigured("AUDIT_RETENTION_MONTHS 不得少于 6 个月（网络安全法 第二十一条）")

# Logs go to stdout/stderr (systemd's journal in production). One JSON line per request from
# govmedia.requests (RequestContextMiddleware) when REQUEST_LOG is on, as it is in production.
REQUEST_LOG = env_bool("REQUEST_LOG", not DEBUG)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"bare": {"format": "%(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "requests": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "bare",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "govmedia.requests": {"handlers": ["requests"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
        # One line per platform API request would bury everything else (10,000 accounts a round).
        "httpx": {"level": "WARNING"},
    },
}
