"""The forms Chunnuan ships (seeds 000 篇2–篇10): declared here, registered once.

* ``CN_CONTRACT_BASE`` 开展农民工劳动合同签订春暖行动情况表（基层表）— per employer, per campaign;
* ``CN_CONTRACT_SUMMARY`` 同上（汇总表）— per township / county / city, rows by region × 行业门类 ×
  企业规模 × 规模以上;
* ``SF_DISPATCH`` 春节期间农民工服务保障工作调度表 — per township per 旬, and its summary
  ``SF_DISPATCH_SUMMARY`` per county / city by township;
* ``RETURNEE_EMPLOYMENT`` 返乡农民工就业情况表 — per township per month, and its summary.
"""

from __future__ import annotations

from chunnuan.reporting import prefill
from chunnuan.reporting.definitions import (
    AtLeast,
    EqualsSum,
    FieldDef,
    FieldKind,
    FormDef,
    UnitLevel,
    difference,
    rate,
    register_form,
    summary_form,
)
from chunnuan.reporting.periods import PeriodKind

P, E, C = FieldKind.PREFILLED, FieldKind.ENTERED, FieldKind.COMPUTED
ROSTER = "职工名册"
LEDGER = "实名制台帐"

_CONTRACT_FIELDS = (
    FieldDef("on_roll", "在册职工人数", P, source=ROSTER),
    FieldDef("on_post", "在岗职工人数", P, source=ROSTER),
    FieldDef("migrant", "其中农民工人数", P, source=ROSTER),
    FieldDef("due", "应签订劳动合同人数", P, source=ROSTER),
    FieldDef("signed", "合计", P, group="已签订劳动合同人数", source="劳动合同"),
    FieldDef("signed_fixed", "固定期限", P, group="已签订劳动合同人数", source="劳动合同"),
    FieldDef("signed_open", "无固定期限", P, group="已签订劳动合同人数", source="劳动合同"),
    FieldDef("signed_task", "以完成一定工作任务为期限", P, group="已签订劳动合同人数", source="劳动合同"),
    FieldDef("not_signed", "未签订劳动合同人数", C, formula=difference("due", "signed")),
    FieldDef("rate", "劳动合同签订率", C, unit="%", formula=rate("signed", "due"), is_rate=True),
    FieldDef("filed", "已办理劳动用工备案人数", P, source="劳动用工备案"),
    FieldDef("insured", "参加社会保险人数", P, source=ROSTER),
)
_CONTRACT_RULES = (
    AtLeast("on_roll", "on_post"),
    AtLeast("on_post", "migrant"),
    AtLeast("on_roll", "due"),
    AtLeast("due", "signed"),
    EqualsSum("signed", ("signed_fixed", "signed_open", "signed_task")),
    AtLeast("on_roll", "filed"),
    AtLeast("on_roll", "insured"),
)

CN_CONTRACT_BASE = register_form(
    FormDef(
        code="CN_CONTRACT_BASE",
        name="开展农民工劳动合同签订春暖行动情况表（基层表）",
        short_name="春暖行动基层表",
        period_kind=PeriodKind.CAMPAIGN,
        levels=(UnitLevel.EMPLOYER,),
        fields=_CONTRACT_FIELDS,
        rules=_CONTRACT_RULES,
        deadline_working_days=5,
        prefill=prefill.employer_contract_figures,
        dims=("region", "section", "size", "above_scale"),
        description="用人单位填报本单位职工、劳动合同签订、用工备案和参保情况；无账号的单位由乡镇（街道）劳动保障所代填。",
    )
)

CN_CONTRACT_SUMMARY = register_form(
    summary_form(
        CN_CONTRACT_BASE,
        code="CN_CONTRACT_SUMMARY",
        name="开展农民工劳动合同签订春暖行动情况表（汇总表）",
        short_name="春暖行动汇总表",
        levels=(UnitLevel.TOWNSHIP, UnitLevel.COUNTY, UnitLevel.CITY),
        deadline_working_days=5,
        breakdown=("region", "section", "size", "above_scale"),
        description="乡镇（街道）汇总本辖区已审核的基层表，县、市逐级汇总下级已审核的汇总表；按行业门类和企业规模分列。",
    )
)

_DISPATCH_FIELDS = (
    FieldDef("returnees", "返乡农民工人数", P, source=LEDGER),
    FieldDef("returnees_with_needs", "其中有就业创业培训需求人数", P, source=LEDGER),
    FieldDef("stayers", "留岗留居（就地过年）人数", P, source=LEDGER),
    FieldDef("gone_out", "已返岗（外出务工）人数", P, source=LEDGER),
    FieldDef("jobs_pushed", "推送岗位信息（条）", E, unit="条"),
    FieldDef("trainings", "开展职业技能培训（人次）", E, unit="人次"),
    FieldDef("households_131", "“131”服务户数", E, unit="户"),
    FieldDef("p2p_trips", "趟次", E, unit="趟", group="“点对点”运输服务"),
    FieldDef("p2p_passengers", "运送人次", E, unit="人次", group="“点对点”运输服务"),
)
_DISPATCH_RULES = (AtLeast("returnees", "returnees_with_needs"),)

SF_DISPATCH = register_form(
    FormDef(
        code="SF_DISPATCH",
        name="春节期间农民工服务保障工作调度表",
        short_name="春节旬报调度表",
        period_kind=PeriodKind.DEKAD,
        levels=(UnitLevel.TOWNSHIP,),
        fields=_DISPATCH_FIELDS,
        rules=_DISPATCH_RULES,
        deadline_working_days=2,
        prefill=prefill.township_dispatch_figures,
        dims=("region",),
        description="乡镇（街道）每旬报送返乡、留岗留居、返岗人数和服务情况、“点对点”运输趟次与人次。",
    )
)

SF_DISPATCH_SUMMARY = register_form(
    summary_form(
        SF_DISPATCH,
        code="SF_DISPATCH_SUMMARY",
        name="春节期间农民工服务保障工作调度表（汇总）",
        short_name="春节旬报调度汇总表",
        levels=(UnitLevel.COUNTY, UnitLevel.CITY),
        deadline_working_days=3,
        level_lag_working_days=1,
        breakdown=("region",),
    )
)

_RETURNEE_FIELDS = (
    FieldDef("returnees", "返乡农民工人数", P, source=LEDGER),
    FieldDef("employed", "已就业人数", P, group="已实现就业", source=LEDGER),
    FieldDef("employed_local", "其中本地就业", P, group="已实现就业", source=LEDGER),
    FieldDef("employed_away", "其中外出务工", P, group="已实现就业", source=LEDGER),
    FieldDef("self_employed", "其中自主创业", P, group="已实现就业", source=LEDGER),
    FieldDef("not_employed", "未就业人数", C, formula=difference("returnees", "employed")),
    FieldDef("seeking", "其中有就业意愿人数", P, source=LEDGER),
    FieldDef("in_training", "参加职业技能培训人数", E),
    FieldDef(
        "employment_rate",
        "返乡农民工就业率",
        C,
        unit="%",
        formula=rate("employed", "returnees"),
        is_rate=True,
    ),
)
_RETURNEE_RULES = (
    AtLeast("returnees", "employed"),
    EqualsSum("employed", ("employed_local", "employed_away", "self_employed")),
)

RETURNEE_EMPLOYMENT = register_form(
    FormDef(
        code="RETURNEE_EMPLOYMENT",
        name="返乡农民工就业情况统计表",
        short_name="返乡就业情况表",
        period_kind=PeriodKind.MONTH,
        levels=(UnitLevel.TOWNSHIP,),
        fields=_RETURNEE_FIELDS,
        rules=_RETURNEE_RULES,
        deadline_working_days=5,
        prefill=prefill.township_returnee_employment_figures,
        dims=("region",),
        description="乡镇（街道）按月报送本期返乡农民工的就业、创业、培训和求职情况。",
    )
)

RETURNEE_EMPLOYMENT_SUMMARY = register_form(
    summary_form(
        RETURNEE_EMPLOYMENT,
        code="RETURNEE_EMPLOYMENT_SUMMARY",
        name="返乡农民工就业情况统计表（汇总）",
        short_name="返乡就业情况汇总表",
        levels=(UnitLevel.COUNTY, UnitLevel.CITY),
        deadline_working_days=7,
        level_lag_working_days=2,
        breakdown=("region",),
    )
)
