"""PostgreSQL: a sequence that moves whenever anything the indicators read is written, so their
figures can be cached under it (apps/monitoring/indicators.py, `_cached`). One statement-level
trigger per table (a bulk insert of 700,000 answers moves it once per statement), also on TRUNCATE.
Nothing on other databases: there the figures are always computed."""

from django.db import migrations

SEQUENCE = "monitoring_indicators_version"
FUNCTION = "monitoring_indicators_bump"
MODELS = [
    ("agenda", "Event", ("providers", "municipalities", "departments", "services", "needs")),
    ("agenda", "AgendaPeriod", ()), ("demand", "Need", ()), ("monitoring", "Invitation", ()),
    ("monitoring", "FrozenPeriod", ()), ("surveys", "Submission", ()), ("surveys", "Answer", ()),
    ("surveys", "Question", ()), ("surveys", "Option", ()), ("offer", "Service", ("sectors",)),
    ("territory", "Municipality", ()), ("territory", "Department", ()), ("territory", "Sector", ()),
    ("accounts", "Organization", ()),
]


def _tables(apps) -> list[str]:
    tables = []
    for app, name, relations in MODELS:
        model = apps.get_model(app, name)
        tables.append(model._meta.db_table)
        tables += [model._meta.get_field(r).remote_field.through._meta.db_table for r in relations]
    return tables


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN PERFORM nextval('{SEQUENCE}'); RETURN NULL; END $$")
    for table in _tables(apps):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {FUNCTION} ON {quote(table)}")
        schema_editor.execute(f"CREATE TRIGGER {FUNCTION} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "
                              f"{quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in _tables(apps):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {FUNCTION} ON {schema_editor.quote_name(table)}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0002_followup_definitions"),
        ("agenda", "0001_initial"), ("demand", "0006_submission_keys"),
        ("surveys", "0006_question_roles_baseline_indicators"), ("offer", "0005_service_valid_period_message"),
        ("territory", "0004_accent_aware_name_order"), ("accounts", "0001_initial"),
    ]
    operations = [migrations.RunPython(create, drop)]
