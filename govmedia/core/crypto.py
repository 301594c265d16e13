"""Encryption at rest of the platform's secrets: AES-256-GCM under keys from the environment.

What it protects: the platform credentials and bound phones of 账号密码保护 (credentials app) and
the users' TOTP secrets (users app), so that a reader of the database or of a backup can neither
call a platform's API nor generate anyone's second-factor codes.

`CREDENTIALS_KEYS` lists keys (URL-safe Base64 of 32 bytes, as `Fernet.generate_key()` makes
them), comma-separated; the first encrypts, the others only decrypt, so a key can be rotated
without downtime: add the new key in front, run `credentials_rotate_key`, then drop the old one.

A ciphertext reads `gm1.<key id>.<Base64 of nonce + ciphertext + tag>`. The key id is a
fingerprint of the key (never the key), so rotation knows which key wrote a value, and a value
written under a key that is no longer configured is reported as exactly that instead of as
garbage. Each value is bound to its place (`context`, e.g. "credential:12:app_secret") as GCM's
associated data: a ciphertext copied into another account's row fails to decrypt.
`credentials_rotate_key` re-encrypts every one of these values under the current key.

The Keyring is pure (no Django); the module functions read the keys from Django's settings.
It lives in core because apps on several layers seal values with it (users below credentials).
"""

import base64
import binascii
import hashlib
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "gm1"
NONCE_BYTES = 12
KEY_BYTES = 32

logger = logging.getLogger(__name__)


class CredentialCryptoError(Exception):
    """A stored secret cannot be decrypted, or the keys are misconfigured.

    Never a user's mistake: the message (Chinese) is for the administrator who must fix the keys.
    """

    def __init__(self, message: str, *, key_id: str = ""):
        super().__init__(message)
        self.message = message
        self.key_id = key_id


class KeyringInvalid(CredentialCryptoError):
    """CREDENTIALS_KEYS is empty or holds something that is not a 32-byte key."""


class KeyNotConfigured(CredentialCryptoError):
    """The value was encrypted under a key that CREDENTIALS_KEYS no longer lists."""


class CiphertextInvalid(CredentialCryptoError):
    """Not one of our ciphertexts, altered, or moved to another row or field."""


def key_id(key: bytes) -> str:
    # Domain-separated so the fingerprint is useless for anything but naming the key. The label
    # predates the move to core and must stay: it names the keys of every stored ciphertext.
    return hashlib.sha256(b"govmedia/credentials/key-id\0" + key).hexdigest()[:8]


def parse_key(text: str, position: int = 1) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise KeyringInvalid(
            f"CREDENTIALS_KEYS 第 {position} 个密钥无效：应为 32 字节密钥的 URL 安全 Base64 编码"
            "（44 个字符，可用 python manage.py credentials_rotate_key --generate 生成）"
        )
    return key


def generate_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode()


def token_key_id(token: str) -> str:
    """The id of the key that wrote `token` (raises CiphertextInvalid if it is not a token)."""
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != PREFIX or len(parts[1]) != 8:
        raise CiphertextInvalid("密文格式无效：不是本平台加密写入的数据")
    return parts[1]


@dataclass(frozen=True)
class Keyring:
    keys: tuple[tuple[str, bytes], ...]  # (key id, key); the first is the current key

    @classmethod
    def from_strings(cls, values: Iterable[str]) -> "Keyring":
        keys, seen = [], set()
        for position, text in enumerate(values, start=1):
            key = parse_key(text, position)
            kid = key_id(key)
            if kid in seen:
                raise KeyringInvalid(f"CREDENTIALS_KEYS 第 {position} 个密钥与前面的密钥重复")
            seen.add(kid)
            keys.append((kid, key))
        if not keys:
            raise KeyringInvalid(
                "CREDENTIALS_KEYS 未设置：没有可用于加密账号凭据和动态验证码密钥的密钥"
            )
        return cls(tuple(keys))

    @property
    def current_id(self) -> str:
        return self.keys[0][0]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(kid for kid, _ in self.keys)

    def _key(self, kid: str) -> bytes:
        for candidate, key in self.keys:
            if candidate == kid:
                return key
        raise KeyNotConfigured(
            f"无法解密：该数据由编号为 {kid} 的密钥加密，而当前 CREDENTIALS_KEYS 中没有这个密钥"
            "（密钥配置错误或已被移除）。请恢复该密钥，必要时运行 credentials_rotate_key 改用新密钥",
            key_id=kid,
        )

    def encrypt(self, plaintext: str, key_id: str | None = None, *, context: str = "") -> str:
        kid = key_id or self.current_id
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self._key(kid)).encrypt(nonce, plaintext.encode(), context.encode())
        return f"{PREFIX}.{kid}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str, *, context: str = "") -> str:
        kid = token_key_id(token)
        key = self._key(kid)
        try:
            blob = base64.urlsafe_b64decode(token.split(".")[2])
            plain = AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], context.encode())
        except (binascii.Error, ValueError, InvalidTag):
            raise CiphertextInvalid(
                f"密文校验失败（密钥 {kid}）：数据已被改动，或被复制到了其他账号、其他用户或其他字段",
                key_id=kid,
            ) from None
        return plain.decode()


# The keyring of Django's settings -------------------------------------------------------------

_warned_dev_key = False


@lru_cache(maxsize=4)
def _keyring_for(values: tuple[str, ...]) -> Keyring:
    return Keyring.from_strings(values)


def validate_settings() -> None:
    """Raise KeyringInvalid if CREDENTIALS_KEYS is malformed (at startup, without the warning)."""
    from django.conf import settings

    _keyring_for(tuple(settings.CREDENTIALS_KEYS))


def keyring() -> Keyring:
    """The configured keyring; re-read when the settings change (tests override them)."""
    global _warned_dev_key
    from django.conf import settings

    values = tuple(settings.CREDENTIALS_KEYS)
    ring = _keyring_for(values)
    dev_key = getattr(settings, "DEV_CREDENTIALS_KEY", None)
    if dev_key and dev_key in values and not _warned_dev_key:
        _warned_dev_key = True
        logger.warning(
            "CREDENTIALS_KEYS 未设置，正在使用开发用固定密钥加密账号凭据和动态验证码密钥；生产环境必须设置自己的密钥"
        )
    return ring


def encrypt(plaintext: str, key_id: str | None = None, *, context: str = "") -> str:
    return keyring().encrypt(plaintext, key_id, context=context)


def decrypt(token: str, *, context: str = "") -> str:
    return keyring().decrypt(token, context=context)
