"""The forms' shared base: a select's empty choice reads "请选择", never Django's "---------", and every
text field goes through the one text rule (steelwatch.core.text): normalised, control characters refused
with a message naming the field, length bounded."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .text import clean_text

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


def apply_text_rule(form: forms.BaseForm) -> None:
    """Put every text field of `form` (CharField and its kinds: email, URL, regex …) under the text rule:
    its value is normalised and checked by `clean_text` before Django's own validators run. A Textarea is
    multi-line; a field without max_length gets the rule's bound. Passwords are left exactly as typed."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField) or getattr(field, "text_rule", False):
            continue
        if isinstance(field.widget, forms.PasswordInput):
            continue
        field.to_python = _ruled(field, name)
        field.text_rule = True


def _ruled(field: forms.CharField, name: str):
    parse = field.to_python
    multiline = isinstance(field.widget, forms.Textarea)

    def to_python(value):
        value = parse(value)
        if isinstance(value, str) and value:
            value = clean_text(
                value, label=str(field.label or name), multiline=multiline, max_length=field.max_length
            )
        return value

    return to_python


class TextRuleMixin:
    """The text rule on every text field of the form, applied when the form is cleaned (so fields added
    after __init__ are covered too). `Form` has it; Django's own forms (AuthenticationForm) take it as a mixin."""

    def full_clean(self):
        apply_text_rule(self)
        super().full_clean()


class Form(TextRuleMixin, forms.Form):
    """forms.Form with Chinese select placeholders and the text rule; the project's forms derive from it."""

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


class SuggestInput(forms.TextInput):
    """A text field that offers values as one types: htmx fills the field's <datalist> with the <option>s the
    page `url_name` answers for the typed text (sent under the field's own name, `?field=` says which); no
    script of its own, within the CSP. Picking an offer puts its value (a code) in the field."""

    template_name = "core/widgets/suggest_input.html"
    url_name = ""
    query = ""  # extra query parameters of the offers page, e.g. "scope=transfer"

    def __init__(self, attrs=None, *, placeholder=None):
        base = {"autocomplete": "off"}
        if placeholder:
            base["placeholder"] = placeholder
        super().__init__({**base, **(attrs or {})})

    def get_context(self, name, value, attrs):
        from django.urls import reverse

        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        options = f"{widget['attrs'].get('id') or name}-options"
        widget["options_id"] = options
        query = f"field={name}" + (f"&{self.query}" if self.query else "")
        widget["attrs"].update(
            {
                "list": options,
                "hx-get": f"{reverse(self.url_name)}?{query}",
                "hx-trigger": "input changed delay:300ms",
                "hx-target": f"#{options}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )
        return context


def suggest_query(request) -> str:
    """The text a SuggestInput sent: the value of the field `?field=` names (or of `q`), at most 64 characters."""
    return request.GET.get(request.GET.get("field") or "q", "").strip()[:64]
