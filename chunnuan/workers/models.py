"""农民工实名制台帐: the real-name ledger. This issue ships the person record; the ledger issue
grows it (history, groups, needs, intentions)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from chunnuan.access.scoping import RegionScopedModel
from chunnuan.core.fields import EncryptedCharField, PersonalDataModel


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Worker(RegionScopedModel, PersonalDataModel):
    """农民工 — one person, keyed by the resident ID number (encrypted; found by its keyed hash).

    Visible to the officers of the origin (户籍地) and of the place of work (务工地).
    """

    scope_region_fields = ("origin_region_code", "work_region_code")
    scope_worker_field = "id"

    name = models.CharField(_("姓名"), max_length=60)
    id_number = EncryptedCharField(_("身份证号码"), kind="id_number", hash_field="id_number_hash")
    id_number_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    phone = EncryptedCharField(_("联系电话"), kind="phone", hash_field="phone_hash")
    phone_hash = models.CharField(max_length=64, null=True, blank=True, db_index=True, editable=False)
    origin_region_code = models.CharField(_("户籍地区划代码"), max_length=12, db_index=True)
    work_region_code = models.CharField(_("务工地区划代码"), max_length=12, db_index=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("农民工")
        verbose_name_plural = _("农民工")
        ordering = ["origin_region_code", "id"]

    def __str__(self) -> str:
        return self.name
