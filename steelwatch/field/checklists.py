"""What a patrol checks, per kind of site (a rule table: site kind → checklist items), and what a finding
at a site that should be dead means. Each item is answered yes (seen) / no (not seen)."""

from django.utils.translation import gettext_lazy as _

from steelwatch.registry.models import Enterprise

ITEMS = {
    "production_signs": _("有生产迹象（炉体发热、冒烟、噪声、工人作业）"),
    "new_equipment": _("新增设备或设备恢复安装"),
    "scrap_or_billet_trucks": _("有运送废钢或钢坯的车辆"),
    "power_use": _("有明显用电（变压器运行、电表走字）"),
    "seals_intact": _("封存设备封条完好"),
    "licence_shown": _("生产许可证公示在场"),
}
# Items that, answered "yes", are a bad sign; the others (seals, licence) are bad when answered "no".
BAD_WHEN_YES = {"production_signs", "new_equipment", "scrap_or_billet_trucks", "power_use"}

DEAD_STATUSES = (Enterprise.Status.IDLE, Enterprise.Status.CLOSED, Enterprise.Status.BANNED)
SITE_CHECKLISTS = {
    "dead": ["production_signs", "new_equipment", "scrap_or_billet_trucks", "power_use", "seals_intact"],
    "operating": ["new_equipment", "scrap_or_billet_trucks", "power_use", "seals_intact", "licence_shown"],
}


def site_kind(enterprise: Enterprise) -> str:
    return "dead" if enterprise.status in DEAD_STATUSES else "operating"


def checklist_for(enterprise: Enterprise) -> list[tuple[str, str]]:
    return [(key, str(ITEMS[key])) for key in SITE_CHECKLISTS[site_kind(enterprise)]]


def shows_production(enterprise: Enterprise, checklist: dict, finding: str) -> bool:
    """A finding of production signs at a site that should be dead (idle, closed or banned)."""
    if site_kind(enterprise) != "dead":
        return False
    return finding == "production_signs" or bool(checklist.get("production_signs"))


# What the server flags on a check-in (CheckIn.flags), as the officer and the office read it.
FLAG_LABELS = {
    "far_from_site": _("签到位置距企业较远"),
    "site_position_unknown": _("台账中无企业位置"),
    "outside_grid": _("签到位置不在网格内"),
    "low_accuracy": _("定位精度较低"),
    "not_own_grid": _("非本人网格的企业"),
    "gcj02_converted": _("已由 GCJ-02 换算为 WGS-84"),
    "no_photo": _("未附照片"),
    "photo_time_mismatch": _("照片拍摄时间与签到时间不符"),
    "production_signs_at_dead_site": _("停产、关停企业发现生产迹象，已生成告警"),
    "no_power_account": _("该企业无供电户号，未能生成用电告警"),
}


def flag_labels(flags: list[str]) -> list[str]:
    return [str(FLAG_LABELS.get(flag, flag)) for flag in flags]
