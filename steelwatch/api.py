"""API v1: one NinjaAPI, bearer-token auth, each app contributing a router."""

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import ValidationError as RequestValidationError
from ninja.security import HttpBearer

from steelwatch.accounts.access import token_user
from steelwatch.core.api import validation_detail


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = token_user(token)
        if user is None:
            return None
        request.user = user
        return user


api = NinjaAPI(
    title="SteelWatch API",
    version="1",
    description="严防“地条钢”监管平台接口：台账、用电数据、告警、案件、举报、市场监管、督查考核、信用名单。认证：Authorization: Bearer <令牌>。",
    auth=BearerToken(),
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def django_validation_error(request, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        detail = [
            {"loc": ["body", field], "msg": "；".join(str(m) for e in errors for m in e.messages)}
            for field, errors in exc.error_dict.items()
        ]
    else:
        detail = [{"loc": ["body"], "msg": "；".join(exc.messages)}]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(RequestValidationError)
def request_validation_error(request, exc: RequestValidationError):
    """ninja's own 422 (a missing field, a word where a number belongs) in Chinese naming the field;
    `detail[].loc` and `type` as ninja gives them."""
    return api.create_response(request, {"detail": validation_detail(exc.errors)}, status=422)


@api.exception_handler(MultiPartParserError)
def unreadable_multipart(request, exc):
    """A multipart body without (or with a broken) boundary: the caller's mistake, never a 500."""
    return api.create_response(
        request, {"detail": "请求体无法解析：multipart/form-data 缺少或含有无效的 boundary"}, status=400
    )


@api.exception_handler(RequestDataTooBig)
def body_too_large(request, exc):
    return api.create_response(request, {"detail": "请求体过大"}, status=413)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "无权执行此操作"}, status=403)


def _mount_routers() -> None:
    from steelwatch.cases.api import router as cases_router
    from steelwatch.credit.api import public_router as credit_public_router
    from steelwatch.credit.api import router as credit_router
    from steelwatch.field.api import router as field_router
    from steelwatch.market.api import router as market_router
    from steelwatch.oversight.api import router as oversight_router
    from steelwatch.power.api import router as power_router
    from steelwatch.registry.api import router as registry_router
    from steelwatch.tips.api import router as tips_router

    api.add_router("/", registry_router)
    api.add_router("/", power_router)
    api.add_router("/", cases_router)
    api.add_router("/", tips_router)
    api.add_router("/", market_router)
    api.add_router("/", oversight_router)
    api.add_router("/", credit_router)
    api.add_router("/", credit_public_router)
    api.add_router("/", field_router)


_mount_routers()
