"""The keyring alone: AES-GCM with a key id on every ciphertext and the value bound to its place."""

import base64

import pytest

from govmedia.core import crypto
from tests.credentials.conftest import KEY_A, KEY_B


def test_round_trip_with_the_key_id_of_the_current_key():
    ring = crypto.Keyring.from_strings([KEY_A, KEY_B])
    token = ring.encrypt("秘密 secret", context="c:1:app_secret")
    assert token.startswith(f"gm1.{ring.current_id}.") and "secret" not in token
    assert ring.decrypt(token, context="c:1:app_secret") == "秘密 secret"
    # A fresh nonce every time: equal secrets do not give equal ciphertexts.
    assert ring.encrypt("x") != ring.encrypt("x")


def test_an_old_key_still_decrypts_while_listed():
    old = crypto.Keyring.from_strings([KEY_B])
    token = old.encrypt("v")
    assert crypto.Keyring.from_strings([KEY_A, KEY_B]).decrypt(token) == "v"


def test_a_missing_key_is_named_not_garbage():
    token = crypto.Keyring.from_strings([KEY_B]).encrypt("v")
    with pytest.raises(crypto.KeyNotConfigured) as exc:
        crypto.Keyring.from_strings([KEY_A]).decrypt(token)
    assert (
        crypto.token_key_id(token) in exc.value.message and "CREDENTIALS_KEYS" in exc.value.message
    )


def test_a_value_moved_to_another_place_or_altered_fails():
    ring = crypto.Keyring.from_strings([KEY_A])
    token = ring.encrypt("v", context="platformcredential:1:app_secret")
    with pytest.raises(crypto.CiphertextInvalid, match="其他账号"):
        ring.decrypt(token, context="platformcredential:2:app_secret")
    # One bit flipped in the nonce, the ciphertext or the tag. Flipped in the decoded bytes, not
    # in the Base64 text: a Base64 character can carry padding bits only, and changing it then
    # decodes to the very same bytes.
    head, kid, body = token.split(".")
    blob = base64.urlsafe_b64decode(body)
    for position in (0, crypto.NONCE_BYTES, len(blob) - 1):
        altered = bytearray(blob)
        altered[position] ^= 0x01
        altered_body = base64.urlsafe_b64encode(bytes(altered)).decode()
        with pytest.raises(crypto.CiphertextInvalid):
            ring.decrypt(f"{head}.{kid}.{altered_body}", context="platformcredential:1:app_secret")
    with pytest.raises(crypto.CiphertextInvalid, match="格式无效"):
        ring.decrypt("plain text")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([], "未设置"),
        (["not-a-key"], "第 1 个密钥无效"),
        ([KEY_A, "c2hvcnQ="], "第 2 个密钥无效"),
        ([KEY_A, KEY_A], "重复"),
    ],
)
def test_malformed_keys_are_refused_with_the_position(values, message):
    with pytest.raises(crypto.KeyringInvalid, match=message):
        crypto.Keyring.from_strings(values)


def test_generated_keys_are_valid_and_distinct():
    first, second = crypto.generate_key(), crypto.generate_key()
    assert first != second and len(crypto.parse_key(first)) == 32
