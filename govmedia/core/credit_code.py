"""统一社会信用代码 (GB 32100-2015), validated with python-stdnum's cn.uscc."""

from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc


def credit_code_error(value: str) -> str | None:
    """None when valid, otherwise a Chinese message saying what is wrong."""
    try:
        uscc.validate(value)
    except stdnum_errors.InvalidLength:
        return "统一社会信用代码应为 18 位"
    except stdnum_errors.InvalidFormat:
        return "统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V）或格式不符"
    except stdnum_errors.InvalidChecksum:
        return "统一社会信用代码校验位错误（GB 32100-2015），请核对"
    except stdnum_errors.ValidationError:
        return "统一社会信用代码无效"
    return None


def normalize_credit_code(value: str) -> str:
    return uscc.compact(value or "")
