"""Background entry point of runs: the service rebuilds the creator's actor and runs the handler."""

from __future__ import annotations

from django_tasks import task

from chunnuan.access.actor import system_actor
from chunnuan.access.scoping import actor_scope


@task()
def execute_run(run_id: int) -> None:
    from chunnuan.batch.services import run_execute, run_sweep_now_and_then

    # The service reads the Run unscoped and switches to the creator's actor for the handler;
    # this outer scope only covers bookkeeping writes outside it. A worker that starts work first
    # fails the runs a dead worker left "running" (at most once a minute; see runs_sweep).
    with actor_scope(system_actor("batch")):
        run_sweep_now_and_then()
        run_execute(run_id=run_id)
