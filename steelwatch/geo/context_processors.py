"""Template context of the geo app."""

from steelwatch.geo.region import region_name


def region(request):
    """The name of the place the deployment serves, for page headers ("" for the whole tree)."""
    return {"region_name": region_name()}
