"""The one door to tips: staff by jurisdiction, the reporter by receipt and secret key."""

from django.http import Http404
from django.utils.translation import gettext as _

from steelwatch.accounts.roles import can
from steelwatch.core.access import audit_for, get_or_404, require, scope_to_jurisdiction, user_covers_division

from .crypto import key_digest, key_matches
from .models import Reward, Tip, TipAttachment


def tips_for(user):
    require(user, "tips.view")
    related = (
        "division__parent__parent",
        "enterprise",
        "case",
        "handler",
        "merged_into",
        "merged_into__case",
    )
    return scope_to_jurisdiction(Tip.objects.select_related(*related), user)


def access_tip(user, tip_id: int) -> Tip:
    return get_or_404(tips_for(user), pk=tip_id)


def access_attachment(user, tip_id: int, attachment_id: int) -> TipAttachment:
    tip = access_tip(user, tip_id)
    return get_or_404(TipAttachment.objects.filter(tip=tip), pk=attachment_id)


def access_reward(user, tip_id: int) -> Reward:
    tip = access_tip(user, tip_id)
    return get_or_404(Reward.objects.select_related("tip", "rule"), tip=tip)


def may_reveal(user, tip: Tip) -> bool:
    """Only the tip handlers of the office the tip was routed to may see who sent it."""
    return can(user, "tips.reveal") and user_covers_division(user, tip.division_id)


def access_tip_by_key(receipt: str, key: str) -> Tip:
    """The reporter's door: unknown receipt, wrong key and missing key all look the same (404)."""
    receipt = (receipt or "").strip().upper()
    tip = (
        Tip.objects.select_related("case", "merged_into", "merged_into__case").filter(receipt=receipt).first()
    )
    if tip is None:
        key_digest(receipt, key or "")  # same work either way: no timing hint that the receipt exists
        raise Http404(_("回执编号或查询密钥不正确"))
    if not key or not key_matches(receipt, key, tip.key_digest):
        raise Http404(_("回执编号或查询密钥不正确"))
    return tip


def tips_for_stats(user):
    """Statistics see the same jurisdiction, with the `tips.stats` capability (no single tip is opened)."""
    require(user, "tips.stats")
    return scope_to_jurisdiction(Tip.objects.all(), user)


def identity_reveals_for(user):
    """Every reveal of a reporter's identity in the jurisdiction, for the offices that oversee tip handling."""
    require(user, "tips.oversee")
    return (
        audit_for(user).filter(action="tip_reveal_identity", target_type="tips.tip").select_related("actor")
    )
