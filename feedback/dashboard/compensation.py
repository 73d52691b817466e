"""Compensation totals for the manager dashboard: what was proposed in the period, by state and kind.

One query over the crisis proposals, grouped by state, kind and currency; amounts in their own
currency (HUF and PLN are never added together), durations in days.
"""

from django.db.models import Count, Sum

from crisis.models import CompensationProposal, Kind

SHOWN_STATES = [
    CompensationProposal.State.PENDING,
    CompensationProposal.State.APPROVED,
    CompensationProposal.State.FULFILLED,
    CompensationProposal.State.REJECTED,
]


def totals(scope) -> list[dict]:
    """Proposals for tickets of the scope's queues, proposed within its period."""
    kinds, states = dict(Kind.choices), dict(CompensationProposal.State.choices)
    rows = (
        CompensationProposal.objects.filter(
            ticket__queue__in=scope.queues, proposed_at__gte=scope.since, state__in=SHOWN_STATES
        )
        .order_by()
        .values("state", "kind", "currency")
        .annotate(count=Count("pk"), amount=Sum("amount"), days=Sum("duration_days"))
        .order_by("state", "kind", "currency")
    )
    return [
        {**row, "state_label": states[row["state"]], "kind_label": kinds.get(row["kind"], row["kind"])}
        for row in rows
    ]
