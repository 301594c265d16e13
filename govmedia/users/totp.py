"""TOTP secrets at rest: sealed with the platform keyring (core.crypto), never stored in clear.

A reader of the database or of a backup holds only `gm1.<key id>.<…>` ciphertexts and cannot
generate anyone's codes. Each ciphertext is bound to its user (the username, which never changes)
so a ciphertext copied from one's own row into an administrator's row does not decrypt there.
`credentials_rotate_key` re-encrypts these values with the credentials.
"""

import secrets

import pyotp
from django.utils import timezone

from govmedia.core import crypto


def context_for(username: str) -> str:
    return f"users.user:{username}:totp_secret"


def seal(secret: str, username: str) -> str:
    return crypto.encrypt(secret, context=context_for(username)) if secret else ""


def unseal(token: str, username: str) -> str:
    return crypto.decrypt(token, context=context_for(username)) if token else ""


def matching_step(secret: str, code: str, after_step: int, now=None) -> int | None:
    """The time step the code belongs to (±1 step for clock drift), if it is newer than after_step."""
    code = (code or "").strip().replace(" ", "")
    if not secret or not (code.isascii() and code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(now or timezone.now())
    for step in (now_step - 1, now_step, now_step + 1):
        if step > after_step and secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None
