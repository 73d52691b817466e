from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A node that has not beaten for this long is taken for retired (a machine replaced, a worker
# renamed), and its row is deleted at the next beat of any node.
FORGET_AFTER = timedelta(days=1)


class WorkerHeartbeat(models.Model):
    """One row per worker node (WORKER_NAME: the machine's name unless set), touched while it runs:
    the node's own `qcluster` beats every WORKER_HEARTBEAT_INTERVAL seconds, and the scheduled
    heartbeat task beats for the node that ran it."""

    node = models.CharField(_("node"), max_length=200, unique=True)
    beat_at = models.DateTimeField(_("last heartbeat"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.node} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def beat(cls, node: str | None = None) -> "WorkerHeartbeat":
        """Record that `node` (this one, by default) runs now."""
        now = timezone.now()
        heartbeat, _created = cls.objects.update_or_create(
            node=node or settings.WORKER_NAME, defaults={"beat_at": now}
        )
        cls.objects.filter(beat_at__lt=now - FORGET_AFTER).delete()
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
