from __future__ import annotations

import pytest
from django import forms
from django.utils.datastructures import MultiValueDict

from chunnuan.access.actor import Actor, system_actor
from chunnuan.regions.forms import RegionPickerField
from chunnuan.regions.models import RegionLevel

pytestmark = pytest.mark.usefixtures("loaded")


class PlaceForm(forms.Form):
    origin = RegionPickerField(label="户籍地")
    work = RegionPickerField(label="务工地", min_level=RegionLevel.TOWNSHIP, required=False)

    def __init__(self, *args: object, actor: Actor, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["work"].restrict_to(actor)  # type: ignore[attr-defined]


def test_clean_gives_regions(ningjiang_officer: Actor) -> None:
    form = PlaceForm({"origin": "500103000000", "work": "220702001000"}, actor=ningjiang_officer)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["origin"].name == "渝中区"
    assert form.cleaned_data["work"].name == "团结街道"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"origin": ""}, "origin", "必填"),
        ({"origin": "123"}, "origin", "有效的行政区划"),
        ({"origin": "999999999999"}, "origin", "有效的行政区划"),
        ({"origin": "220700000000", "work": "220721001000"}, "work", "范围"),
        ({"origin": "220700000000", "work": "220702000000"}, "work", "下一级"),
    ],
)
def test_clean_rejections(ningjiang_officer: Actor, data: dict[str, str], field: str, message: str) -> None:
    form = PlaceForm(data, actor=ningjiang_officer)
    assert not form.is_valid()
    assert any(message in error for error in form.errors[field]), form.errors


def test_the_deepest_submitted_select_wins(ningjiang_officer: Actor) -> None:
    """Without JavaScript the selects are submitted as they are: the last one is the deepest."""
    data = MultiValueDict(
        {"origin": [""], "origin__pick": ["220000000000", "220700000000", "２２０７２１００００００"]}
    )
    form = PlaceForm(data, actor=ningjiang_officer)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["origin"].code == "220721000000"


def test_restriction_is_per_form_instance(ningjiang_officer: Actor) -> None:
    PlaceForm(actor=ningjiang_officer)
    nationwide = PlaceForm({"origin": "500103000000", "work": "500103001000"}, actor=system_actor("x"))
    assert nationwide.is_valid(), nationwide.errors


def test_widget_renders_fixed_path_selects_and_hidden_input(ningjiang_officer: Actor) -> None:
    form = PlaceForm(initial={"work": "220702001000"}, actor=ningjiang_officer)
    html = str(form["work"])
    assert "吉林省 › 松原市 › 宁江区" in html
    assert '<input type="hidden" name="work" value="220702001000" id="id_work">' in html
    assert 'hx-get="/regions/picker/?name=work' in html and "root=220702000000" in html
    assert 'value="220702001000" selected' in html
    assert 'name="work__pick"' in html and "<noscript>" not in html
    origin = str(form["origin"])
    assert "吉林省</option>" in origin and "重庆市</option>" in origin
