"""What feedback holds about a customer, for their export and their erasure (helpdesk.hooks).

Theme memberships stay through an erasure (how many complained, of what): they refer to the
person by key only.
"""

from __future__ import annotations

from feedback.models import Survey


def erase(customer) -> dict[str, int]:
    return {"survey comments": Survey.objects.filter(customer=customer).erase_personal_data()}
