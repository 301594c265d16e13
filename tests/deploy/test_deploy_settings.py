"""`manage.py check --deploy` with the settings deploy/govmedia.env documents reports nothing;
an intranet without TLS starts with a loud warning instead; SQLite given as DATABASE_URL gets the
embedded default's settings."""

import subprocess
import sys

import dj_database_url
import pytest

from govmedia import settings as project_settings

from .conftest import PRODUCTION_ENV, ROOT

ENV_FILE = ROOT / "deploy" / "govmedia.env"


def documented_env(tmp_path, **overrides) -> dict:
    env = {}
    for line in ENV_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, value = line.split("=", 1)
            env[key] = value
    # The placeholders the operator must replace, replaced; the machine's paths, temporary.
    env |= {
        key: PRODUCTION_ENV[key] for key in ("SECRET_KEY", "AUDIT_HMAC_KEY", "CREDENTIALS_KEYS")
    }
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "GOVMEDIA_VAR_DIR": str(tmp_path / "var"),
        "BACKUP_DIR": str(tmp_path / "backups"),
        "PATH": "/usr/bin:/bin",
    }
    return env | overrides


def check_deploy(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_documented_setting_is_filled_in_or_marked_for_the_operator():
    text = ENV_FILE.read_text(encoding="utf-8")
    for name in ("SECRET_KEY", "AUDIT_HMAC_KEY", "CREDENTIALS_KEYS", "DATABASE_URL"):
        assert f"{name}=" in text and "【必填】" in text.split(f"\n{name}=", 1)[1].split("\n")[0]
    for name in ("TRUSTED_PROXY_COUNT", "CSRF_TRUSTED_ORIGINS", "WEB_WORKERS", "WEB_THREADS"):
        assert f"\n{name}=" in text


def test_check_deploy_with_the_documented_settings_reports_nothing(tmp_path):
    done = check_deploy(documented_env(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_an_intranet_without_tls_starts_but_says_so_loudly(tmp_path):
    done = check_deploy(documented_env(tmp_path, HTTPS="0"))
    assert done.returncode == 0, done.stdout + done.stderr
    output = done.stdout + done.stderr
    assert "govmedia.I001" in output and "明文" in output


def test_a_proxy_without_trusted_proxy_count_is_a_problem(tmp_path):
    done = check_deploy(documented_env(tmp_path, TRUSTED_PROXY_COUNT="0"))
    assert done.returncode != 0 and "govmedia.W002" in done.stderr


@pytest.mark.parametrize("url", ["sqlite:////srv/govmedia/db.sqlite3", "sqlite:///relative.db"])
def test_sqlite_given_as_a_url_gets_the_embedded_default_s_settings(url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", url)
    config = project_settings.database_config()
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == dj_database_url.parse(url)["NAME"]
    assert config["OPTIONS"] == project_settings.SQLITE_OPTIONS
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] == 20 and "WAL" in config["OPTIONS"]["init_command"]
    monkeypatch.delenv("DATABASE_URL")
    assert project_settings.database_config()["OPTIONS"] == config["OPTIONS"]
