"""The manager dashboard: `metrics` (each figure, one query), `charts` (what each chart shows
and its geometry), `snapshots` (the stored figures the page reads, refreshed by the worker) and
`compensation` (the compensation totals of the period). The page is feedback.views.dashboard.
"""
