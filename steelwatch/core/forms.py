"""The forms' shared base: a select's empty choice reads "请选择", never Django's "---------"."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EMPTY_LABEL = _("请选择")
# What Django (and older templates) put on the empty choice of a select.
_DJANGO_BLANKS = {"---------", "—", "- Select an option -"}


def localize_empty_choices(form: forms.BaseForm) -> None:
    """Give every select of `form` the Chinese placeholder (a ModelChoiceField's empty_label, or the ""
    choice of a ChoiceField built from a model field). Choices that mean something ("全部") are kept."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None:
                field.empty_label = EMPTY_LABEL
        elif isinstance(field, forms.ChoiceField):
            field.choices = _localized(field.choices)
        widget = field.widget
        if isinstance(widget, forms.Select) and not isinstance(field, forms.ChoiceField) and widget.choices:
            widget.choices = _localized(widget.choices)


def _localized(choices) -> list:
    """`choices` with Django's blank choice labelled 请选择."""
    return [
        ("", EMPTY_LABEL) if value == "" and str(label) in _DJANGO_BLANKS else (value, label)
        for value, label in choices
    ]


class Form(forms.Form):
    """forms.Form with Chinese select placeholders; the project's forms derive from it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        localize_empty_choices(self)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Attach a service's ValidationError to the named fields (unknown keys become form-wide errors)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        names = (key, key.removesuffix("_id"), key.removesuffix("_code"))
        field = next((name for name in names if name in form.fields), None)
        form.add_error(field, errors)
