"""Select placeholders are Chinese ("请选择") on every form, never Django's "---------"."""

import pytest
from django import forms
from django.urls import reverse

from steelwatch.core.forms import EMPTY_LABEL, Form, localize_empty_choices
from steelwatch.geo.models import Grid
from steelwatch.registry.forms import EnterpriseForm, FurnaceForm, LicenceForm, PowerAccountForm

pytestmark = pytest.mark.django_db


def test_shared_base_replaces_django_blank_choices_and_keeps_meaningful_ones():
    class Sample(Form):
        grid = forms.ModelChoiceField(Grid.objects.all(), required=False)
        kind = forms.ChoiceField(choices=[("", "---------"), ("a", "甲")])
        status = forms.ChoiceField(choices=[("", "全部"), ("a", "甲")])

    html = str(Sample())
    assert "---------" not in html and html.count(str(EMPTY_LABEL)) == 2 and "全部" in html
    plain = forms.Form()
    plain.fields["kind"] = forms.ChoiceField(choices=[("", "- Select an option -"), ("a", "甲")])
    localize_empty_choices(plain)
    assert plain.fields["kind"].choices[0] == ("", EMPTY_LABEL)


def test_ledger_forms_have_chinese_placeholders(owner):
    for form_class in (EnterpriseForm, FurnaceForm, LicenceForm, PowerAccountForm):
        html = str(form_class(user=owner))
        assert "---------" not in html and "Select an option" not in html, form_class.__name__
    assert str(EMPTY_LABEL) in str(EnterpriseForm(user=owner)["grid"])
    assert 'placeholder="输入区县、街镇、村社区名称或代码"' in str(
        EnterpriseForm(user=owner)["division"]
    )  # a picker


def test_pages_with_selects_show_no_django_placeholder(client, owner, enterprise):
    client.force_login(owner)
    for url in (
        reverse("registry:enterprise_create"),
        reverse("registry:enterprise_edit", args=[enterprise.pk]),
        reverse("registry:furnace_create", args=[enterprise.pk]),
        reverse("registry:power_account_create", args=[enterprise.pk]),
        reverse("cases:case_create"),
        reverse("power:alert_list"),
        reverse("power:upload"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "---------" not in response.content.decode(), url
