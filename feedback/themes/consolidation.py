"""Consolidation: themes that became the same problem are made one.

The grouping is incremental (a complaint joins the best theme at the time, and a theme a
manager is acting on does not change under them), so a problem can start in several themes
that only later turn out to be one. A scheduled scan (feedback.tasks.consolidate_themes, every
five minutes) looks at the recently active themes, asks the grouping which pairs became alike
(grouping.merge_candidates), and for each pair:

- neither theme escalated: merges them (Theme.absorb), then checks the escalation rule once for
  the merged theme, so a problem split over fragments is raised once, as one;
- one of them escalated (or both): proposes the merge to a manager with the evidence
  (ThemeMergeProposal), keeping the escalated theme; a manager accepts (the complaints join that
  escalation, nothing new is raised or mailed) or declines (never proposed again);
- a pair a manager kept apart (declined, split, moved a complaint) or already proposed: skipped.

Why a scheduled scan and not a step of each grouping: the complaint's grouping stays a handful
of indexed queries (the worker's time per complaint is measured at 100,000 complaints), the scan
compares whole themes once they have grown, and it runs when the stream is quiet as well.

Each merge runs under the grouping's lock, in a transaction of its own: a complaint being
grouped meanwhile never updates a centroid that is being combined, and two scans at once merge
nothing twice (Theme.absorb re-reads both themes and merges only two themes of their own).
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from feedback.models import (
    RecurringComplaint,
    Theme,
    ThemeEvent,
    ThemeMergeProposal,
    ThemeSeparation,
)
from feedback.themes import explanation, recurring_complaints
from feedback.themes.complaints import GROUPING_LOCK
from feedback.themes.grouping import ThemeVector, merge_candidates
from feedback.themes.store import theme_vectors

logger = logging.getLogger(__name__)

RECENT_DAYS = 30  # themes with a complaint this recently are compared
MAX_THEMES = 2000  # the most recently active, at most, per scan
# A pair that may not merge (kept apart, already proposed) leaves its larger theme in the next
# round, to find another partner.
ROUNDS = 3
# Merges and proposals per scan, at most: a backlog (the first scan over a fragmented history)
# is worked off over a few scans, each well within the worker's task timeout. About 0.15 s each.
MAX_CHANGES = 200


@dataclass
class Outcome:
    merged: int = 0
    proposed: int = 0


@contextmanager
def themes_locked():
    """A transaction holding the grouping's lock (feedback.themes.complaints)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [GROUPING_LOCK])
        yield


def candidates(now) -> list[ThemeVector]:
    return theme_vectors(
        Theme.objects.active()
        .filter(last_complaint_at__gte=now - timedelta(days=RECENT_DAYS))
        .order_by("-last_complaint_at", "-pk")[:MAX_THEMES]
    )


def consolidate(*, now=None) -> Outcome:
    """One scan: four queries to read, then a fixed number per merge or proposal."""
    now = now or timezone.now()
    themes = {theme.id: theme for theme in candidates(now)}
    ids = list(themes)
    escalated = dict(
        RecurringComplaint.objects.filter(theme__in=ids)
        .exclude(status=RecurringComplaint.Status.MERGED)
        .values_list("theme", "raised_at")
    )
    settled = ThemeSeparation.objects.pairs_among(ids) | ThemeMergeProposal.objects.pairs_among(ids)
    outcome = Outcome()
    for _round in range(ROUNDS):
        pairs = merge_candidates(list(themes.values()))
        if not pairs:
            break
        for kept, absorbed, similarity in pairs:
            if outcome.merged + outcome.proposed >= MAX_CHANGES:
                return outcome
            if frozenset((kept, absorbed)) in settled:
                themes.pop(absorbed, None)
                continue
            themes.pop(kept, None)
            themes.pop(absorbed, None)
            if kept in escalated or absorbed in escalated:
                outcome.proposed += propose(kept, absorbed, similarity, escalated=escalated)
            else:
                merged, proposed = merge(kept, absorbed, similarity)
                outcome.merged += merged
                outcome.proposed += proposed
    return outcome


def merge(kept_id: int, absorbed_id: int, similarity: float) -> tuple[int, int]:
    """Merge two themes neither of which is escalated; (merged, proposed) as counts."""
    raised = None
    with themes_locked():
        # Read again under the lock: another scan may have merged one of them since this one
        # read them, or a complaint escalated one.
        if Theme.objects.active().filter(pk__in=[kept_id, absorbed_id]).count() < 2:
            return 0, 0
        escalated = dict(
            RecurringComplaint.objects.filter(theme__in=[kept_id, absorbed_id])
            .exclude(status=RecurringComplaint.Status.MERGED)
            .values_list("theme", "raised_at")
        )
        if escalated:
            return 0, propose(kept_id, absorbed_id, similarity, escalated=escalated)
        if ThemeSeparation.objects.between(kept_id, absorbed_id).exists():
            return 0, 0
        kept = Theme.objects.get(pk=kept_id)
        if kept.absorb(Theme(pk=absorbed_id)) is None:
            return 0, 0
        raised = recurring_complaints.raise_if_recurring(kept)
    if raised is not None:
        # One problem, one escalation, one mail: the merged theme crossed the rule as one.
        recurring_complaints.tell_managers(raised)
    return 1, 0


def propose(kept_id: int, absorbed_id: int, similarity: float, *, escalated: dict) -> int:
    """Propose the merge to a manager, keeping the escalated theme (of two, the one raised
    first); 1 when proposed now, 0 when this pair was proposed before."""
    if absorbed_id in escalated and (kept_id not in escalated or escalated[absorbed_id] < escalated[kept_id]):
        kept_id, absorbed_id = absorbed_id, kept_id
    themes = Theme.objects.active().in_bulk([kept_id, absorbed_id])
    if len(themes) < 2:  # merged meanwhile
        return 0
    kept, absorbed = themes[kept_id], themes[absorbed_id]
    evidence = {
        "words": explanation.shared_words(kept, absorbed),
        "kept_examples": explanation.central_tickets(kept),
        "absorbed_examples": explanation.central_tickets(absorbed),
    }
    try:
        with transaction.atomic():
            ThemeMergeProposal.objects.create(
                kept=kept,
                absorbed=absorbed,
                similarity=round(similarity, 4),
                kept_size=kept.size,
                absorbed_size=absorbed.size,
                evidence=evidence,
            )
            ThemeEvent.objects.record_between(kept, absorbed, (ThemeEvent.Kind.MERGE_PROPOSED,) * 2)
    except IntegrityError:  # proposed by a scan running at the same time
        return 0
    return 1


def accept(proposal: ThemeMergeProposal, *, by) -> int:
    """A manager accepts: the themes merge (under the grouping's lock); how many complaints moved."""
    with themes_locked():
        return proposal.accept(by=by)
