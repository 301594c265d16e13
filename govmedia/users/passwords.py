"""The password policy: at least 10 characters, three of four character classes, not the username,
not a common password, not one of the last five."""

import string

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

MIN_LENGTH = 10
HISTORY_COUNT = 5
CLASSES = (
    ("小写字母", set(string.ascii_lowercase)),
    ("大写字母", set(string.ascii_uppercase)),
    ("数字", set(string.digits)),
    ("符号", set(string.punctuation)),
)


def password_problems(password: str, username: str = "") -> list[str]:
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"密码至少 {MIN_LENGTH} 个字符")
    present = sum(1 for _, chars in CLASSES if chars & set(password))
    if present < 3:
        problems.append("密码须包含大写字母、小写字母、数字、符号中的至少三类")
    if username and username.lower() in password.lower():
        problems.append("密码不得包含用户名")
    return problems


class PasswordPolicyValidator:
    def validate(self, password, user=None):
        problems = password_problems(password, getattr(user, "username", "") or "")
        if problems:
            raise ValidationError(problems)

    def get_help_text(self):
        return "至少 10 个字符，包含大写字母、小写字母、数字、符号中的至少三类，且不得包含用户名。"


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Django's list of 20,000 common passwords (compared lowercased), with a Chinese message."""

    def get_error_message(self):
        return "该密码属于常见密码，容易被猜中，请换一个"

    def get_help_text(self):
        return "不得使用常见密码。"


class PasswordHistoryValidator:
    """A new password may not be the current one or one of the last `count` (their hashes are
    kept in PasswordHistory; the passwords themselves never are)."""

    def __init__(self, count: int = HISTORY_COUNT):
        self.count = count

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        from .models import PasswordHistory

        recent = PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)
        # hashers.check_password, not user.check_password: never re-hash and save here.
        for encoded in [user.password, *recent[: self.count]]:
            if encoded and check_password(password, encoded):
                raise ValidationError(
                    f"新密码不能与最近 {self.count} 次使用过的密码相同", code="password_reused"
                )

    def get_help_text(self):
        return f"不得与最近 {self.count} 次使用过的密码相同。"
