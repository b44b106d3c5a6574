"""The home page gathers cards from each app's `dashboard_cards(user)`; an app without one adds nothing."""

from django.utils.module_loading import import_string

CARD_PROVIDERS = [
    "steelwatch.registry.selectors.dashboard_cards",
    "steelwatch.power.selectors.dashboard_cards",
    "steelwatch.cases.selectors.dashboard_cards",
    "steelwatch.tips.selectors.dashboard_cards",
    "steelwatch.market.selectors.dashboard_cards",
    "steelwatch.credit.selectors.dashboard_cards",
]


def dashboard_cards(user) -> list[dict]:
    """Cards are dicts: {"title", "value", "url" (optional), "tone" (optional: warn|alert)}."""
    cards = []
    for path in CARD_PROVIDERS:
        try:
            provider = import_string(path)
        except ImportError:
            continue
        cards.extend(provider(user))
    return cards
