"""The manager dashboard's figures, computed by the worker and kept for a few minutes.

Aggregating months of tickets and surveys is slow work: the worker refreshes each manager's
figures every ten minutes (feedback.tasks.refresh_dashboards) and the page reads one row. A page
that finds no fresh row computes it once and stores it for the next visitors.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DashboardSnapshot(models.Model):
    # Which figures: the period and the queues, e.g. "weeks=12;queues=1,2,5".
    key = models.CharField(max_length=500, unique=True)
    computed_at = models.DateTimeField(_("computed"))
    figures = models.JSONField()

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")

    def __str__(self):
        return self.key
