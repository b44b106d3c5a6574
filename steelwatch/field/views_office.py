"""The office's field pages (draws, look-back, cameras, experts, training, funds)."""

urlpatterns: list = []
