"""The public page of the credit list (no login): entries in force, leaving it on the day they end."""

from django.shortcuts import render

from steelwatch.core.pages import list_page

from .selectors import public_rows

PAGE_SIZE = 50


def public_list(request):
    page, query = list_page(request, public_rows(), PAGE_SIZE)
    return render(
        request, "credit/public_list.html", {"rows": page.object_list, "page": page, "query": query}
    )
