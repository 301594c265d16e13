"""Production refuses to start without its own CREDENTIALS_KEYS; a malformed key refuses always."""

from tests.core.test_api_and_health import run_settings
from tests.credentials.conftest import KEY_A

PRODUCTION = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "gov.example",
    "SECRET_KEY": "s" * 50,
    "AUDIT_HMAC_KEY": "a" * 40,
}


def test_production_without_credentials_keys_refuses_to_start():
    result = run_settings(PRODUCTION)
    assert result.returncode != 0 and "CREDENTIALS_KEYS 未设置" in result.stderr
    dev_key = run_settings(
        PRODUCTION | {"CREDENTIALS_KEYS": "Z292bWVkaWEtZGV2LWNyZWRlbnRpYWxzLWtleS0zMmI="}
    )
    assert dev_key.returncode != 0 and "CREDENTIALS_KEYS" in dev_key.stderr
    assert run_settings(PRODUCTION | {"CREDENTIALS_KEYS": KEY_A}).returncode == 0


def test_a_malformed_key_refuses_to_start_even_in_development():
    result = run_settings({"DEBUG": "1", "CREDENTIALS_KEYS": f"{KEY_A},not-a-key"})
    assert result.returncode != 0 and "CREDENTIALS_KEYS 第 2 个密钥无效" in result.stderr
