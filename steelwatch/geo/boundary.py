"""A grid's boundary: a GeoJSON Polygon or MultiPolygon in WGS84, checked before it is stored as JSON."""

import json

from django.core.exceptions import ValidationError

MAX_POINTS = 5000


def _ring(ring, where: str) -> list[list[float]]:
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValidationError({"boundary": f"{where}：每个环至少4个点（首尾相同）"})
    points = []
    for point in ring:
        if (
            not isinstance(point, list)
            or len(point) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in point[:2])
        ):
            raise ValidationError({"boundary": f"{where}：坐标须为 [经度, 纬度] 数字"})
        lon, lat = float(point[0]), float(point[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValidationError({"boundary": f"{where}：坐标 [{lon}, {lat}] 超出经纬度范围"})
        points.append([lon, lat])
    if points[0] != points[-1]:
        raise ValidationError({"boundary": f"{where}：环未闭合（首尾坐标须相同）"})
    return points


def boundary_clean(value) -> dict | None:
    """The boundary as a plain GeoJSON geometry dict (a Feature gives its geometry); None stays None.
    Accepts a dict or its JSON text; anything else is refused with a Chinese message on `boundary`."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ValidationError({"boundary": "网格边界不是有效的 JSON"}) from None
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or value.get("type") not in {"Polygon", "MultiPolygon"}:
        raise ValidationError({"boundary": "网格边界须为 GeoJSON Polygon 或 MultiPolygon"})
    coords = value.get("coordinates")
    polygons = [coords] if value["type"] == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons:
        raise ValidationError({"boundary": "网格边界缺少坐标"})
    cleaned = []
    for p, polygon in enumerate(polygons, 1):
        if not isinstance(polygon, list) or not polygon:
            raise ValidationError({"boundary": f"第{p}个多边形缺少坐标"})
        cleaned.append([_ring(ring, f"第{p}个多边形第{r}个环") for r, ring in enumerate(polygon, 1)])
    if sum(len(ring) for polygon in cleaned for ring in polygon) > MAX_POINTS:
        raise ValidationError({"boundary": f"网格边界点数超过 {MAX_POINTS}"})
    if value["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": cleaned[0]}
    return {"type": "MultiPolygon", "coordinates": cleaned}
