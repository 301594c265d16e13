"""Chinese names of audit actions, for pages and exports. Codes stay stable in the database."""

ACTION_LABELS = {
    "org.create": "新建单位",
    "org.update": "修改单位",
    "org.move": "调整隶属关系",
    "org.abolish": "撤销单位",
    "org.merge": "整合单位",
    "user.create": "新建用户",
    "user.update": "修改用户",
    "user.move": "随单位整合转移",
    "user.login": "登录",
    "user.login_failed": "登录失败",
    "user.totp_failed": "动态验证码错误",
    "user.locked": "账号锁定",
    "user.unlock": "解除锁定",
    "user.reset_password": "重置密码",
    "user.change_password": "修改密码",
    "user.enable_totp": "启用双因素认证",
    "user.disable_totp": "停用双因素认证",
    "user.reset_totp": "重置双因素认证",
    "token.create": "创建接口令牌",
    "token.revoke": "吊销接口令牌",
}


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code)
