"""What makes a key acceptable: read by settings.py at start-up (which refuses to start) and by the system
check (`steelwatch check --deploy`), so both say the same thing, naming the variable.

No Django import: settings.py calls this before Django is configured.
"""

from cryptography.fernet import Fernet

# Committed, hence public: usable only with STEELWATCH_DEV=true (make demo, the tests).
DEV_SECRET_KEY = "steelwatch-development-only-secret-key-change-me-in-production"
DEV_TIP_KEY = "q0qvq7iLZ9Yf5QqJ0oY3m7b8yYfXr2f1kVt0J6wz0bE="
DEV_ID_KEY = "yH4m2cW0l0a8r3G6v8yJq7TqzC1bH3kPp5nXw9dQe2M="
SECRET_MIN_LENGTH = 50
NEW_SECRET = "python -c 'import secrets; print(secrets.token_urlsafe(64))'"
NEW_TIP_KEY = "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"


def secret_key_problem(value: str | None, *, dev: bool) -> str | None:
    """Why `value` cannot be STEELWATCH_SECRET_KEY, or None."""
    if not value:
        return f"环境变量 STEELWATCH_SECRET_KEY 未设置：生产环境必须设置（生成：{NEW_SECRET}）"
    if len(value) < SECRET_MIN_LENGTH or len(set(value)) < 5:
        return (
            f"环境变量 STEELWATCH_SECRET_KEY 过短或过于简单（{len(value)} 个字符）：至少 {SECRET_MIN_LENGTH} 个"
            f"随机字符（生成：{NEW_SECRET}）"
        )
    if value == DEV_SECRET_KEY and not dev:
        return "环境变量 STEELWATCH_SECRET_KEY 是代码中公开的开发密钥：生产环境必须另行生成"
    return None


def _fernet_keys_problem(keys: list[str], *, dev: bool, variable: str, what: str, dev_key: str) -> str | None:
    if not keys:
        return f"环境变量 {variable} 未设置：生产环境必须设置{what}加密密钥（生成：{NEW_TIP_KEY}）"
    for position, key in enumerate(keys, 1):
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            return (
                f"环境变量 {variable} 的第 {position} 个密钥不是有效的 Fernet 密钥"
                f"（32 字节的 URL-safe Base64，共 44 个字符；生成：{NEW_TIP_KEY}）"
            )
    if dev_key in keys and not dev:
        return f"环境变量 {variable} 含有代码中公开的开发密钥：生产环境必须另行生成"
    return None


def tip_keys_problem(keys: list[str], *, dev: bool) -> str | None:
    """Why `keys` cannot be STEELWATCH_TIP_KEYS (Fernet keys encrypting reporters' identities), or None."""
    return _fernet_keys_problem(
        keys, dev=dev, variable="STEELWATCH_TIP_KEYS", what="举报人信息", dev_key=DEV_TIP_KEY
    )


def id_keys_problem(keys: list[str], *, dev: bool) -> str | None:
    """Why `keys` cannot be STEELWATCH_ID_KEYS (Fernet keys encrypting the credit list's resident ID numbers)."""
    return _fernet_keys_problem(
        keys, dev=dev, variable="STEELWATCH_ID_KEYS", what="身份证号码", dev_key=DEV_ID_KEY
    )
