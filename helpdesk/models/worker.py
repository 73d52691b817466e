from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row per worker cluster, touched by a scheduled task: proof the worker runs."""

    cluster = models.CharField(_("cluster"), max_length=100, unique=True)
    beat_at = models.DateTimeField(_("last heartbeat"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.cluster} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def beat(cls, cluster: str) -> "WorkerHeartbeat":
        heartbeat, _created = cls.objects.update_or_create(
            cluster=cluster, defaults={"beat_at": timezone.now()}
        )
        return heartbeat

    @classmethod
    def latest(cls) -> "WorkerHeartbeat | None":
        return cls.objects.order_by("-beat_at").first()

    @property
    def age(self) -> timedelta:
        return timezone.now() - self.beat_at

    @property
    def is_fresh(self) -> bool:
        return self.age <= timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE)
