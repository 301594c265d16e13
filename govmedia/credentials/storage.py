"""Sealing and unsealing the secret fields of a credential row.

Each ciphertext is bound to its model, account and field (the context), so a value copied to
another row or field is refused instead of being revealed as that row's secret.
"""

from govmedia.core import crypto


def context_for(row, field: str) -> str:
    return f"{row._meta.model_name}:{row.account_id}:{field}"


def seal(row, field: str, value: str) -> None:
    token = crypto.encrypt(value, context=context_for(row, field)) if value else ""
    setattr(row, f"{field}_enc", token)


def unseal(row, field: str) -> str:
    token = getattr(row, f"{field}_enc")
    return crypto.decrypt(token, context=context_for(row, field)) if token else ""


def is_set(row, field: str) -> bool:
    return row is not None and bool(getattr(row, f"{field}_enc"))
