"""The password policy: at least 10 characters, three of four character classes, not the username."""

import string

from django.core.exceptions import ValidationError

MIN_LENGTH = 10
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
