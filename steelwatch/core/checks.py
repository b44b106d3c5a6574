"""System checks (`steelwatch check`, and every start of the server): the keys, by the rules settings.py
applies at start-up, and — with `--deploy` — that development mode is off."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from .keys import id_keys_problem, secret_key_problem, tip_keys_problem


@register(Tags.security)
def check_keys(app_configs=None, **kwargs):
    dev = getattr(settings, "DEV", False)
    errors = []
    if problem := secret_key_problem(settings.SECRET_KEY, dev=dev):
        errors.append(Error(problem, hint="STEELWATCH_SECRET_KEY", id="steelwatch.E001"))
    if problem := tip_keys_problem(list(settings.TIP_ENCRYPTION_KEYS), dev=dev):
        errors.append(Error(problem, hint="STEELWATCH_TIP_KEYS", id="steelwatch.E002"))
    if problem := id_keys_problem(list(getattr(settings, "CREDIT_ID_KEYS", [])), dev=dev):
        errors.append(Error(problem, hint="STEELWATCH_ID_KEYS", id="steelwatch.E004"))
    return errors


@register(Tags.security, deploy=True)
def check_production_mode(app_configs=None, **kwargs):
    if getattr(settings, "DEV", False):
        return [
            Error(
                "STEELWATCH_DEV=true：开发模式（公开的开发密钥、非 HTTPS Cookie）不得用于生产部署",
                hint="生产环境去掉 STEELWATCH_DEV，并设置 docs/running.md 所列的变量",
                id="steelwatch.E003",
            )
        ]
    return []
