"""Demand's notices move to the platform outbox (core.Notification): copy them, drop the old
table, and remove the PeriodicTask that migration 0002 wrote (the beat schedule now lives in
config/settings.py, CELERY_BEAT_SCHEDULE)."""

from django.db import migrations

OLD_TASK_NAME = "demand: enviar avisos pendientes"


def copy_to_core(apps, schema_editor):
    Old = apps.get_model("demand", "Notification")
    New = apps.get_model("core", "Notification")
    rows = [
        New(key=f"demand:legacy:{old.pk}", recipient_id=old.recipient_id, kind=f"demand.{old.kind}",
            subject=" ".join(old.text.split())[:200], text=old.text, link=f"/solicitudes/{old.need_id}/",
            created_at=old.created_at, sent_at=old.sent_at, read_at=old.read_at)
        for old in Old.objects.iterator(chunk_size=2000)
    ]
    New.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


def drop_old_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=OLD_TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("demand", "0004_need_drafts_keep_partial_work"),
        ("core", "0001_notification"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(copy_to_core, migrations.RunPython.noop),
        migrations.RunPython(drop_old_schedule, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notification"),
    ]
