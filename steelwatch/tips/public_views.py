"""The public channel (no login): submit a tip; come back with receipt and key to follow it.

Never logged, never cached: the key is shown once in the response to the submission and is then only
ever posted back (never put in a URL, a cookie or the session).
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from steelwatch.geo.region import region

from .access import access_tip_by_key
from .forms import SENSITIVE_FIELDS, LookupForm, TipForm, add_service_errors
from .guards import TooLarge, check_upload_quota, count_accepted, guarded
from .selectors import public_view
from .services import reward_claim, tip_question_answer, tip_submit, tip_supplement_add


def refusal(request, message: str, status: int):
    return render(request, "tips/public_refused.html", {"message": message}, status=status)


@csrf_exempt
@sensitive_post_parameters(*SENSITIVE_FIELDS)
@guarded("submit", refusal)
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
@sensitive_variables("form", "kwargs")
def submit(request):
    root = region()
    if request.method == "POST" and request.POST.get("pick"):  # the cascade without JavaScript: next step
        return render(
            request,
            "tips/public_submit.html",
            {"form": TipForm(initial=request.POST.dict(), root=root, areas=request.POST)},
        )
    form = TipForm(request.POST or None, root=root, areas=request.GET)
    if request.method == "POST":
        try:
            check_upload_quota(request)
        except TooLarge as exc:
            return refusal(request, str(exc), 413)
        if form.is_valid():
            try:
                tip, key = tip_submit(
                    channel="web", files=request.FILES.getlist("files"), **form.service_kwargs()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if key:  # a new tip (a replayed form returns the first one without its key)
                    count_accepted(request, "submit")
                return render(
                    request, "tips/public_receipt.html", {"receipt": tip.receipt, "key": key}, status=201
                )
    return render(request, "tips/public_submit.html", {"form": form}, status=400 if form.errors else 200)


# What the reporter can do on the status page, each with the POST fields it reads.
ACTIONS = {
    "answer": lambda request, tip: tip_question_answer(
        tip=tip, question_id=int(request.POST.get("question") or 0), answer=request.POST.get("answer", "")
    ),
    "supplement": lambda request, tip: tip_supplement_add(
        tip=tip, text=request.POST.get("text", ""), files=request.FILES.getlist("files")
    ),
    "claim": lambda request, tip: reward_claim(tip=tip, payment=request.POST.get("payment", "")),
}
DONE = {
    "answer": _("回答已提交"),
    "supplement": _("补充材料已提交"),
    "claim": _("领奖信息已提交，请等待发放"),
}


@csrf_exempt
@sensitive_post_parameters(*SENSITIVE_FIELDS)
@guarded("lookup", refusal)
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
@sensitive_variables("form")
def status(request):
    """GET: the receipt/key form. POST: the tip's status (and an action, if one was posted)."""
    form = LookupForm(request.POST or None)
    if request.method == "GET" or not form.is_valid():
        return render(request, "tips/public_lookup.html", {"form": form})
    try:
        check_upload_quota(request)
        tip = access_tip_by_key(form.cleaned_data["receipt"], form.cleaned_data["key"])
    except TooLarge as exc:
        return refusal(request, str(exc), 413)
    except Http404:
        form.add_error(None, _("回执编号或查询密钥不正确"))
        return render(request, "tips/public_lookup.html", {"form": form}, status=404)
    action, error, done = request.POST.get("action", ""), "", ""
    if action in ACTIONS:
        try:
            ACTIONS[action](request, tip)
            done = DONE[action]
        except (ValidationError, ValueError) as exc:
            error = "；".join(getattr(exc, "messages", [str(exc)]))
    return render(
        request,
        "tips/public_status.html",
        {
            "view": public_view(tip),
            "receipt": tip.receipt,
            "key": form.cleaned_data["key"],
            "error": error,
            "done": done,
        },
    )
