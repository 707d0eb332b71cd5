import pytest

from chunnuan.employers.models import Industry

SECTION_RANGES = {
    "A": (1, 5),
    "B": (6, 12),
    "C": (13, 43),
    "D": (44, 46),
    "E": (47, 50),
    "F": (51, 52),
    "G": (53, 60),
    "H": (61, 62),
    "I": (63, 65),
    "J": (66, 69),
    "K": (70, 70),
    "L": (71, 72),
    "M": (73, 75),
    "N": (76, 79),
    "O": (80, 82),
    "P": (83, 83),
    "Q": (84, 85),
    "R": (86, 90),
    "S": (91, 96),
    "T": (97, 97),
}


@pytest.mark.django_db
def test_every_database_has_the_20_sections_and_97_divisions():
    rows = list(Industry.objects.all())
    sections = [i for i in rows if i.is_section]
    divisions = [i for i in rows if not i.is_section]
    assert len(sections) == 20 and len(divisions) == 97
    assert sorted(int(d.code) for d in divisions) == list(range(1, 98))
    for division in divisions:
        low, high = SECTION_RANGES[division.section]
        assert low <= int(division.code) <= high, division
    names = {i.code: i.name for i in rows}
    assert names["E"] == "建筑业" and names["47"] == "房屋建筑业" and names["62"] == "餐饮业"
    assert names["05"] == "农、林、牧、渔专业及辅助性活动" and names["97"] == "国际组织"
