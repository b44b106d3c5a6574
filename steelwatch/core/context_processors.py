from django.urls import NoReverseMatch, reverse

from steelwatch.accounts.roles import capabilities

from .navigation import NAV_ITEMS


def navigation(request):
    caps = capabilities(request.user)
    items = []
    for item in NAV_ITEMS:
        if item.capability and item.capability not in caps or item.unless and item.unless in caps:
            continue
        try:
            items.append({"label": item.label, "url": reverse(item.url_name)})
        except NoReverseMatch:  # an app whose pages are not built yet
            continue
    return {"nav_items": items, "caps": caps}


def region(request):
    """The name of the place the deployment serves, for page headers ("" for the whole tree)."""
    from steelwatch.geo.region import region_name

    return {"region_name": region_name()}
