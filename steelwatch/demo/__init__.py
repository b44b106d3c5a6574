"""The demo city: a deterministic, realistic 常州市 built from the real division tree (`steelwatch build-demo`).

Not a Django app (no models): builder functions only. `build.build_demo` runs the steps in order —
ledger (always), then power readings and alerts, cases and tips when those apps' services exist.
"""
