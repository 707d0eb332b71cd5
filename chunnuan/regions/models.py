"""行政区划: the administrative division tree, down to townships (and villages where known)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from chunnuan.access.scoping import declare_global


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("省级")
    CITY = 2, _("地级")
    COUNTY = 3, _("县级")
    TOWNSHIP = 4, _("乡级")
    VILLAGE = 5, _("村级")


class RegionKind(models.TextChoices):
    PROVINCE = "province", _("省")
    MUNICIPALITY = "municipality", _("直辖市")
    AUTONOMOUS_REGION = "autonomous_region", _("自治区")
    SAR = "sar", _("特别行政区")
    CITY = "city", _("地级市")
    PREFECTURE = "prefecture", _("地区/自治州/盟")
    DISTRICT = "district", _("市辖区")
    COUNTY = "county", _("县/自治县/旗")
    COUNTY_CITY = "county_city", _("县级市")
    STREET = "street", _("街道")
    TOWN = "town", _("镇")
    TOWNSHIP = "township", _("乡/民族乡/苏木")
    DEVELOPMENT_ZONE = "development_zone", _("开发区/高新区/新区")
    INDUSTRIAL_PARK = "industrial_park", _("工业园区")
    ADMIN_COMMITTEE = "admin_committee", _("管委会等功能区")
    VILLAGE = "village", _("村/社区")
    OTHER = "other", _("其他")


# Kinds an officer may add by hand (功能区); statutory divisions come from the data file.
UNIT_KINDS = (RegionKind.DEVELOPMENT_ZONE, RegionKind.INDUSTRIAL_PARK, RegionKind.ADMIN_COMMITTEE)

# Digits of the 12-digit code that identify a region at each level (its scope prefix).
PREFIX_LENGTH = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.CITY: 4,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
    RegionLevel.VILLAGE: 12,
}


@declare_global("reference data: division names and codes are public")
class Region(models.Model):
    """行政区划 — one division (province … village) with its 12-digit statistical code.

    A retired code keeps its row with ``valid_to`` set, so history that points at it still reads.
    """

    code = models.CharField(
        _("区划代码"),
        max_length=12,
        db_index=True,
        validators=[RegexValidator(r"^[0-9]{12}$", _("区划代码应为12位数字"))],
    )
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    level = models.PositiveSmallIntegerField(_("级别"), choices=RegionLevel.choices)
    kind = models.CharField(_("类型"), max_length=32, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("启用日期"), null=True, blank=True)
    valid_to = models.DateField(_("停用日期"), null=True, blank=True)
    source = models.CharField(_("数据来源"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(valid_to__isnull=True),
                name="region_code_unique_while_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_prefix(self) -> str:
        """The code prefix that every region under this one shares (``220702`` for a county)."""
        return self.code[: PREFIX_LENGTH[RegionLevel(self.level)]]

    @property
    def region_code(self) -> str:
        """The code under which this row is audited and scoped (same as ``code``)."""
        return self.code

    @property
    def is_current(self) -> bool:
        return self.valid_to is None
