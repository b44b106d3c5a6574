"""Jurisdictions: the GB/T 2260 division tree, and the grids each place belongs to."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from steelwatch.core.fields import DivisionCodeField

# Significant code digits per level: a division's subtree is every code starting with its prefix.
PREFIX_LENGTH = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}


class Division(models.Model):
    class Level(models.IntegerChoices):
        PROVINCE = 1, _("省")
        CITY = 2, _("市")
        DISTRICT = 3, _("区/县")
        TOWNSHIP = 4, _("街镇/乡镇/园区")
        VILLAGE = 5, _("村/社区")

    code = DivisionCodeField(_("行政区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")

    def __str__(self):
        return self.name

    @property
    def prefix(self) -> str:
        return self.code[: PREFIX_LENGTH[self.level]]

    def contains(self, code: str | None) -> bool:
        return bool(code) and code.startswith(self.prefix)

    def ancestors(self) -> list["Division"]:
        """From the province down to this division, inclusive."""
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    @property
    def full_name(self) -> str:
        return "".join(d.name for d in self.ancestors())

    @property
    def area_name(self) -> str:
        """The name list pages show in their 区域 column: from the district down, e.g. "新北区 / 罗溪镇".
        (A city or province is shown by its own name.) Select `division__parent` to avoid a query per row."""
        chain, node = [], self
        while node is not None and node.level >= self.Level.DISTRICT:
            chain.append(node.name)
            node = node.parent
        return " / ".join(reversed(chain)) or self.name


class Grid(models.Model):
    """A patrol area inside a township, with a named grid officer (a user whose `grid` is this)."""

    code = models.CharField(_("网格编号"), max_length=32, unique=True)
    name = models.CharField(_("网格名称"), max_length=64)
    division = models.ForeignKey(
        Division, on_delete=models.PROTECT, related_name="grids", verbose_name=_("所属街镇")
    )
    villages = models.ManyToManyField(
        Division, blank=True, related_name="village_grids", verbose_name=_("包含村社区")
    )
    description = models.TextField(_("范围说明"), blank=True)
    boundary = models.JSONField(
        _("网格边界"), null=True, blank=True, help_text=_("GeoJSON Polygon 或 MultiPolygon（WGS84 经纬度）")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("网格")

    def __str__(self):
        return f"{self.name}（{self.code}）"
