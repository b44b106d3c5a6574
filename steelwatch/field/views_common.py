"""The one form step of the field pages: a valid bound form's service call, its refusal put back on the form."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect

from steelwatch.core.forms import add_service_errors


def submit(
    request, form, write: Callable[[], object], *, done, to: Callable[[object], str] | str,
    missing: tuple[str | None, object] | None = None,
) -> HttpResponseRedirect | None:  # fmt: skip
    """Call `write` (the service) when `form` is bound and valid: on success a message and a redirect to `to`
    (a URL, or a function of what `write` returned); a ValidationError goes back on the form, and so does a
    Http404 from the access layer when `missing` names the field and message for it. None: show the form."""
    if not (form.is_bound and form.is_valid()):
        return None
    try:
        result = write()
    except Http404:
        if missing is None:
            raise
        form.add_error(missing[0], missing[1])
    except ValidationError as error:
        add_service_errors(form, error)
    else:
        messages.success(request, done)
        return redirect(to(result) if callable(to) else to)
    return None
