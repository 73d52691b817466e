from django.db import migrations, models


def forget_cluster_wide_heartbeats(apps, schema_editor):
    # The one row named after the cluster ("helpdesk") stood for every machine; each node now
    # writes its own at its first beat, within a minute of starting.
    apps.get_model("helpdesk", "WorkerHeartbeat").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0057_request_personal_data_erased"),
    ]

    operations = [
        migrations.RunPython(forget_cluster_wide_heartbeats, migrations.RunPython.noop),
        migrations.RenameField(model_name="workerheartbeat", old_name="cluster", new_name="node"),
        migrations.AlterField(
            model_name="workerheartbeat",
            name="node",
            field=models.CharField(max_length=200, unique=True, verbose_name="node"),
        ),
    ]
