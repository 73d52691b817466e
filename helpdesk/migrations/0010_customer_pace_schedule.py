from django.db import migrations

from helpdesk.schedules import every_n_minutes


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0009_workspace_canned_response_roles")]

    # The wait estimates read each queue's pace; the worker measures it, never a page view.
    operations = [every_n_minutes("measure queue pace", "helpdesk.tasks.measure_queue_pace", 10)]
