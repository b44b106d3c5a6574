"""The public page of the credit list (no login): entries in force, leaving it on the day they end."""

from django.shortcuts import render

from .selectors import public_rows


def public_list(request):
    return render(request, "credit/public_list.html", {"rows": public_rows()})
