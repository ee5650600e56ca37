from celery import shared_task

from apps.surveys import services


@shared_task(acks_late=True)
def import_batch_run(batch_id: int) -> None:
    """Import a confirmed upload; idempotent (the service claims the batch before working)."""
    services.batch_run(batch_id=batch_id)


@shared_task(name="surveys.batches_sweep")
def batches_sweep() -> int:
    """Beat: take back imports a dead worker left running (see services.batches_sweep)."""
    return services.batches_sweep()
