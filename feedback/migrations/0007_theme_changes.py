"""Themes change after the grouping: merged by consolidation, proposed to managers, split and moved by them."""

import django.db.models.deletion
import django.db.models.functions.comparison
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0006_survey_opt_out_by_agent'),
        ('helpdesk', '0059_chat_typing_in_the_cache'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ThemeEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('absorbed', 'Another theme of the same problem joined this one'), ('merged_into', 'Joined another theme of the same problem'), ('proposed', 'Proposed to a manager: merge with another theme'), ('declined', 'Kept apart from another theme by a manager'), ('split_off', 'Complaints split off into a new theme'), ('split_from', 'Split off from another theme'), ('moved_out', 'Complaints moved to another theme'), ('moved_in', 'Complaints moved in from another theme')], max_length=12)),
                ('complaints', models.PositiveIntegerField(default=0)),
                ('tickets', models.JSONField(blank=True, default=list)),
                ('note', models.TextField(blank=True)),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ThemeMergeProposal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('similarity', models.FloatField(verbose_name='similarity')),
                ('kept_size', models.PositiveIntegerField(default=0)),
                ('absorbed_size', models.PositiveIntegerField(default=0)),
                ('evidence', models.JSONField(blank=True, default=dict)),
                ('status', models.CharField(choices=[('pending', 'Waiting for a manager'), ('accepted', 'Merged'), ('declined', 'Kept apart'), ('superseded', 'No longer needed: one theme was merged elsewhere')], default='pending', max_length=10, verbose_name='status')),
                ('proposed_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'verbose_name': 'merge proposal',
                'verbose_name_plural': 'merge proposals',
                'ordering': ['-proposed_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ThemeSeparation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(choices=[('split', 'Split'), ('moved', 'Complaint moved'), ('declined', 'Merge declined')], max_length=10)),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.AddField(
            model_name='theme',
            name='merged_into',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='feedback.theme'),
        ),
        migrations.AlterField(
            model_name='recurringcomplaint',
            name='status',
            field=models.CharField(choices=[('open', 'New'), ('acknowledged', 'Acknowledged'), ('closed', 'Closed'), ('merged', 'Merged into another escalation')], default='open', max_length=12, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='recurringcomplaintevent',
            name='kind',
            field=models.CharField(choices=[('raised', 'Raised: the theme crossed the escalation rule'), ('acknowledged', 'Acknowledged'), ('owner', 'Owner assigned'), ('findings', 'Root cause and fix recorded'), ('closed', 'Closed'), ('reopened', 'Re-opened: the theme came back'), ('reply_sent', 'Answer sent to the open requests'), ('joined', 'Complaints added: a theme of the same problem joined'), ('merged_into', 'Merged into the escalation of the theme it joined')], max_length=12),
        ),
        migrations.AddIndex(
            model_name='thememembership',
            index=models.Index(fields=['theme', '-similarity'], name='membership_theme_similarity'),
        ),
        migrations.AddField(
            model_name='themeevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='themeevent',
            name='other_theme',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='feedback.theme'),
        ),
        migrations.AddField(
            model_name='themeevent',
            name='theme',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='feedback.theme'),
        ),
        migrations.AddField(
            model_name='thememergeproposal',
            name='absorbed',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='feedback.theme'),
        ),
        migrations.AddField(
            model_name='thememergeproposal',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='thememergeproposal',
            name='kept',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='feedback.theme'),
        ),
        migrations.AddField(
            model_name='themeseparation',
            name='by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='themeseparation',
            name='first',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='feedback.theme'),
        ),
        migrations.AddField(
            model_name='themeseparation',
            name='second',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='feedback.theme'),
        ),
        migrations.AddIndex(
            model_name='themeevent',
            index=models.Index(fields=['theme', 'at'], name='theme_event_theme_time'),
        ),
        migrations.AddConstraint(
            model_name='thememergeproposal',
            constraint=models.UniqueConstraint(django.db.models.functions.comparison.Least('kept', 'absorbed'), django.db.models.functions.comparison.Greatest('kept', 'absorbed'), name='merge_proposal_once'),
        ),
        migrations.AddConstraint(
            model_name='themeseparation',
            constraint=models.UniqueConstraint(fields=('first', 'second'), name='theme_separation_once'),
        ),
        migrations.AddConstraint(
            model_name='themeseparation',
            constraint=models.CheckConstraint(condition=models.Q(('first__lt', models.F('second'))), name='theme_separation_ordered'),
        ),
    ]
