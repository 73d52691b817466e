"""An overdue proposal is handed over to the next manager: the count and the worker's task say so."""

from django.db import migrations

from helpdesk.schedules import renamed


class Migration(migrations.Migration):

    dependencies = [
        ("crisis", "0006_hashed_subscription_tokens"),
    ]

    operations = [
        migrations.RenameField(
            model_name="compensationproposal", old_name="escalations", new_name="handovers"
        ),
        renamed(
            ("escalate overdue compensation", "crisis.tasks.escalate_overdue_compensation"),
            ("hand over overdue compensation", "crisis.tasks.hand_over_overdue_proposals"),
        ),
    ]
