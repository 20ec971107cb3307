from django.tasks import Task, TaskResultStatus
from django_tasks_db.models import DBTaskResult


def start_chain(task: Task) -> bool:
    """Enqueue a self-rescheduling task unless a run of it is already waiting (READY includes a
    run deferred to later). True when it was started now."""
    if DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=task.module_path
    ).exists():
        return False
    task.enqueue()
    return True
