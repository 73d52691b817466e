from django.db import migrations

from helpdesk.schedules import every_minute


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0010_customer_pace_schedule")]

    # Every minute: at-risk and breached bands move with time, and each breach reaches the
    # queue's manager once (helpdesk.sla_breaches).
    operations = [every_minute("check SLA", "helpdesk.tasks.check_sla")]
